// The CONNECT negotiation rules of STOMP 1.2 §"Protocol Negotiation" and §"Heart-beating", as pure
// functions so each rule is tested on its own.
import type { StompVersion } from '../../protocol';

/** Highest first: the version used is the highest both sides speak. */
const SPOKEN: readonly StompVersion[] = ['1.2', '1.1', '1.0'];

export const SUPPORTED_VERSIONS = SPOKEN.join(',');

/**
 * The version to speak, from CONNECT's `accept-version` (absent means a 1.0 client), or null when the
 * client speaks none of ours.
 */
export function negotiateVersion(acceptVersion: string | undefined): StompVersion | null {
  if (acceptVersion === undefined) return '1.0';
  const offered = new Set(acceptVersion.split(',').map((version) => version.trim()));
  return SPOKEN.find((version) => offered.has(version)) ?? null;
}

export interface HeartBeat {
  /** How often the server sends (an EOL when nothing else went out); 0 = never. */
  sendMs: number;
  /** How often the client must send something; 0 = not checked. */
  expectMs: number;
}

/** Bounded so a timer can hold it (setTimeout's limit is 2^31-1 ms). */
const MAX_HEART_BEAT_MS = 1_000_000_000;
const HEART_BEAT = /^ *(\d{1,10}) *, *(\d{1,10}) *$/;

/**
 * From the client's `heart-beat: cx,cy` (absent = 0,0) and what the server offers: each direction
 * runs at the larger of the two wishes, and not at all if either side says 0. Null if malformed.
 * The CONNECTED frame states the result as `sendMs,expectMs`, so a client applying the same rule to it
 * arrives at the same two numbers.
 */
export function negotiateHeartBeat(header: string | undefined, offerMs: number): HeartBeat | null {
  if (header === undefined) return { sendMs: 0, expectMs: 0 };
  const match = HEART_BEAT.exec(header);
  if (!match) return null;
  const clientSends = Number(match[1]);
  const clientWants = Number(match[2]);
  if (clientSends > MAX_HEART_BEAT_MS || clientWants > MAX_HEART_BEAT_MS) return null;
  return {
    sendMs: offerMs === 0 || clientWants === 0 ? 0 : Math.max(offerMs, clientWants),
    expectMs: offerMs === 0 || clientSends === 0 ? 0 : Math.max(offerMs, clientSends),
  };
}
