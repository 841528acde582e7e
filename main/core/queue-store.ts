// The claims waiting on the signed-in user, oldest first. Built from the queue snapshot and kept
// current by claim.assigned / claim.unassigned events.
import type { ClaimSummary } from '../../protocol';

// Claims are immutable once received, so each one's sort key is parsed once (the sort compares
// thousands of pairs; Date.parse in the comparator made a 2,000-claim re-sort cost milliseconds).
const sinceCache = new WeakMap<ClaimSummary, number>();

function waitingSince(claim: ClaimSummary): number {
  let since = sinceCache.get(claim);
  if (since === undefined) {
    since = claim.currentStepSince ? Date.parse(claim.currentStepSince) : Number.POSITIVE_INFINITY;
    sinceCache.set(claim, since);
  }
  return since;
}

function oldestFirst(a: ClaimSummary, b: ClaimSummary): number {
  return waitingSince(a) - waitingSince(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class QueueStore {
  private readonly claims = new Map<string, ClaimSummary>();
  private sorted: ClaimSummary[] | null = [];

  get size(): number {
    return this.claims.size;
  }

  get(id: string): ClaimSummary | undefined {
    return this.claims.get(id);
  }

  has(id: string): boolean {
    return this.claims.has(id);
  }

  /** Oldest first (by when the claim reached its current step). Cached until the next change. */
  list(): ClaimSummary[] {
    if (!this.sorted) this.sorted = [...this.claims.values()].sort(oldestFirst);
    return this.sorted;
  }

  /** Replaces everything (a snapshot). Returns the ids that were dropped. */
  replaceAll(claims: readonly ClaimSummary[]): string[] {
    const next = new Set(claims.map((claim) => claim.id));
    const dropped = [...this.claims.keys()].filter((id) => !next.has(id));
    this.claims.clear();
    for (const claim of claims) this.claims.set(claim.id, claim);
    this.sorted = null;
    return dropped;
  }

  /** Adds or updates; an older version never overwrites a newer one (replays are harmless). */
  upsert(claim: ClaimSummary): boolean {
    const existing = this.claims.get(claim.id);
    if (existing && existing.version > claim.version) return false;
    this.claims.set(claim.id, claim);
    this.sorted = null;
    return true;
  }

  /** Removes a claim unless the local copy is already newer than the transition that removed it. */
  remove(id: string, atVersion?: number): boolean {
    const existing = this.claims.get(id);
    if (!existing) return false;
    if (atVersion !== undefined && existing.version > atVersion) return false;
    this.claims.delete(id);
    this.sorted = null;
    return true;
  }

  clear(): void {
    this.claims.clear();
    this.sorted = [];
  }
}
