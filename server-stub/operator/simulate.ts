// `simulate`: a realistic burst of traffic. Demo employees submit plausible claims at a steady rate;
// the director is out of office meanwhile (her reports' claims are approved on her behalf);
// every approver watches their own queue (woken by the long-poll event feed) and mostly approves,
// sometimes rejects with a reason; a few submitters change their mind and withdraw. Runs until every
// claim is decided, then prints a summary. Co-approvers racing for a finance step is expected and is
// counted as a conflict, not an error.
import { randomUUID } from 'node:crypto';
import {
  type ApiClient,
  ApiError,
  type ClaimDetail,
  type ClaimState,
  type ClaimSummary,
} from '../../protocol';
import { DEMO_USERS } from '../org/demo-org';
import {
  randomApproveComment,
  randomClaim,
  randomRejectReason,
  SeededRandom,
  withRandomReceipts,
} from './claim-generator';
import { type CommandSpec, optionalInt, optionalNumber } from './command';
import { absenceDuring, SIMULATED_ABSENCE } from './delegation-commands';
import { describeError, UsageError } from './describe-error';
import { type ChainChangeCounts, SimulatedChainChanges } from './simulate-chain';

const REJECT_PROBABILITY = 0.1;
const WITHDRAW_PROBABILITY = 0.05;
/** A submitter sends the same expense twice (the stub flags the second as a likely duplicate). */
const RESUBMIT_PROBABILITY = 0.05;
/** A submitter whose claim may already be nudged (the stub's --nudge-after-seconds is short) nudges it. */
const NUDGE_PROBABILITY = 0.2;

export interface SimulationSummary {
  claims: number;
  approved: number;
  rejected: number;
  withdrawn: number;
  /** Claims the server raised policy flags on at submission (issue 14). */
  flagged: number;
  /** Claims their submitter nudged (催办) while they waited. */
  nudged: number;
  /** Actions refused because someone else acted first (409); expected with shared finance steps. */
  conflicts: number;
  errors: number;
  undecided: number;
  actions: number;
  elapsedMs: number;
  /** Transfers, added approvers, returns and resubmissions along the way (issue 14). */
  chainChanges: ChainChangeCounts;
}

interface Tracked {
  submitter: string;
  state: ClaimState;
  flagged: boolean;
}

export const simulateCommand: CommandSpec = {
  name: 'simulate',
  summary: 'submit claims as demo employees and let the approvers work them until all are decided',
  usage: '[--count <n>] [--rate <claims per second>] [--seed <n>] [--timeout <seconds>]',
  details: ['defaults: --count 20 --rate 5 --seed (random) --timeout 120'],
  options: {
    count: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    timeout: { type: 'string' },
  },
  positionals: [],
  async run(context, values) {
    const count = optionalInt(values, 'count', 1) ?? 20;
    const rate = optionalNumber(values, 'rate') ?? 5;
    const seed = optionalInt(values, 'seed', 0) ?? Math.floor(Math.random() * 2 ** 31);
    const timeoutSeconds = optionalInt(values, 'timeout', 1) ?? 120;
    if (count > 100_000) throw new UsageError('--count is limited to 100000');
    const people = DEMO_USERS.filter((user) => user.id !== 'admin').map((user) => user.id);
    context.out.note(
      `simulating ${count} claim(s) at ${rate}/s with seed ${seed}; signing in ${people.length} users`,
    );
    const clients = new Map<string, ApiClient>();
    for (const [index, client] of (await Promise.all(people.map((id) => context.pool.as(id)))).entries()) {
      clients.set(people[index]!, client);
    }
    const simulation = new Simulation(clients, new SeededRandom(seed), (error, user) =>
      context.out.note(`error (${user}): ${describeError(error, { server: context.server, user }).message}`),
    );
    const absence = await absenceDuring(
      clients.get(SIMULATED_ABSENCE.delegatorId)!,
      timeoutSeconds,
      context.out.note,
    );
    const summary = await simulation.run(count, rate, timeoutSeconds * 1000);
    await absence.end();
    const human = [
      `claims     ${summary.claims}`,
      `approved   ${summary.approved}`,
      `rejected   ${summary.rejected}`,
      `withdrawn  ${summary.withdrawn}`,
      `flagged    ${summary.flagged} (policy flags at submission)`,
      `nudged     ${summary.nudged} (needs a short --nudge-after-seconds on the stub)`,
      `undecided  ${summary.undecided}`,
      `conflicts  ${summary.conflicts} (co-approvers acting on the same step)`,
      `errors     ${summary.errors}`,
      `actions    ${summary.actions}`,
      `changes    ${summary.chainChanges.transferred} transferred, ${summary.chainChanges.approversAdded} approver(s) added, ${summary.chainChanges.returned} returned and resubmitted`,
      `elapsed    ${(summary.elapsedMs / 1000).toFixed(2)} s`,
    ];
    context.out.result({ seed, ...summary }, human);
    if (summary.errors > 0 || summary.undecided > 0) process.exitCode = 1;
  },
};

class Simulation {
  private readonly claims = new Map<string, Tracked>();
  private submitting = true;
  private stopped = false;
  private conflicts = 0;
  private errors = 0;
  private actions = 0;
  private nudged = 0;
  private inFlightSubmissions = 0;
  private readonly chainChanges: SimulatedChainChanges;
  private wake: () => void = () => {};
  private readonly allDecided = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  constructor(
    private readonly clients: ReadonlyMap<string, ApiClient>,
    private readonly rng: SeededRandom,
    private readonly report: (error: unknown, user: string) => void,
  ) {
    this.chainChanges = new SimulatedChainChanges(rng);
  }

  async run(count: number, rate: number, timeoutMs: number): Promise<SimulationSummary> {
    const started = Date.now();
    const approvers = [...this.clients.entries()].map(([user, client]) => this.approverLoop(user, client));
    const submissions = this.submitAll(count, rate, started);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await submissions;
    this.submitting = false;
    this.checkDone();
    await Promise.race([this.allDecided, timedOut]);
    clearTimeout(timer);
    this.stopped = true;
    await Promise.all(approvers);
    const states = [...this.claims.values()].map((claim) => claim.state);
    const countOf = (state: ClaimState) => states.filter((s) => s === state).length;
    return {
      claims: this.claims.size,
      approved: countOf('approved'),
      rejected: countOf('rejected'),
      withdrawn: countOf('withdrawn'),
      flagged: [...this.claims.values()].filter((claim) => claim.flagged).length,
      nudged: this.nudged,
      conflicts: this.conflicts,
      errors: this.errors,
      undecided: countOf('pending') + countOf('returned'),
      actions: this.actions,
      elapsedMs: Date.now() - started,
      chainChanges: { ...this.chainChanges.counts },
    };
  }

  private async submitAll(count: number, rate: number, started: number): Promise<void> {
    const submitters = [...this.clients.keys()];
    const pending: Promise<void>[] = [];
    const lastOf = new Map<string, ReturnType<typeof randomClaim>>();
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const submitter = this.rng.pick(submitters);
      const previous = lastOf.get(submitter);
      const request =
        previous && this.rng.chance(RESUBMIT_PROBABILITY)
          ? { ...previous, title: `${previous.title} (again)` }
          : withRandomReceipts(this.rng, randomClaim(this.rng));
      lastOf.set(submitter, request);
      const withdrawLater = this.rng.chance(WITHDRAW_PROBABILITY);
      pending.push(this.submitOne(submitter, request, withdrawLater));
    }
    await Promise.all(pending);
  }

  private async submitOne(
    submitter: string,
    request: ReturnType<typeof randomClaim>,
    withdrawLater: boolean,
  ): Promise<void> {
    const client = this.clients.get(submitter)!;
    let claim: ClaimSummary;
    this.inFlightSubmissions++;
    try {
      claim = await client.submitClaim(request, { idempotencyKey: randomUUID() });
      this.actions++;
      this.record(claim, submitter);
    } catch (error) {
      this.errors++;
      this.report(error, submitter);
      return;
    } finally {
      this.inFlightSubmissions--;
    }
    if (withdrawLater) await this.withdraw(submitter, claim);
    else if (this.rng.chance(NUDGE_PROBABILITY)) await this.nudge(submitter, claim);
  }

  /** Nudges if the server already allows it; a claim decided meanwhile (409) is not an error. */
  private async nudge(submitter: string, claim: ClaimSummary): Promise<void> {
    if (!claim.nudgeAllowedFrom || Date.parse(claim.nudgeAllowedFrom) > Date.now()) return;
    try {
      await this.clients.get(submitter)!.nudge(claim.id, { idempotencyKey: randomUUID() });
      this.actions++;
      this.nudged++;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_state') return;
      this.errors++;
      this.report(error, submitter);
    }
  }

  /** The submitter changes their mind; loses the race (409) if the claim was decided meanwhile. */
  private async withdraw(submitter: string, claim: ClaimSummary): Promise<void> {
    const client = this.clients.get(submitter)!;
    let version = claim.version;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const result = await client.withdraw(claim.id, { version, comment: 'Submitted by mistake' });
        this.actions++;
        this.record(result);
        return;
      } catch (error) {
        const current = this.conflictClaim(error);
        if (!current) {
          this.errors++;
          this.report(error, submitter);
          return;
        }
        this.record(current);
        if (current.state !== 'pending') return;
        version = current.version;
      }
    }
  }

  private async approverLoop(user: string, client: ApiClient): Promise<void> {
    while (!this.stopped) {
      try {
        const snapshot = await client.queue();
        // Only this run's claims: a simulation must not decide real claims that happen to be waiting.
        const ours = snapshot.claims.filter((claim) => this.claims.get(claim.id)?.state === 'pending');
        for (const claim of ours) {
          if (this.stopped) return;
          await this.decide(client, claim);
        }
        if (ours.length > 0 || this.stopped) continue;
        if (this.inFlightSubmissions > 0 && snapshot.claims.length > 0) {
          // Possibly a claim whose submit response has not come back yet: look again shortly.
          await new Promise((resolve) => setTimeout(resolve, 20));
        } else {
          // Sleep until something reaches this user's stream (or a second passes).
          await client.events(snapshot.cursor, { waitSeconds: 1, limit: 1 });
        }
      } catch (error) {
        if (this.stopped) return;
        this.errors++;
        this.report(error, user);
      }
    }
  }

  private async decide(client: ApiClient, claim: ClaimSummary): Promise<void> {
    try {
      const changed = await this.chainChanges.maybeChange(client, claim);
      if (changed) {
        this.actions++;
        this.record(changed);
        if (changed.state === 'returned') await this.resubmit(changed);
        return;
      }
      const result = this.rng.chance(REJECT_PROBABILITY)
        ? await client.reject(claim.id, { version: claim.version, reason: randomRejectReason(this.rng) })
        : await client.approve(claim.id, approveBody(claim.version, randomApproveComment(this.rng)));
      this.actions++;
      this.record(result);
    } catch (error) {
      const current = this.conflictClaim(error);
      if (!current) throw error;
      this.record(current);
    }
  }

  /** The submitter resubmits a returned claim at once (the simulation's submitters fix things fast). */
  private async resubmit(claim: ClaimDetail): Promise<void> {
    const submitter = this.claims.get(claim.id)?.submitter ?? claim.submitter.id;
    const result = await this.chainChanges.resubmit(this.clients.get(submitter)!, claim);
    this.actions++;
    this.record(result);
  }

  /** The claim from a 409 (someone else acted first), counted as a conflict; null for other errors. */
  private conflictClaim(error: unknown): ClaimDetail | null {
    if (!(error instanceof ApiError)) return null;
    if (error.code !== 'stale_version' && error.code !== 'invalid_state') return null;
    this.conflicts++;
    return error.body.claim ?? null;
  }

  /** Notes a claim's state from any response; only a submission adds a claim to the run. */
  private record(claim: ClaimSummary, submitter?: string): void {
    const tracked = this.claims.get(claim.id);
    if (tracked) {
      // Responses may arrive out of order; a decided claim stays decided (returned is not decided).
      if (tracked.state === 'pending' || tracked.state === 'returned') tracked.state = claim.state;
    } else if (submitter) {
      this.claims.set(claim.id, { submitter, state: claim.state, flagged: claim.flags.length > 0 });
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.submitting) return;
    for (const claim of this.claims.values())
      if (claim.state === 'pending' || claim.state === 'returned') return;
    this.wake();
  }
}

function approveBody(version: number, comment: string | undefined) {
  return comment ? { version, comment } : { version };
}
