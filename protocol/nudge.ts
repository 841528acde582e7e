// Nudge (催办): the submitter of a pending claim reminds its current approvers. The rules a server
// enforces, and the request shape. Whether a nudge is allowed right now, and from when, travels in
// every ClaimSummary (`nudgeAllowedFrom`), so clients never re-derive the server's thresholds.
import { z } from 'zod';

const HOUR_MS = 60 * 60 * 1000;

/** How long a claim must have waited at its current step before its submitter may nudge (default). */
export const NUDGE_AFTER_MS = 24 * HOUR_MS;
/** At most one nudge per claim per this interval, whatever step it is at. */
export const NUDGE_INTERVAL_MS = 24 * HOUR_MS;

/** `POST /claims/{id}/nudge`: no fields (a body may be omitted); strict like every request object. */
export const NudgeRequest = z.object({}).strict();
export type NudgeRequest = z.infer<typeof NudgeRequest>;
