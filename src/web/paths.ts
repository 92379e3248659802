// Where the pages live. The JSON API owns /advisories, /sources, /subscriptions, /quarantine,
// /feeds…, so every page except the home page sits under /ui/ and the API stays unchanged.

export const WEB = {
  home: '/',
  advisories: '/ui/advisories',
  advisory: (id: string) => `/ui/advisories/${encodeURIComponent(id)}`,
  advance: '/ui/advance-notices',
  sources: '/ui/sources',
  subscriptions: '/ui/subscriptions',
  subscription: (id: string) => `/ui/subscriptions/${encodeURIComponent(id)}`,
  /** A subscriber's own page: the token from their email is the credential. */
  mine: (token: string) => `/ui/my/${token}`,
  acknowledge: '/ui/acknowledge',
  login: '/ui/login',
  logout: '/ui/logout',
  css: '/ui/assets/secwatch.css',
  script: '/ui/assets/secwatch.js',
} as const;
