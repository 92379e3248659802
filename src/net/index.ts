export { createHttpClient, type HttpClient, type HttpClientOptions, type GetResult, type GetOptions, type PostResult, type Validators } from './http-client.js';
export { isPrivateAddress, checkUrlAllowed, allowListOf } from './ssrf-guard.js';
