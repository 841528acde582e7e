// Nudge (催办) from the desktop: the submitter reminds the current approvers of their own claim. One
// Idempotency-Key per press, reused for the one silent retry, so a lost response never nudges twice.
// Failures come back as values the window shows as they are, in the user's language.
import { randomUUID } from 'node:crypto';
import { type ApiClient, ApiError, ProtocolMismatchError } from '../../protocol';
import { formatLocalTime, messagesFor } from './i18n';
import { classifyNetworkError } from './network-errors';
import type { Locale, NudgeResult } from './ports';

export async function sendNudge(api: ApiClient, claimId: string, locale: Locale): Promise<NudgeResult> {
  const m = messagesFor(locale);
  const idempotencyKey = randomUUID();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { ok: true, claim: await api.nudge(claimId, { idempotencyKey }) };
    } catch (error) {
      if (classifyNetworkError(error) && attempt === 0) continue;
      return nudgeFailure(error, locale);
    }
  }

  function nudgeFailure(error: unknown, locale: Locale): NudgeResult {
    if (error instanceof ProtocolMismatchError)
      return { ok: false, reason: 'invalid', message: m.incompatible };
    if (!(error instanceof ApiError)) return { ok: false, reason: 'offline', message: m.offline };
    const { body } = error;
    switch (body.code) {
      case 'nudge_too_soon': {
        const next = body.nextAllowedAt;
        return next
          ? {
              ok: false,
              reason: 'too-soon',
              message: m.nudgeTooSoon(formatLocalTime(next, locale)),
              nextAllowedAt: next,
            }
          : { ok: false, reason: 'invalid', message: m.refused };
      }
      case 'invalid_state':
        return { ok: false, reason: 'invalid', message: m.notNudgeable };
      case 'unauthorized':
        return { ok: false, reason: 'session-expired', message: m.sessionExpired };
      case 'forbidden':
        return { ok: false, reason: 'forbidden', message: m.forbidden };
      case 'not_found':
        return { ok: false, reason: 'not-found', message: m.notFound };
      default:
        return { ok: false, reason: 'invalid', message: m.refused };
    }
  }
}
