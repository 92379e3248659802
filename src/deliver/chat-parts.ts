// A chat message split into parts (a long Teams card, a digest): post them in order, skipping the
// parts a receiver accepted on an earlier attempt and recording each newly accepted one, so a
// retry after "part 2 failed" resends part 2 onwards and never part 1 again.
import type { DeliveryContext, DeliveryResult } from './channel.js';
import { chatOutcome, postChat } from './chat-webhook.js';

export async function postChatParts(
  url: string,
  parts: readonly unknown[],
  ctx: DeliveryContext,
  who: string,
  scrub: (s: string) => string,
): Promise<DeliveryResult> {
  const now = ctx.clock.now();
  // More parts recorded than exist (the layout changed between releases): nothing left to send.
  const from = Math.min(ctx.parts?.sent ?? 0, parts.length);
  for (let i = from; i < parts.length; i++) {
    const label = parts.length === 1 ? who : `${who} (part ${i + 1}/${parts.length})`;
    const posted = await postChat(url, JSON.stringify(parts[i]), ctx, label, scrub);
    const outcome = 'outcome' in posted ? posted.outcome : chatOutcome(posted.res, now, label, scrub);
    if (outcome.status !== 'sent') return outcome;
    if (parts.length > 1) await ctx.parts?.accepted(i + 1);
  }
  return { status: 'sent' };
}
