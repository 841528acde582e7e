// Approval rounds with the crowd connected, as bench:fanout and bench:cluster time them: alice
// submits, bob approves, and carol's one desktop receives claim.assigned. Alice, bob and carol have
// one desktop each; where those desktops are connected and where the HTTP calls go are the caller's
// choice (the same node, or two nodes of a cluster).
import { benchClaim } from './bench-claim';
import { type MeasuringClient, openMeasuringClient } from './measuring-client';
import { type SignedIn, tokenOf } from './sign-in';
import { preciseNow, type Summary, summarize } from './stats';

const CLAIM = benchClaim('Taxi to the customer');

export interface ApprovalRounds {
  /** alice's submit sent → bob's desktop has claim.assigned. */
  submitPush: Summary;
  /** bob's approve sent → carol's desktop has claim.assigned (the "committed and pushed"). */
  approvePush: Summary;
  /** bob's approve request → its HTTP response. */
  approveHttp: Summary;
}

/**
 * `count` sequential rounds: alice submits (through her signed-in ApiClient in `people`) → bob's
 * desktop on `streamUrl` sees it and bob approves → carol's desktop on `streamUrl` receives
 * claim.assigned. Waits for alice's claim.advanced too, so no push of one round overlaps the next;
 * `betweenRounds` runs then (nothing in flight), e.g. to sample a floor.
 */
export async function measureApprovals(
  streamUrl: string,
  people: SignedIn,
  count: number,
  betweenRounds: () => void | Promise<void> = () => {},
): Promise<ApprovalRounds> {
  const desktops = new Map<string, MeasuringClient>();
  const submitPush: number[] = [];
  const approvePush: number[] = [];
  const approveHttp: number[] = [];
  try {
    for (const name of ['alice', 'bob', 'carol']) {
      desktops.set(name, await openMeasuringClient(streamUrl, tokenOf(people, name)));
    }
    const desktop = (name: string) => desktops.get(name)!;
    const alice = people.clients.get('alice')!;
    const bob = people.clients.get('bob')!;
    for (let i = 0; i < count; i++) {
      // The claim id is not known before the submit returns, so bob's push is awaited by the next id.
      const submitStarted = preciseNow();
      const claim = await alice.submitClaim(CLAIM);
      const bobSaw = await desktop('bob').next('claim.assigned', claim.id);
      submitPush.push(bobSaw - submitStarted);

      const carolGets = desktop('carol').next('claim.assigned', claim.id);
      const aliceGets = desktop('alice').next('claim.advanced', claim.id);
      const started = preciseNow();
      await bob.approve(claim.id, { version: claim.version });
      approveHttp.push(preciseNow() - started);
      approvePush.push((await carolGets) - started);
      await aliceGets;
      await betweenRounds();
    }
  } finally {
    for (const client of desktops.values()) client.close();
  }
  return {
    submitPush: summarize(submitPush),
    approvePush: summarize(approvePush),
    approveHttp: summarize(approveHttp),
  };
}
