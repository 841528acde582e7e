// The claims waiting on me, oldest first (or by amount or submitter), with search, filters, a count and
// keyboard navigation. In a wide window it stays beside the open claim (master–detail).
// Rows are memoised, take precomputed strings, and only the scrolled-to window of them is in the DOM
// (use-row-window.ts), so a keystroke in the search box costs the same for 20 claims or 1,000.
import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { ClaimSummary } from '../../protocol/claims';
import { CLAIM_CATEGORIES, STEP_KINDS } from '../../protocol/enums';
import type { SnapshotView } from '../bridge-types';
import { Announcements } from '../components/announcements';
import { BulkBar, BulkSelectAll, isBulkEligible, useBulkSelection } from '../components/bulk-approve';
import { SelectField } from '../components/fields';
import { NudgedMarker } from '../components/nudge';
import { PolicyFlagBadge, policyFlagTexts } from '../components/policy-flags';
import { useApp } from '../context';
import type { Catalog } from '../i18n/catalog';
import { isPlainKey, isTypingTarget } from '../keyboard';
import { displayMoney } from '../money-display';
import { filterQueue, isFiltering, noFilter, QUEUE_SORTS, type QueueFilter } from '../queue-filter';
import { useNow } from '../use-now';
import { useRowWindow } from '../use-row-window';

const CATEGORIES = CLAIM_CATEGORIES;
const STEPS = STEP_KINDS;

export function rowId(claimId: string): string {
  return `claim-row-${claimId}`;
}

/** A claim that has waited on me this long gets a visible "Overdue" marker. */
export const OVERDUE_HOURS = 48;
const OVERDUE_MS = OVERDUE_HOURS * 3600_000;

export function isOverdue(claim: ClaimSummary, now: number): boolean {
  return claim.currentStepSince !== null && now - Date.parse(claim.currentStepSince) > OVERDUE_MS;
}

/**
 * Which claim to select when the selected one left the list (decided, or filtered out): the first one
 * after it in the previous list that is still shown, else the nearest one before it. Working through a
 * queue then moves forward instead of jumping back to the top.
 */
export function successorOf(
  goneId: string,
  previous: readonly ClaimSummary[],
  visible: readonly ClaimSummary[],
): string | null {
  const at = previous.findIndex((claim) => claim.id === goneId);
  if (at < 0) return visible[0]?.id ?? null;
  const shown = new Set(visible.map((claim) => claim.id));
  for (let i = at + 1; i < previous.length; i++) {
    const id = previous[i]?.id;
    if (id && shown.has(id)) return id;
  }
  for (let i = at - 1; i >= 0; i--) {
    const id = previous[i]?.id;
    if (id && shown.has(id)) return id;
  }
  return visible[0]?.id ?? null;
}

interface QueueViewProps {
  snapshot: SnapshotView;
  filter: QueueFilter;
  onFilterChange: (filter: QueueFilter) => void;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onOpen: (id: string, intent?: 'approve' | 'reject') => void;
  /** A claim is open (beside the list when wide, over it when narrow): the claim owns the keyboard. */
  detailOpen?: boolean;
  /** Each change moves keyboard focus to the list (the global shortcut). */
  focusRequest?: number;
  /** The announcements panel above the list; its state lives in the app so the tray can open it. */
  announcementsOpen?: boolean;
  onAnnouncementsOpenChange?: (open: boolean) => void;
}

export function QueueView({
  snapshot,
  filter,
  onFilterChange,
  selectedId,
  onSelect,
  onOpen,
  detailOpen = false,
  focusRequest = 0,
  announcementsOpen = false,
  onAnnouncementsOpenChange = () => {},
}: QueueViewProps) {
  const { t, fmt } = useApp();
  const now = useNow();
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const queue = snapshot.queue;
  const locale = fmt.locale;
  const visible = useMemo(() => filterQueue(queue, filter, locale), [queue, filter, locale]);
  const bulk = useBulkSelection(queue);
  const { toggle: toggleChecked } = bulk;

  // The selection follows the visible list: if the selected claim left it (I just decided it), select
  // the one that came after it.
  const previousVisible = useRef(visible);
  const selectedIndex = visible.findIndex((claim) => claim.id === selectedId);
  const fallbackId =
    selectedIndex >= 0 || visible.length === 0
      ? null
      : selectedId === null
        ? (visible[0]?.id ?? null)
        : successorOf(selectedId, previousVisible.current, visible);
  const effectiveIndex =
    selectedIndex >= 0 ? selectedIndex : visible.findIndex((claim) => claim.id === fallbackId);
  const effectiveId = effectiveIndex >= 0 ? (visible[effectiveIndex]?.id ?? null) : null;
  useEffect(() => {
    previousVisible.current = visible;
    if (effectiveId !== selectedId) onSelect(effectiveId);
  }, [visible, effectiveId, selectedId, onSelect]);

  const rows = useRowWindow(listRef, visible.length);
  const { reveal } = rows;
  useLayoutEffect(() => {
    reveal(effectiveIndex);
  }, [effectiveIndex, reveal]);

  // Land on the list when the view opens (or the claim beside it closes), so j/k work at once and
  // screen readers announce it; again on each focus request (the global shortcut).
  useEffect(() => {
    if (!detailOpen) listRef.current?.focus({ preventScroll: true });
  }, [detailOpen, focusRequest]);

  // A layout effect re-binds synchronously on every commit, so a fast second key press never reaches
  // a handler holding the previous list or selection.
  useLayoutEffect(() => {
    // While a claim is open its view handles j/k, a, r and Esc; two handlers would act twice.
    if (detailOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event)) return;
      if (event.key === '/' && !isTypingTarget(event.target)) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (event.target === searchRef.current && (event.key === 'ArrowDown' || event.key === 'Enter')) {
        event.preventDefault();
        listRef.current?.focus();
        return;
      }
      if (event.key === 'Escape' && event.target === searchRef.current) {
        onFilterChange({ ...filter, text: '' });
        listRef.current?.focus();
        return;
      }
      if (isTypingTarget(event.target) || event.defaultPrevented) return;
      const move = (delta: number) => {
        if (visible.length === 0) return;
        const next = Math.min(visible.length - 1, Math.max(0, effectiveIndex + delta));
        onSelect(visible[next]?.id ?? null);
        listRef.current?.focus({ preventScroll: true });
      };
      switch (event.key) {
        // Space and x check the highlighted claim for bulk approval (buttons keep their own Space).
        case ' ':
        case 'x': {
          if (event.target instanceof HTMLButtonElement) return;
          const claim = visible[effectiveIndex];
          if (claim) {
            event.preventDefault();
            toggleChecked(claim);
          }
          break;
        }
        case 'ArrowDown':
        case 'j':
          event.preventDefault();
          move(1);
          break;
        case 'ArrowUp':
        case 'k':
          event.preventDefault();
          move(-1);
          break;
        case 'Home':
          event.preventDefault();
          move(-visible.length);
          break;
        case 'End':
          event.preventDefault();
          move(visible.length);
          break;
        case 'Enter':
          // Buttons handle their own Enter; only the list (or the page) opens the selected claim.
          if (event.target instanceof HTMLButtonElement) return;
          if (effectiveId) {
            event.preventDefault();
            onOpen(effectiveId);
          }
          break;
        case 'a':
          if (effectiveId) {
            event.preventDefault();
            onOpen(effectiveId, 'approve');
          }
          break;
        case 'r':
          if (effectiveId) {
            event.preventDefault();
            onOpen(effectiveId, 'reject');
          }
          break;
        default:
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [
    detailOpen,
    visible,
    effectiveIndex,
    effectiveId,
    filter,
    onFilterChange,
    onOpen,
    onSelect,
    toggleChecked,
  ]);

  const filtering = isFiltering(filter);
  return (
    <section class="queue" aria-labelledby="queue-title">
      <Announcements
        announcements={snapshot.announcements}
        open={announcementsOpen}
        onOpenChange={onAnnouncementsOpenChange}
      />
      <div class="queue-head">
        <h1 id="queue-title">{t.queueTitle}</h1>
        <span class="count" data-testid="queue-count" aria-live="polite">
          {t.queueCount(visible.length, queue.length, fmt.count)}
        </span>
        <BulkSelectAll selection={bulk} visible={visible} />
      </div>
      <search class="filters" hidden={queue.length === 0}>
        <label class="search">
          <span class="visually-hidden">{t.searchLabel}</span>
          <input
            ref={searchRef}
            type="search"
            data-testid="search"
            placeholder={t.searchPlaceholderCompact}
            title={t.searchPlaceholder}
            value={filter.text}
            onInput={(event) => onFilterChange({ ...filter, text: event.currentTarget.value })}
            aria-controls="queue-list"
          />
        </label>
        <SelectField
          label={t.categoryFilter}
          labelHidden
          testId="category-filter"
          value={filter.category}
          options={[
            { value: 'all', label: t.allCategories },
            ...CATEGORIES.map((category) => ({ value: category, label: t.category(category) })),
          ]}
          onChange={(category) => onFilterChange({ ...filter, category })}
        />
        <SelectField
          label={t.stepFilter}
          labelHidden
          testId="step-filter"
          value={filter.step}
          options={[
            { value: 'all', label: t.allSteps },
            ...STEPS.map((step) => ({ value: step, label: t.step(step) })),
          ]}
          onChange={(step) => onFilterChange({ ...filter, step })}
        />
        <SelectField
          label={t.sortLabel}
          labelHidden
          testId="sort"
          value={filter.sort ?? 'age'}
          options={QUEUE_SORTS.map((sort) => ({ value: sort, label: t.sortOption(sort) }))}
          onChange={(sort) => onFilterChange({ ...filter, sort })}
        />
      </search>
      <BulkBar snapshot={snapshot} selection={bulk} />
      {queue.length === 0 ? (
        <div class="empty" data-testid="empty-queue">
          <p class="empty-title">{t.emptyQueue}</p>
          <p>{t.emptyQueueHint}</p>
        </div>
      ) : visible.length === 0 ? (
        <div class="empty" data-testid="no-matches">
          <p class="empty-title">{t.noMatches}</p>
          <button type="button" onClick={() => onFilterChange(noFilter)}>
            {t.clearFilters}
          </button>
        </div>
      ) : null}
      <div
        ref={listRef}
        id="queue-list"
        class="queue-list"
        role="listbox"
        aria-label={t.queueTitle}
        data-testid="queue-list"
        tabIndex={0}
        hidden={visible.length === 0}
        onScroll={rows.onScroll}
        aria-activedescendant={effectiveId ? rowId(effectiveId) : undefined}
      >
        {rows.before > 0 && <div aria-hidden="true" class="spacer" style={{ height: `${rows.before}px` }} />}
        {visible.slice(rows.start, rows.end).map((claim, offset) => (
          <QueueRow
            checked={bulk.checked.has(claim.id)}
            onToggle={toggleChecked}
            checkLabel={isBulkEligible(claim) ? t.bulkSelectRow(claim.id) : t.bulkNotEligible}
            flagCount={claim.flags.length}
            flagsLabel={
              claim.flags.length > 0
                ? t.policyFlagsLabel(claim.flags.length, policyFlagTexts(claim.flags, t, locale))
                : ''
            }
            key={claim.id}
            claim={claim}
            position={rows.start + offset + 1}
            setSize={visible.length}
            selected={claim.id === effectiveId}
            amount={displayMoney(claim.totalMinor, claim.currency, locale)}
            overdue={isOverdue(claim, now) ? t.overdue : ''}
            overdueLong={isOverdue(claim, now) ? t.overdueLong(OVERDUE_HOURS) : ''}
            waited={claim.currentStepSince ? t.waiting(fmt.relative(claim.currentStepSince, now)) : ''}
            step={claim.currentStep ? t.step(claim.currentStep.kind) : ''}
            stepKind={claim.currentStep?.kind ?? 'none'}
            now={now}
            onBehalfOf={standingInFor(claim, snapshot.user?.id, t)}
            onOpen={onOpen}
          />
        ))}
        {rows.after > 0 && <div aria-hidden="true" class="spacer" style={{ height: `${rows.after}px` }} />}
      </div>
      {!filtering && queue.length > 0 && !detailOpen && <p class="hint">{t.keyboardHint}</p>}
    </section>
  );
}

interface RowProps {
  claim: ClaimSummary;
  /** 1-based place in the (filtered) list; the DOM holds only a window of it, so say it explicitly. */
  position: number;
  setSize: number;
  selected: boolean;
  amount: string;
  /** Empty unless the claim is overdue: the visible marker and its words for screen readers. */
  overdue: string;
  overdueLong: string;
  waited: string;
  step: string;
  stepKind: string;
  /** For the "Nudged" marker's relative time. */
  now: number;
  /** "for Grace Chen" when I hold this step for someone out of office; empty otherwise. */
  onBehalfOf: string;
  onOpen: (id: string) => void;
  /** Bulk approval: checked, and the checkbox's words (or why it cannot be checked). */
  checked: boolean;
  onToggle: (claim: ClaimSummary) => void;
  checkLabel: string;
  /** Policy flags: how many, and the badge's words listing them; 0 and '' when clean. */
  flagCount: number;
  flagsLabel: string;
}

/** Whom I hold the claim's current step for (delegation), worded for the row; '' when nobody. */
function standingInFor(claim: ClaimSummary, me: string | undefined, t: Catalog): string {
  const mine = claim.currentStep?.approvers.find((approver) => approver.id === me);
  return mine?.onBehalfOf ? t.onBehalfOfShort(mine.onBehalfOf.name) : '';
}

const QueueRow = memo(function QueueRow({
  claim,
  position,
  setSize,
  selected,
  amount,
  overdue,
  overdueLong,
  waited,
  step,
  stepKind,
  now,
  onBehalfOf,
  onOpen,
  checked,
  onToggle,
  checkLabel,
  flagCount,
  flagsLabel,
}: RowProps) {
  const eligible = flagCount === 0;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard is handled by the listbox (aria-activedescendant).
    <div
      id={rowId(claim.id)}
      // Focus stays on the listbox (aria-activedescendant); -1 only lets a click land on the row.
      tabIndex={-1}
      role="option"
      aria-selected={selected}
      // ARIA 1.2: an option's checked state, the bulk selection (the checkbox itself is for the mouse).
      aria-checked={eligible ? checked : undefined}
      aria-posinset={position}
      aria-setsize={setSize}
      class={`row${selected ? ' selected' : ''}${overdue ? ' overdue' : ''}`}
      data-claim-id={claim.id}
      onClick={() => onOpen(claim.id)}
    >
      {/* Three one-line, ellipsized lines: the row height is fixed (windowed list), so nothing may wrap;
          the title attribute shows what an ellipsis cut. */}
      <div class="row-line row-main">
        {/* The option carries the state (aria-checked); the box is the mouse's way in, out of tab order. */}
        <input
          type="checkbox"
          class="row-check"
          data-testid="row-check"
          tabIndex={-1}
          aria-hidden="true"
          title={checkLabel}
          checked={checked}
          disabled={!eligible}
          // No focus on press: the list keeps the keyboard (j/k, Space), and the row does not open.
          onMouseDown={(event) => event.preventDefault()}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(claim)}
        />
        <span class="row-title" title={claim.title}>
          {claim.title}
        </span>
        <span class="row-amount">{amount}</span>
      </div>
      <div class="row-line row-meta">
        <span class="row-submitter" title={claim.submitter.name}>
          {claim.submitter.name}
        </span>
        <span class={`step step-${stepKind}`} title={step}>
          {step}
        </span>
      </div>
      <div class="row-line row-meta">
        {overdue && (
          <span class="overdue-flag" data-testid="overdue" title={overdueLong}>
            <span aria-hidden="true">{overdue}</span>
            <span class="visually-hidden">{overdueLong}</span>
          </span>
        )}
        <PolicyFlagBadge count={flagCount} label={flagsLabel} />
        <NudgedMarker claim={claim} now={now} />
        <span class="row-waited" title={waited}>
          {waited}
        </span>
        {onBehalfOf && (
          <span class="row-on-behalf" data-testid="on-behalf" title={onBehalfOf}>
            {onBehalfOf}
          </span>
        )}
        <span class="row-id">{claim.id}</span>
      </div>
    </div>
  );
});
