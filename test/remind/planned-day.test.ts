// Planned-day reminders on the real Node.js December 2025 series (test/fixtures/corpus/advance):
// parsed, stored and alerted like any notice; a reminder on the planned day, none on a day the
// notice was postponed from, one on the new day, none once the release closed the notice.
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import type { Alert } from '../../src/deliver/channel.js';
import { alertSubject } from '../../src/deliver/render.js';
import type { Advisory } from '../../src/model/advisory.js';
import { normalizeAdvisory } from '../../src/normalize/index.js';
import { parseAdvance } from '../../src/parse/index.js';
import { planAlerts } from '../../src/pipeline/plan-alerts.js';
import { recordAlerts } from '../../src/pipeline/index.js';
import { remindDue } from '../../src/remind/index.js';
import { resolveConfig } from '../../src/config/load.js';
import { openStore, type Store } from '../../src/store/index.js';
import { fixedClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { corpusDocument, corpusPath } from '../helpers/corpus.js';

const DIR = 'advance/nodejs';
const DECEMBER = readdirSync(corpusPath(DIR)).filter((f) => f.startsWith('december-2025-security-releases.')).sort();
const notice = async (i: number): Promise<Advisory> => {
  const [first] = await parseAdvance(corpusDocument(`${DIR}/${DECEMBER[i]!}`, { sourceId: 'nodejs', sourceKind: 'advance' }));
  return normalizeAdvisory(first!);
};

const config = resolveConfig({ subscriptions: [{ id: 'planners', channel: 'email', to: ['p@example.org'], minSeverity: 'low', matchedOnly: false }], email: { transport: 'outbox' } }, { baseDir: '/tmp', env: {} });
const clock = fixedClock('2025-12-08T12:00:00Z');
let store: Store;
let deps: App;

beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  deps = await createApp(config, { clock, store, log: silentLogger });
});
afterEach(async () => {
  await deps.close();
  await store.close();
});

/** Store a version of the notice at `at` and record the alerts planning makes of it. */
async function publish(n: Advisory, at: string): Promise<void> {
  clock.set(at);
  const outcomes = await store.upsertAdvisories([n], clock.now());
  await recordAlerts(deps, planAlerts(outcomes, new Map(), config.subscriptions, deps.policy));
}
async function remindAt(at: string): Promise<Alert[]> {
  clock.set(at);
  const { keys } = await remindDue(deps);
  return Promise.all(keys.map(async (k) => (await store.getDelivery(k))!.payload as Alert));
}

describe('planned-day reminders (Node.js December 2025 series)', () => {
  it('announce → reminded on the planned day; postponed → not on the old day, on the new one', async () => {
    const announce = await notice(0);
    const postponed = await notice(1);
    const firstDay = announce.plannedRelease!.date.slice(0, 10);
    const newDay = postponed.plannedRelease!.date.slice(0, 10);
    expect(newDay > firstDay).toBe(true);

    await publish(announce, '2025-12-08T12:00:00Z');
    expect(await remindAt(`${firstDay}T00:30:00Z`)).toHaveLength(1);

    // A fresh store: the same notice postponed before its day.
    await deps.close();
    await store.close();
    store = await openStore('sqlite::memory:');
    deps = await createApp(config, { clock, store, log: silentLogger });
    await publish(announce, '2025-12-08T12:00:00Z');
    await publish(postponed, '2025-12-15T12:00:00Z');
    expect(await remindAt(`${firstDay}T07:00:00Z`)).toEqual([]);
    const [r, ...more] = await remindAt(`${newDay}T07:00:00Z`);
    expect(more).toEqual([]);
    expect(r?.id).toBe(`planners:${announce.id}:remind:planned:${newDay}`);
    expect(r?.reminder?.kind).toBe('planned-day');
    expect(r?.reminder?.text).toMatch(/^Reminder: expected today: \w+ fix for Node\.js/);
    expect(alertSubject(r!)).toMatch(/^Reminder: \[\w+\] .* — expected today: /);
    expect(await remindAt(`${newDay}T18:00:00Z`)).toEqual([]);
  });

  it('no reminder for a notice its final post closed', async () => {
    await publish(await notice(0), '2025-12-08T12:00:00Z');
    const [closed] = (await parseAdvance(corpusDocument(`${DIR}/${DECEMBER[3]!}`, { sourceId: 'nodejs', sourceKind: 'advance' }))).map((p) => normalizeAdvisory(p));
    expect(closed?.closedBy?.length).toBeGreaterThan(0);
    await publish(closed!, '2026-01-19T12:00:00Z');
    const day = closed!.plannedRelease?.date.slice(0, 10) ?? '2026-01-19';
    expect(await remindAt(`${day}T20:00:00Z`)).toEqual([]);
  });
});
