// A subscription's settings form: what it shows and how a posted form becomes new settings. Pure.
import { isSeverity } from '../../model/severity.js';
import { DIGEST_EVERY, type DeliverySchedule, type Subscription, type SubscriptionSettings } from '../../model/subscription.js';
import { severityOptions, severityLabel, whenText } from './format.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "immediate", "hourly" or "daily": the one <select> the form shows for the delivery schedule. */
function scheduleChoice(d: DeliverySchedule | undefined): string {
  return d?.mode === 'digest' ? (d.every ?? 'daily') : 'immediate';
}

export function subscriptionFormView(sub: Subscription) {
  const s = sub.settings;
  const choice = scheduleChoice(s.delivery);
  return {
    id: sub.id,
    channel: sub.channel,
    target: sub.target,
    status: sub.status,
    created: whenText(sub.createdAt),
    minSeverity: severityLabel(s.minSeverity),
    severities: severityOptions(s.minSeverity),
    matchedOnly: s.matchedOnly,
    schedules: [
      { value: 'immediate', label: 'Each alert at once', selected: choice === 'immediate' },
      ...DIGEST_EVERY.map((e) => ({ value: e, label: `${e === 'hourly' ? 'Hourly' : 'Daily'} digest`, selected: choice === e })),
    ],
    scheduleText: choice === 'immediate' ? 'each alert at once' : `${choice} digest${choice === 'daily' ? ` at ${s.delivery?.at ?? '08:00'} ${s.delivery?.timeZone ?? 'UTC'}` : ''}`,
    at: s.delivery?.at ?? '08:00',
    timeZone: s.delivery?.timeZone ?? 'UTC',
    statuses: (['active', 'unsubscribed'] as const).map((v) => ({ value: v, selected: v === sub.status })),
  };
}

/** A posted settings form over the current settings; `problem` names the first bad field. */
export function settingsFromForm(form: ReadonlyMap<string, string>, current: SubscriptionSettings): { settings: SubscriptionSettings } | { problem: string } {
  const minSeverity = form.get('minSeverity') ?? current.minSeverity;
  if (!isSeverity(minSeverity)) return { problem: `severity floor "${minSeverity}" is not a severity` };
  const schedule = form.get('schedule') ?? scheduleChoice(current.delivery);
  const at = form.get('at') || '08:00';
  const timeZone = form.get('timeZone') || 'UTC';
  let delivery: DeliverySchedule;
  if (schedule === 'immediate') delivery = { mode: 'immediate' };
  else if (schedule === 'hourly') delivery = { mode: 'digest', every: 'hourly' };
  else if (schedule === 'daily') {
    if (!HHMM.test(at)) return { problem: `digest time "${at}" is not HH:MM` };
    if (!isTimeZone(timeZone)) return { problem: `time zone "${timeZone}" is not an IANA time zone` };
    delivery = { mode: 'digest', every: 'daily', at, timeZone };
  } else return { problem: `delivery "${schedule}" is not immediate, hourly or daily` };
  return {
    settings: {
      ...current,
      minSeverity,
      // An unticked checkbox is absent from the post: absent means off.
      matchedOnly: form.get('matchedOnly') === 'yes',
      delivery,
    },
  };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
