// Claim links: what opens a claim, and everything hostile that must not (other schemes and hosts,
// traversal, encoded separators, huge ids, unknown actions).
import { describe, expect, it } from 'vitest';
import {
  deepLinkFor,
  findDeepLink,
  MAX_DEEP_LINK_LENGTH,
  parseDeepLink,
} from '../../../main/common/deep-link';

describe('parseDeepLink', () => {
  it.each([
    ['signoff://claim/EXP-000042', { claimId: 'EXP-000042' }],
    ['signoff://claim/EXP-000042/', { claimId: 'EXP-000042' }],
    ['signoff://claim/EXP-000042/approve', { claimId: 'EXP-000042', intent: 'approve' }],
    ['signoff://claim/EXP-000042/reject', { claimId: 'EXP-000042', intent: 'reject' }],
    // Case of scheme and host does not matter; query, fragment and user info are ignored.
    ['SIGNOFF://Claim/EXP-000042?approve=1#now', { claimId: 'EXP-000042' }],
    ['signoff://someone:secret@claim/EXP-000042', { claimId: 'EXP-000042' }],
  ])('%s opens the claim', (link, expected) => {
    expect(parseDeepLink(link)).toEqual(expected);
  });

  it.each([
    ['another scheme', 'https://claim/EXP-000042'],
    ['a file URL', 'file:///etc/passwd'],
    ['another host', 'signoff://settings/EXP-000042'],
    ['a port', 'signoff://claim:8080/EXP-000042'],
    ['no id', 'signoff://claim/'],
    ['traversal', 'signoff://claim/../../etc/passwd'],
    ['an encoded slash', 'signoff://claim/EXP%2F..%2Fx'],
    ['an encoded dot segment', 'signoff://claim/%2e%2e'],
    ['a backslash', 'signoff://claim/EXP\\..\\x'],
    ['a leading dot', 'signoff://claim/.hidden'],
    ['an unknown action', 'signoff://claim/EXP-000042/delete'],
    ['too many segments', 'signoff://claim/EXP-000042/approve/now'],
    ['an id longer than the protocol allows', `signoff://claim/${'A'.repeat(65)}`],
    ['a huge link', `signoff://claim/EXP-1?${'x'.repeat(MAX_DEEP_LINK_LENGTH)}`],
    ['spaces', 'signoff://claim/EXP 42'],
    ['not a URL', 'signoff:claim'],
    ['javascript', 'javascript:alert(1)'],
  ])('refuses %s', (_why, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it('round-trips the links the app builds (Windows toast buttons)', () => {
    expect(deepLinkFor('EXP-000042', 'reject')).toBe('signoff://claim/EXP-000042/reject');
    expect(parseDeepLink(deepLinkFor('EXP-000042'))).toEqual({ claimId: 'EXP-000042' });
    expect(() => deepLinkFor('../etc')).toThrow();
  });
});

describe('findDeepLink', () => {
  it('takes the link among the arguments a launch carries', () => {
    expect(findDeepLink(['/opt/Signoff/signoff', '--no-sandbox', 'signoff://claim/EXP-7/approve'])).toEqual({
      claimId: 'EXP-7',
      intent: 'approve',
    });
    expect(findDeepLink(['/opt/Signoff/signoff', '--hidden'])).toBeNull();
    expect(findDeepLink(['signoff', 'signoff://claim/../x'])).toBeNull();
  });
});
