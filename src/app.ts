import type { Config } from './config/load.js';
import type { Channel } from './deliver/channel.js';
import { createChannel, type EmailTransport } from './deliver/registry.js';
import { ConfigError } from './errors.js';
import { loadInventory } from './inventory/load.js';
import { buildAliasTable } from './match/names.js';
import { buildInventoryIndex } from './match/inventory-index.js';
import { createHttpClient, type HttpClient } from './net/http-client.js';
import type { Deps } from './pipeline/deps.js';
import { createSource } from './sources/registry.js';
import { openStore } from './store/index.js';
import type { Store } from './store/store.js';
import { systemClock, type Clock } from './util/clock.js';
import { createLogger, type Logger } from './util/logger.js';

export interface AppOverrides {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly store?: Store;
  readonly http?: HttpClient;
  readonly random?: () => number;
}

export interface App extends Deps {
  close(): Promise<void>;
}

/** The composition root: the only place where configuration meets constructors. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger();
  const http =
    overrides.http ??
    createHttpClient({
      timeoutMs: config.fetch.timeout,
      maxBytes: config.fetch.maxBytes,
      maxRedirects: config.fetch.maxRedirects,
      userAgent: config.fetch.userAgent,
      allowPrivateHosts: config.network.allowPrivateHosts,
    });
  const store = overrides.store ?? (await openStore(config.storeUrl));
  try {
    const items = await loadInventory(config.paths.inventoryFiles);
    const channels = new Map<string, Channel>(
      config.subscriptions.map((sub) => [sub.id, createChannel(sub, { emailFrom: config.email.from, emailTransport: emailTransport(config) })]),
    );
    const deps: Deps = {
      config,
      store,
      http,
      clock: overrides.clock ?? systemClock,
      log,
      sources: config.sources.map((s) => createSource(s, { maxBytes: config.fetch.maxBytes, maxDocuments: config.fetch.maxDocumentsPerPoll, zip: config.fetch.zip })),
      inventory: buildInventoryIndex(items, buildAliasTable(config.inventory.aliases), { keywords: config.matching.keywords }),
      policy: { rules: config.policy.applyBy, clockStart: config.policy.clockStart },
      channels,
      random: overrides.random ?? Math.random,
    };
    return {
      ...deps,
      async close() {
        await Promise.allSettled([...channels.values()].map((c) => (c.close ? c.close() : Promise.resolve())));
        if (!overrides.http) await http.close();
        if (!overrides.store) await store.close();
      },
    };
  } catch (err) {
    if (!overrides.store) await store.close();
    if (!overrides.http) await http.close();
    throw err;
  }
}

function emailTransport(config: Config): EmailTransport {
  const dkim = config.dkim ? { dkim: config.dkim } : {};
  if (config.email.transport === 'outbox') return { kind: 'outbox', dir: config.paths.outboxDir, ...dkim };
  const wantsEmail = config.subscriptions.some((s) => s.channel === 'email');
  if (!config.smtpUrl && wantsEmail) {
    throw new ConfigError('email.transport', `${config.file ?? 'config'}: email.transport is smtp but SECWATCH_SMTP_URL is not set`);
  }
  return { kind: 'smtp', url: config.smtpUrl ?? '', ...dkim };
}
