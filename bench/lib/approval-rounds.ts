// Approval rounds with the crowd connected, as bench:fanout and bench:cluster time them: alice
// submits, bob approves, and carol's one desktop receives claim.assigned. Alice, bob and carol have
// one desktop each; where those desktops are connected and where the HTTP calls go are the caller's
// choice (the same node, or two nodes of a cluster).
import { ApiClient } from '../../protocol';
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
  /** Each approval's own write transaction at the stub, commit included (its Server-Timing). */
  approveCommit: Summary;
  /** approvePush less that approval's own transaction: everything but its disk write, round by round. */
  approvePushBesideCommit: Summary;
}

/** `commit;dur=<ms>` of a Server-Timing header (the write transaction, commit included), or null. */
export function commitMillis(serverTiming: string | null): number | null {
  const timing = /commit;dur=([\d.]+)/.exec(serverTiming ?? '');
  return timing ? Number(timing[1]) : null;
}

/**
 * Empties this process's young generation between rounds (needs --expose-gc, which `npm run
 * bench:fanout` and `bench:cluster` pass), so none of its own scavenges falls inside a measured round.
 * Even with a 32 MB young generation this process paused 3 times in 300 loaded rounds (longest
 * 25.5 ms at load ~8): its ApiClient and zod work allocates ~200 KB a round, and a scavenge inside a
 * round counted as push latency though the stub had nothing to do with it. Alternating runs with and
 * without it (load 3.8-7): this process's pauses in the window 3/3/3, longest 54.9/20.6/21.7 ms
 * without; 2/2, longest 2.5/3.1 ms with (once a 104 ms major collection, which this does not prevent:
 * a forced full collection before the rounds only made V8 schedule more of them among the rounds).
 * The stub's own pauses stay in.
 */
function collectOwnGarbage(): void {
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
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
  const approveCommit: number[] = [];
  const besideCommit: number[] = [];
  try {
    for (const name of ['alice', 'bob', 'carol']) {
      desktops.set(name, await openMeasuringClient(streamUrl, tokenOf(people, name)));
    }
    const desktop = (name: string) => desktops.get(name)!;
    const alice = people.clients.get('alice')!;
    // Bob approves through the same keep-alive client, keeping each answer's Server-Timing.
    let serverTiming: string | null = null;
    const bob = new ApiClient({
      baseUrl: people.clients.get('bob')!.baseUrl,
      token: tokenOf(people, 'bob'),
      fetch: async (input, init) => {
        const response = await people.fetch(input, init);
        serverTiming = response.headers.get('server-timing');
        return response;
      },
    });
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
      const pushed = (await carolGets) - started;
      approvePush.push(pushed);
      const commit = commitMillis(serverTiming);
      if (commit !== null) {
        approveCommit.push(commit);
        besideCommit.push(pushed - commit);
      }
      await aliceGets;
      await betweenRounds();
      collectOwnGarbage();
    }
  } finally {
    for (const client of desktops.values()) client.close();
  }
  return {
    submitPush: summarize(submitPush),
    approvePush: summarize(approvePush),
    approveHttp: summarize(approveHttp),
    approveCommit: summarize(approveCommit),
    approvePushBesideCommit: summarize(besideCommit),
  };
}
