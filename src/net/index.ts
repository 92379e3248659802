export { createHttpClient, type HttpClient, type HttpClientOptions, type GetResult, type GetOptions, type PostResult, type Validators } from './http-client.js';
export { isPrivateAddress, checkUrlAllowed } from './ssrf-guard.js';
