// Search and filters for the queue. Pure and allocation-light: the window re-runs it on every
// keystroke over up to thousands of claims, so the lowercase search text per claim is built once
// (cached by claim object identity, which only changes when the claim does).
import type { ClaimCategory, ClaimSummary, StepKind } from '../protocol/claims';

export interface QueueFilter {
  /** Matched case-insensitively against title, submitter name and id. */
  text: string;
  category: ClaimCategory | 'all';
  step: StepKind | 'all';
}

export const noFilter: QueueFilter = { text: '', category: 'all', step: 'all' };

const haystacks = new WeakMap<ClaimSummary, string>();

function haystackOf(claim: ClaimSummary): string {
  let text = haystacks.get(claim);
  if (text === undefined) {
    text = `${claim.title}\n${claim.submitter.name}\n${claim.submitter.id}\n${claim.id}`.toLocaleLowerCase();
    haystacks.set(claim, text);
  }
  return text;
}

export function isFiltering(filter: QueueFilter): boolean {
  return filter.text.trim() !== '' || filter.category !== 'all' || filter.step !== 'all';
}

/** Keeps the queue's order (oldest first); returns the same array when nothing filters. */
export function filterQueue(queue: readonly ClaimSummary[], filter: QueueFilter): readonly ClaimSummary[] {
  if (!isFiltering(filter)) return queue;
  const terms = filter.text.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return queue.filter(
    (claim) =>
      (filter.category === 'all' || claim.category === filter.category) &&
      (filter.step === 'all' || claim.currentStep?.kind === filter.step) &&
      terms.every((term) => haystackOf(claim).includes(term)),
  );
}
