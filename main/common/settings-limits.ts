// Limits on settings that both the schema and the window's controls need. Zod-free, so the window can
// bound its inputs with the same numbers the core validates against.

/**
 * The longest reminder delay accepted: 30 days. Anything longer is effectively "never", which is what
 * turning reminders off says more honestly.
 */
export const MAX_REMINDER_HOURS = 24 * 30;
