// Bulk approve (issue 14): the queue's checked claims approved in one action. Only claims without
// policy flags can be checked (the core refuses a flagged one too); each is approved at the version
// the window showed, and the bar then lists every claim's result — approved, changed meanwhile, not
// eligible or failed, with the reason — until dismissed, so nothing is half-done silently.
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { ClaimSummary } from '../../protocol/claims';
import type { BulkApproveResultView, SnapshotView } from '../bridge-types';
import { useApp } from '../context';
import { problemText } from '../i18n';
import { isLive } from './connection-banner';

export const isBulkEligible = (claim: ClaimSummary) => claim.flags.length === 0;

export interface BulkSelection {
  /** Checked ids still in the queue and still eligible (a claim that left or changed drops out). */
  checked: ReadonlySet<string>;
  toggle(claim: ClaimSummary): void;
  setAll(claims: readonly ClaimSummary[]): void;
  clear(): void;
}

export function useBulkSelection(queue: readonly ClaimSummary[]): BulkSelection {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const checked = useMemo(() => {
    const eligible = new Set(queue.filter(isBulkEligible).map((claim) => claim.id));
    return new Set([...picked].filter((id) => eligible.has(id)));
  }, [picked, queue]);
  const toggle = useCallback((claim: ClaimSummary) => {
    if (!isBulkEligible(claim)) return;
    setPicked((previous) => {
      const next = new Set(previous);
      if (next.has(claim.id)) next.delete(claim.id);
      else next.add(claim.id);
      return next;
    });
  }, []);
  const setAll = useCallback((claims: readonly ClaimSummary[]) => {
    setPicked(new Set(claims.filter(isBulkEligible).map((claim) => claim.id)));
  }, []);
  const clear = useCallback(() => setPicked(new Set()), []);
  return { checked, toggle, setAll, clear };
}

interface BulkBarProps {
  snapshot: SnapshotView;
  selection: BulkSelection;
}

/**
 * "Select all without flags", beside the queue's title (so the list does not move down for it):
 * checks the eligible claims of those the list shows now (filters applied).
 */
export function BulkSelectAll({
  selection,
  visible,
}: {
  selection: BulkSelection;
  visible: readonly ClaimSummary[];
}) {
  const { t } = useApp();
  const eligible = visible.filter(isBulkEligible);
  if (eligible.length === 0 || selection.checked.size > 0) return null;
  return (
    <button
      type="button"
      class="link bulk-select-all"
      data-testid="bulk-select-all"
      title={t.bulkKeyHint}
      onClick={() => selection.setAll(eligible)}
    >
      {t.bulkSelectAllClean(eligible.length)}
    </button>
  );
}

interface Outcome {
  results: BulkApproveResultView[];
  titles: ReadonlyMap<string, string>;
}

export function BulkBar({ snapshot, selection }: BulkBarProps) {
  const { t, bridge } = useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const live = isLive(snapshot.connection);
  const count = selection.checked.size;

  const approve = async () => {
    const claims = snapshot.queue.filter((claim) => selection.checked.has(claim.id));
    if (claims.length === 0) return;
    setBusy(true);
    setProblem(null);
    const response = await bridge.bulkApprove({
      items: claims.map((claim) => ({ id: claim.id, version: claim.version })),
      ...(comment.trim() ? { comment } : {}),
    });
    setBusy(false);
    if (!response.ok) {
      setProblem(problemText(t, response.error));
      return;
    }
    setOutcome({ results: response.value, titles: new Map(claims.map((claim) => [claim.id, claim.title])) });
    selection.clear();
    setComment('');
  };

  if (count === 0 && !outcome) return null;
  return (
    <div class="bulk" data-testid="bulk-bar" title={t.bulkKeyHint}>
      {outcome && <BulkResults outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {count > 0 && (
        <div class="bulk-row">
          <span class="bulk-count" data-testid="bulk-count" aria-live="polite">
            {busy ? t.bulkApproving(count) : t.bulkSelected(count)}
          </span>
          <button
            type="button"
            class="link"
            data-testid="bulk-clear"
            disabled={busy}
            onClick={selection.clear}
          >
            {t.bulkClear}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="bulk-approve"
            disabled={busy || !live}
            onClick={() => void approve()}
          >
            {t.bulkApprove(count)}
          </button>
        </div>
      )}
      {count > 0 && (
        <label class="bulk-comment">
          <span class="visually-hidden">{t.bulkComment}</span>
          <input
            type="text"
            data-testid="bulk-comment"
            maxLength={2000}
            placeholder={t.bulkComment}
            value={comment}
            disabled={busy}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
        </label>
      )}
      {count > 0 && !live && <p class="muted">{t.actionsDisabledOffline}</p>}
      {problem && (
        <p role="alert" class="error" data-testid="bulk-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function BulkResults({ outcome, onDismiss }: { outcome: Outcome; onDismiss: () => void }) {
  const { t } = useApp();
  const approved = outcome.results.filter((result) => result.outcome === 'approved').length;
  return (
    <section
      class="bulk-results"
      role="status"
      data-testid="bulk-results"
      aria-labelledby="bulk-results-title"
    >
      <div class="bulk-row">
        <strong id="bulk-results-title">{t.bulkResultsTitle(approved, outcome.results.length)}</strong>
        <button type="button" class="link" data-testid="bulk-dismiss" onClick={onDismiss}>
          {t.bulkDismiss}
        </button>
      </div>
      <ul>
        {outcome.results.map((result) => (
          <li
            key={result.id}
            class={`bulk-result bulk-${result.outcome}`}
            data-testid="bulk-result"
            data-claim-id={result.id}
          >
            <span class="bulk-outcome">{t.bulkOutcome(result.outcome)}</span>
            <span class="bulk-what" title={outcome.titles.get(result.id) ?? result.id}>
              {result.id} · {outcome.titles.get(result.id) ?? ''}
            </span>
            {result.message && <span class="bulk-why">{result.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
