// The claim:nudge channel on a REAL core and a REAL stub (nudges allowed at once): a nudge, then the
// too-soon answer with its time, both contract-shaped; a malformed id never reaches the core.
import { describe, expect, it } from 'vitest';
import { createIpcHandlers } from '../../../main/ipc/handlers';
import { undoAfterEach } from '../../support/cleanups';
import { signedInCore } from '../../support/core-harness';
import { clientFor, sampleClaim, startInProcessStub } from '../../support/stub-fixtures';

const defer = undoAfterEach();

describe('claim:nudge', () => {
  it('nudges, then says too soon with the next allowed time', { timeout: 60_000 }, async () => {
    const stub = defer.dispose(await startInProcessStub({ nudgeAfterMs: 0 }));
    const alice = defer.dispose(await signedInCore(stub.url, 'alice'));
    const handlers = createIpcHandlers(alice.core, { openExternal: async () => {} });
    const claim = await (await clientFor(stub.url, 'alice')).submitClaim(sampleClaim());

    expect(await handlers['claim:nudge']({ id: '' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
    const first = await handlers['claim:nudge']({ id: claim.id });
    expect(first).toMatchObject({ ok: true, value: { ok: true, claim: { id: claim.id } } });
    const second = await handlers['claim:nudge']({ id: claim.id });
    expect(second).toMatchObject({ ok: true, value: { ok: false, reason: 'too-soon' } });
    if (!second.ok || second.value.ok) throw new Error('expected too-soon');
    expect(second.value.nextAllowedAt).toBe((await stub.backend.claims.summary(claim.id))?.nudgeAllowedFrom);
  });
});
