// The store stage's public face (STYLE.md B9.3): other stages import from here, never from deep files.
import { ConfigError } from '../errors.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export type * from './store.js';
export type * from './subscription-store.js';
export type * from './inventory-store.js';
export { deliveryKey } from './store.js';

const SQLITE_PREFIX = 'sqlite:';
const POSTGRES = /^postgres(ql)?:\/\//i;
const SUPPORTED = 'sqlite:<path>, sqlite::memory: or postgres://…';

/** Open the store a `store.url` names; the URL scheme is the only thing that picks the dialect (STYLE.md B6). */
export function openStore(url: string): Promise<Store> {
  // A promise either way, so a bad URL rejects like an unreachable database would.
  return new Promise((resolve) => resolve(selectStore(url)));
}

function selectStore(url: string): Store | Promise<Store> {
  if (POSTGRES.test(url)) return openPostgresStore(url);
  if (url.startsWith(SQLITE_PREFIX)) {
    const path = url.slice(SQLITE_PREFIX.length);
    if (path === '') throw new ConfigError('store.url', `store.url: "sqlite:" needs a path; use ${SUPPORTED}`);
    return openSqliteStore(path);
  }
  // Name only the scheme: the rest of a database URL may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme === undefined ? 'has no scheme' : `has unsupported scheme "${scheme}:"`;
  throw new ConfigError('store.url', `store.url ${what}; supported: ${SUPPORTED}`);
}
