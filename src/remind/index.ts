// The remind stage: apply-by and planned-day reminders, and the signed acknowledgement links alerts carry.
export { DEFAULT_REMIND_BEFORE, remindOffsets } from './offsets.js';
export { OVERDUE_GRACE_DAYS, planReminders, reminderKey, type ReminderInput, type ReminderTarget } from './plan-reminders.js';
export { DEFAULT_REMIND_EVERY_MS, remindDue, remindDueLogged, type RemindSummary } from './remind-stage.js';
export { ACK_LINK_TTL_MS, signAckToken, verifyAckToken, withAckLinks, type AckLinkCheck, type AckLinkClaim } from './ack-link.js';
