// The demo's delegation in force: Heidi Xu (director) is out of office for two weeks and Carol Wang
// (Sales manager) covers her approvals. Chosen so the rest of the demo still reads as before: Heidi
// only approves the supervisor step of her direct reports (Carol, Frank, Dave, Grace), so Frank's,
// Dave's and Grace's claims wait on "Carol Wang for Heidi Xu" while Carol's own claims stay with Heidi
// (nobody approves their own claim). Bob's and Alice's chains do not involve Heidi at all.
// Seeded once, into a store that has never had a delegation, so ending it early sticks across restarts.
import type { Backend } from '../http/backend';

export const DEMO_DELEGATION = { delegatorId: 'heidi', delegateId: 'carol', days: 14 } as const;

export function seedDemoDelegation(backend: Backend): void {
  const any = backend.db.prepare('SELECT 1 FROM delegations LIMIT 1').pluck().get();
  if (any !== undefined) return;
  const endsAt = new Date(backend.clock() + DEMO_DELEGATION.days * 24 * 60 * 60 * 1000).toISOString();
  backend.eventLog.transact((emit) =>
    backend.delegations.create(
      DEMO_DELEGATION.delegatorId,
      { delegateId: DEMO_DELEGATION.delegateId, endsAt },
      emit,
    ),
  );
}
