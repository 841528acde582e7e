// Done (the claims I approved or rejected, with my decision and comment) and My claims (what I
// submitted and where each stands), newest first, a page at a time. The rows are the queue's: the same
// fixed-height, windowed list (styles.css `.row`, use-row-window.ts) and the same list keys, so a row
// can never overlap or clip at tray size. Opening a row shows the claim read-only beside the list when
// the window is wide, over it when narrow; the list keeps its place meanwhile.
import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ClaimSummary } from '../../protocol/claims';
import { NudgeBar } from '../components/nudge';
import { useApp } from '../context';
import { isPlainKey, isTypingTarget } from '../keyboard';
import { listStep } from '../list-keys';
import { displayMoney } from '../money-display';
import { type ClaimListItem, type ClaimListScope, useClaimList } from '../use-claim-list';
import { useNow } from '../use-now';
import { useRowWindow } from '../use-row-window';

/** The two lists, by the name the window routes them under. */
export type ListName = 'done' | 'mine';
const SCOPE: Record<ListName, ClaimListScope> = { done: 'decided', mine: 'mine' };

export function listRowId(list: ListName, claimId: string): string {
  return `${list}-row-${claimId}`;
}

interface ClaimListViewProps {
  list: ListName;
  /** The snapshot's listsRevision: when it moves, the first page is fetched again. */
  revision: number;
  onOpen: (id: string) => void;
  /** The claim whose detail is open (wide: beside the list), which the list shows as selected. */
  openId: string | null;
}

export function ClaimListView({ list, revision, onOpen, openId }: ClaimListViewProps) {
  const { t, fmt } = useApp();
  const now = useNow();
  const listRef = useRef<HTMLDivElement>(null);
  const { page, error, loadingMore, loadMore, reload } = useClaimList(SCOPE[list], revision);
  const items = page?.claims ?? [];
  const detailOpen = openId !== null;

  const [selectedId, setSelectedId] = useState<string | null>(openId);
  useEffect(() => {
    if (openId) setSelectedId(openId);
  }, [openId]);
  const found = items.findIndex((claim) => claim.id === selectedId);
  const selectedIndex = found >= 0 ? found : items.length > 0 ? 0 : -1;
  const effectiveId = items[selectedIndex]?.id ?? null;

  const rows = useRowWindow(listRef, items.length);
  const { reveal } = rows;
  useLayoutEffect(() => {
    reveal(selectedIndex);
  }, [selectedIndex, reveal]);

  // Land on the list when it opens (or the claim over it closes), so the list keys work at once.
  const hasItems = items.length > 0;
  useEffect(() => {
    if (!detailOpen && hasItems) listRef.current?.focus({ preventScroll: true });
  }, [detailOpen, hasItems]);

  // The queue's keys; while a claim is open its view owns the keyboard (Esc comes back here).
  useLayoutEffect(() => {
    if (detailOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event) || isTypingTarget(event.target) || event.defaultPrevented) return;
      const step = listStep(event.key, items.length);
      if (step !== null) {
        event.preventDefault();
        if (items.length === 0) return;
        const next = Math.min(items.length - 1, Math.max(0, selectedIndex + step));
        setSelectedId(items[next]?.id ?? null);
        listRef.current?.focus({ preventScroll: true });
        return;
      }
      // Buttons (Load more, the tabs) handle their own Enter.
      if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement) && effectiveId) {
        event.preventDefault();
        onOpen(effectiveId);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [detailOpen, items, selectedIndex, effectiveId, onOpen]);

  const title = list === 'done' ? t.doneTitle : t.mineTitle;
  const more = page?.nextCursor != null;
  return (
    <section class="queue claim-list" aria-labelledby="list-title" data-testid={`list-${list}`}>
      <div class="queue-head">
        <h1 id="list-title">{title}</h1>
        {page && (
          <span class="count" data-testid="list-count" aria-live="polite">
            {t.listCount(items.length, more, fmt.count)}
          </span>
        )}
      </div>
      {!page && !error && <p aria-busy="true">{t.loadingList}</p>}
      {error && (
        <div class="notice" role="alert" data-testid="list-error">
          <p>
            {t.listLoadFailed} {error.message}
          </p>
          {!page && (
            <button type="button" onClick={reload}>
              {t.retry}
            </button>
          )}
        </div>
      )}
      {page && items.length === 0 && (
        <div class="empty" data-testid="empty-list">
          <p class="empty-title">{list === 'done' ? t.emptyDone : t.emptyMine}</p>
          <p>{list === 'done' ? t.emptyDoneHint : t.emptyMineHint}</p>
        </div>
      )}
      <div
        ref={listRef}
        id={`${list}-list`}
        class="queue-list"
        role="listbox"
        aria-label={title}
        data-testid="claim-list"
        tabIndex={0}
        hidden={items.length === 0}
        onScroll={rows.onScroll}
        aria-activedescendant={effectiveId ? listRowId(list, effectiveId) : undefined}
      >
        {rows.before > 0 && <div aria-hidden="true" class="spacer" style={{ height: `${rows.before}px` }} />}
        {items.slice(rows.start, rows.end).map((claim, offset) => (
          <ListRow
            key={claim.id}
            rowId={listRowId(list, claim.id)}
            claim={claim}
            position={rows.start + offset + 1}
            setSize={items.length}
            selected={claim.id === effectiveId}
            lines={list === 'done' ? doneLines(claim) : mineLines(claim)}
            onOpen={onOpen}
          />
        ))}
        {rows.after > 0 && <div aria-hidden="true" class="spacer" style={{ height: `${rows.after}px` }} />}
      </div>
      {list === 'mine' && items[selectedIndex] && <NudgeBar claim={items[selectedIndex]} now={now} />}
      {more && (
        <button
          type="button"
          class="load-more"
          data-testid="load-more"
          disabled={loadingMore}
          onClick={loadMore}
        >
          {loadingMore ? t.loadingMore : t.loadMore}
        </button>
      )}
      {hasItems && !detailOpen && <p class="hint">{t.listKeyboardHint}</p>}
    </section>
  );

  /** Done: who submitted it, my decision and when, my comment. */
  function doneLines(claim: ClaimListItem): RowLines {
    const decision = 'decision' in claim ? claim.decision : null;
    return {
      amount: displayMoney(claim.totalMinor, claim.currency, fmt.locale),
      second: [
        { text: claim.submitter.name, class: 'row-submitter' },
        ...(decision
          ? [
              {
                text: t.myDecision(decision.action),
                class: `state state-${decision.action}`,
                testId: 'row-decision',
              },
              { text: fmt.relative(decision.at, now), class: 'row-waited', title: fmt.dateTime(decision.at) },
            ]
          : []),
      ],
      third: [
        decision?.comment
          ? { text: decision.comment, class: 'row-comment', testId: 'row-comment' }
          : { text: t.noComment, class: 'row-comment muted', testId: 'row-comment' },
      ],
    };
  }

  /** My claims: its state; while pending the step, who holds it and since when. */
  function mineLines(claim: ClaimSummary): RowLines {
    const step = claim.currentStep;
    const state = {
      text: t.claimState(claim.state),
      class: `state state-${claim.state}`,
      testId: 'row-state',
    };
    const since = claim.currentStepSince;
    const nudged = claim.lastNudgedAt;
    return {
      amount: displayMoney(claim.totalMinor, claim.currency, fmt.locale),
      second: step
        ? [
            state,
            { text: t.step(step.kind), class: `step step-${step.kind}` },
            {
              text: t.holders(step.approvers.map((a) => a.name)),
              class: 'row-submitter',
              testId: 'row-holders',
            },
          ]
        : [
            state,
            {
              text: fmt.relative(claim.updatedAt, now),
              class: 'row-waited',
              title: fmt.dateTime(claim.updatedAt),
            },
          ],
      third: [
        since
          ? { text: t.atStepSince(fmt.relative(since, now)), class: 'row-waited', title: fmt.dateTime(since) }
          : {
              text: t.submittedWhen(fmt.relative(claim.submittedAt, now)),
              class: 'row-waited',
              title: fmt.dateTime(claim.submittedAt),
            },
        ...(nudged && claim.state === 'pending'
          ? [
              {
                text: t.nudgedAgo(fmt.relative(nudged, now)),
                class: 'row-nudged',
                title: fmt.dateTime(nudged),
                testId: 'row-nudged',
              },
            ]
          : []),
      ],
    };
  }
}

interface Cell {
  text: string;
  class: string;
  /** The tooltip; the text itself when absent (what an ellipsis cut stays readable). */
  title?: string;
  testId?: string;
}
interface RowLines {
  amount: string;
  second: Cell[];
  third: Cell[];
}

interface RowProps {
  rowId: string;
  claim: ClaimSummary;
  position: number;
  setSize: number;
  selected: boolean;
  lines: RowLines;
  onOpen: (id: string) => void;
}

function Cells({ cells }: { cells: Cell[] }) {
  return (
    <>
      {cells.map((cell) => (
        <span key={cell.class} class={cell.class} title={cell.title ?? cell.text} data-testid={cell.testId}>
          {cell.text}
        </span>
      ))}
    </>
  );
}

const ListRow = memo(function ListRow({
  rowId,
  claim,
  position,
  setSize,
  selected,
  lines,
  onOpen,
}: RowProps) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard is handled by the listbox (aria-activedescendant).
    <div
      id={rowId}
      tabIndex={-1}
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      class={`row${selected ? ' selected' : ''}`}
      data-claim-id={claim.id}
      onClick={() => onOpen(claim.id)}
    >
      {/* The queue row's three one-line, ellipsized lines (fixed height: the list is windowed). */}
      <div class="row-line row-main">
        <span class="row-title" title={claim.title}>
          {claim.title}
        </span>
        <span class="row-amount">{lines.amount}</span>
      </div>
      <div class="row-line row-meta">
        <Cells cells={lines.second} />
      </div>
      <div class="row-line row-meta">
        <Cells cells={lines.third} />
        <span class="row-id">{claim.id}</span>
      </div>
    </div>
  );
});
