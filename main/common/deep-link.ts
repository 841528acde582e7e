// `signoff://claim/<id>` links (issue 13), parsed and validated here and nowhere else. A link only
// ever opens a claim in the window, optionally with Approve or Reject started (`/approve`,
// `/reject`); the window still asks for the confirmation, so a hostile link can do no more than a
// click on a queue row. Everything else in the URL (query, fragment, user info) is ignored; any other
// scheme, host or path shape, an id the protocol would not accept, or an oversized link is refused.
import { z } from 'zod';
import { ClaimId } from '../../protocol/claims';

export const DEEP_LINK_SCHEME = 'signoff';
const CLAIM_HOST = 'claim';
/** A `.` or `..` path segment, also percent-encoded, before the query. */
const DOT_SEGMENT = /[/\\](\.|%2e){1,2}(?=[/\\]|$)/i;
/** Longer links are refused before parsing: an id is at most 64 characters. */
export const MAX_DEEP_LINK_LENGTH = 256;

/**
 * An id in a link: the protocol's ClaimId, and only characters that need no escaping in a URL path
 * and cannot make a path of their own (no `/`, `\`, `%`, no leading dot).
 */
const LinkClaimId = ClaimId.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export const DeepLinkSchema = z
  .object({ claimId: LinkClaimId, intent: z.enum(['approve', 'reject']).optional() })
  .strict();
export type DeepLink = z.infer<typeof DeepLinkSchema>;

/** The link for a claim (Windows toast buttons use it, so a cold start opens the claim too). */
export function deepLinkFor(claimId: string, intent?: 'approve' | 'reject'): string {
  const link = DeepLinkSchema.parse(intent ? { claimId, intent } : { claimId });
  return `${DEEP_LINK_SCHEME}://${CLAIM_HOST}/${link.claimId}${link.intent ? `/${link.intent}` : ''}`;
}

/** The claim a link opens, or null for anything that is not a valid Signoff claim link. */
export function parseDeepLink(raw: string): DeepLink | null {
  if (raw.length > MAX_DEEP_LINK_LENGTH) return null;
  // URL parsing would resolve `..` and `.` segments (plain or as %2e) into another path: refused first.
  if (DOT_SEGMENT.test(raw.split(/[?#]/)[0] ?? '')) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.host.toLowerCase() !== CLAIM_HOST) return null;
  // The raw path, before any decoding: `%2f` or `..` stay inside one segment and fail the id rule.
  const segments = url.pathname.split('/').slice(1);
  if (segments.at(-1) === '' && segments.length > 1) segments.pop();
  if (segments.length < 1 || segments.length > 2) return null;
  const [claimId, intent] = segments;
  const parsed = DeepLinkSchema.safeParse(intent === undefined ? { claimId } : { claimId, intent });
  return parsed.success ? parsed.data : null;
}

/** The first claim link among command-line arguments (Windows and Linux pass the link as one). */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const argument of argv) {
    if (argument.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return parseDeepLink(argument);
  }
  return null;
}
