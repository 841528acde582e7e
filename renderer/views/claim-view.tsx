// One claim: line items, total, the approval chain (current step highlighted), the audit trail, and
// approve/reject with a confirmation step. A conflict (someone else decided first) shows what happened
// and reloads the claim; while offline the actions are disabled, never silently queued.
// The top part (title, submitter, total, the decision) never scrolls away, so at tray size the
// approver sees what they are deciding on while they decide; the rest scrolls below it.
import { type ComponentChildren, Fragment } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isWaitingOn } from '../../main/common/waiting-on';
import type { ClaimDetail } from '../../protocol/claims';
import type { ActionResultView, IpcError, SnapshotView } from '../bridge-types';
import { ChainActions, type ChainMode, ChainStepOrigin, ResubmitPanel } from '../components/chain-actions';
import { isLive } from '../components/connection-banner';
import { NoteField, ReasonField } from '../components/fields';
import { PolicyFlagList } from '../components/policy-flags';
import { ReceiptsSection } from '../components/receipts';
import { useApp } from '../context';
import { type Message, problemText } from '../i18n';
import { isPlainKey, isTypingTarget } from '../keyboard';
import { displayMoney } from '../money-display';
import { filterQueue, noFilter, type QueueFilter } from '../queue-filter';
import { isOverdue, OVERDUE_HOURS } from './queue-view';

type Mode = 'idle' | 'confirm-approve' | 'confirm-reject';

/** The two decisions: the key that starts each (its button announces it) and the confirmation it opens. */
const DECISIONS = [
  { action: 'approve', key: 'a', mode: 'confirm-approve', class: 'primary' },
  { action: 'reject', key: 'r', mode: 'confirm-reject', class: 'danger' },
] as const;
type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; claim: ClaimDetail }
  | { kind: 'failed'; error: IpcError };

interface ClaimViewProps {
  id: string;
  intent: 'approve' | 'reject' | undefined;
  snapshot: SnapshotView;
  onBack: () => void;
  /** Gets the toast as a message (worded when shown), so it follows a later language switch. */
  onDone: (message: Message) => void;
  /** The queue's search, filters and sort, so Next/Previous follow the list as the approver sees it. */
  filter?: QueueFilter;
  /** Opens another claim (Next/Previous, j/k). */
  onOpen?: (id: string) => void;
  /** The back link's words when the claim was opened from somewhere other than the queue. */
  backLabel?: string;
}

export function ClaimView({
  id,
  intent,
  snapshot,
  onBack,
  onDone,
  filter = noFilter,
  onOpen,
  backLabel,
}: ClaimViewProps) {
  const { t, fmt, bridge } = useApp();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [mode, setMode] = useState<Mode>('idle');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ title: Message; message: Message } | null>(null);
  const [text, setText] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  // Transfer / add approver / return (issue 14): their open confirmation replaces approve/reject.
  const [chainMode, setChainMode] = useState<ChainMode | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const intentUsed = useRef(false);

  const fetchClaim = useCallback(async () => {
    const response = await bridge.getClaim({ id });
    setLoad(
      response.ok ? { kind: 'loaded', claim: response.value } : { kind: 'failed', error: response.error },
    );
  }, [bridge, id]);

  useEffect(() => {
    void fetchClaim();
  }, [fetchClaim]);

  // When the queue shows a newer version of this claim (someone acted elsewhere), reload it.
  const queued = snapshot.queue.find((claim) => claim.id === id);
  const loadedVersion = load.kind === 'loaded' ? load.claim.version : null;
  useEffect(() => {
    if (queued && loadedVersion !== null && queued.version > loadedVersion) void fetchClaim();
  }, [queued, loadedVersion, fetchClaim]);

  // A claim I can see but that is not in my queue (mine, or one I handed on) changed elsewhere: the
  // stream moved the lists' revision (claim.changed, issue 14), so re-read it and its chain.
  const revision = snapshot.listsRevision;
  const seenRevision = useRef(revision);
  useEffect(() => {
    if (revision === seenRevision.current) return;
    seenRevision.current = revision;
    if (!busy && !queued) void fetchClaim();
  }, [revision, busy, queued, fetchClaim]);

  // When it leaves my queue (decided elsewhere), show its new state at once, also mid-confirmation:
  // the form stays (with what I typed) but says who decided and can no longer be confirmed.
  const inQueue = queued !== undefined;
  const wasInQueue = useRef(inQueue);
  useEffect(() => {
    if (wasInQueue.current && !inQueue && !busy) void fetchClaim();
    wasInQueue.current = inQueue;
  }, [inQueue, busy, fetchClaim]);

  // Next/Previous walk the list the approver sees (same filters and order as the queue). When this
  // claim has just left it, its old place still anchors the walk.
  const order = useMemo(
    () => filterQueue(snapshot.queue, filter, fmt.locale),
    [snapshot.queue, filter, fmt.locale],
  );
  const foundAt = order.findIndex((claim) => claim.id === id);
  const lastAt = useRef(foundAt);
  if (foundAt >= 0) lastAt.current = foundAt;
  const previousId = foundAt >= 0 ? order[foundAt - 1]?.id : order[lastAt.current - 1]?.id;
  const nextId = foundAt >= 0 ? order[foundAt + 1]?.id : order[Math.max(0, lastAt.current)]?.id;

  const claim = load.kind === 'loaded' ? load.claim : null;
  const userId = snapshot.user?.id;
  const isMyStep = claim !== null && isWaitingOn(claim, userId);
  const live = isLive(snapshot.connection);
  const canAct = isMyStep && live && !busy;
  // My open confirmation is overtaken: the claim left my queue, its version moved on, or (once
  // reloaded) it no longer waits on me. Confirming could only fail, so it is disabled at once.
  const overtaken =
    mode !== 'idle' &&
    claim !== null &&
    !busy &&
    (!inQueue || (queued !== undefined && queued.version !== claim.version) || !isMyStep);
  const lastDecision = claim?.audit.findLast(
    (entry) => entry.action !== 'submitted' && entry.action !== 'nudged',
  );
  const overtakenMessage =
    claim !== null &&
    !isMyStep &&
    lastDecision &&
    lastDecision.action !== 'submitted' &&
    lastDecision.action !== 'nudged'
      ? t.decidedElsewhere(lastDecision.action, lastDecision.actor.name)
      : t.claimChangedElsewhere;

  const startConfirm = useCallback((next: Mode) => {
    setText('');
    setReasonMissing(false);
    setNotice(null);
    setMode(next);
  }, []);

  // `a`/`r` from the queue open the confirmation as soon as the claim has loaded.
  useEffect(() => {
    if (intentUsed.current || !intent || !claim) return;
    intentUsed.current = true;
    if (isMyStep && live) startConfirm(intent === 'approve' ? 'confirm-approve' : 'confirm-reject');
  }, [intent, claim, isMyStep, live, startConfirm]);

  // Opening a claim puts focus on its heading (screen readers read it; Tab continues from there), once
  // it has loaded, and again when a confirmation closes.
  const loaded = claim !== null;
  useEffect(() => {
    if (mode === 'idle' && loaded) headingRef.current?.focus({ preventScroll: true });
  }, [mode, loaded]);

  // A confirmation cannot outlive the connection: offline means the actions are off.
  useEffect(() => {
    if (!live && !busy) setMode('idle');
  }, [live, busy]);

  // Layout effect: re-bound synchronously on commit, never one key press behind the state.
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event)) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        if (busy) return;
        if (chainMode !== null) return setChainMode(null);
        // An overtaken confirmation has nothing left to cancel: Esc leaves the claim.
        if (mode !== 'idle' && !overtaken) setMode('idle');
        else onBack();
        return;
      }
      if (isTypingTarget(event.target) || mode !== 'idle' || chainMode !== null) return;
      const go = (target: string | undefined) => {
        event.preventDefault();
        if (target && onOpen) onOpen(target);
      };
      if (event.key === 'j' || event.key === 'ArrowDown') return go(nextId);
      if (event.key === 'k' || event.key === 'ArrowUp') return go(previousId);
      if (!canAct) return;
      const decision = DECISIONS.find(({ key }) => key === event.key);
      if (decision) {
        event.preventDefault();
        startConfirm(decision.mode);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [mode, chainMode, busy, canAct, overtaken, nextId, previousId, onOpen, onBack, startConfirm]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!claim || busy) return;
    const approving = mode === 'confirm-approve';
    const trimmed = text.trim();
    if (!approving && trimmed === '') {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setNotice(null);
    const response = approving
      ? await bridge.approve({
          id: claim.id,
          version: claim.version,
          ...(trimmed ? { comment: trimmed } : {}),
        })
      : await bridge.reject({ id: claim.id, version: claim.version, reason: trimmed });
    setBusy(false);
    if (!response.ok) {
      const { error } = response;
      setNotice({ title: (now) => now.actionFailed, message: (now) => problemText(now, error) });
      return;
    }
    handleResult(response.value, approving);
  }

  function chainFailed(result: Extract<ActionResultView, { ok: false }>) {
    setChainMode(null);
    handleResult(result, false);
  }

  function handleResult(result: ActionResultView, approving: boolean) {
    if (result.ok) {
      const { id: decided } = result.claim;
      onDone(approving ? (now) => now.approvedToast(decided) : (now) => now.rejectedToast(decided));
      return;
    }
    setMode('idle');
    // The core words `message` in the window's language (it follows the same settings.locale).
    const { message } = result;
    if (result.reason === 'conflict') {
      setNotice({ title: (now) => now.conflictTitle, message: () => message });
      if (result.claim) setLoad({ kind: 'loaded', claim: result.claim });
      void fetchClaim();
    } else {
      setNotice({ title: (now) => now.actionFailed, message: () => message });
    }
  }

  const total = claim ? displayMoney(claim.totalMinor, claim.currency, fmt.locale) : '';
  const overdue = claim !== null && claim.state === 'pending' && isOverdue(claim, Date.now());
  return (
    <article class="claim" aria-busy={load.kind === 'loading'}>
      <div class="claim-top">
        <nav class="claim-nav" aria-label={t.claimNavigation}>
          <button type="button" class="link back" onClick={onBack}>
            ← {backLabel ?? t.back}
          </button>
          {onOpen && (
            <span class="claim-steps">
              <button
                type="button"
                data-testid="previous-claim"
                aria-keyshortcuts="k"
                disabled={!previousId}
                onClick={() => previousId && onOpen(previousId)}
              >
                ‹ {t.previousClaim}
              </button>
              {foundAt >= 0 && (
                <span class="claim-position" data-testid="claim-position">
                  {t.claimPosition(foundAt + 1, order.length, fmt.count)}
                </span>
              )}
              <button
                type="button"
                data-testid="next-claim"
                aria-keyshortcuts="j"
                disabled={!nextId}
                onClick={() => nextId && onOpen(nextId)}
              >
                {t.nextClaim} ›
              </button>
            </span>
          )}
        </nav>
        {load.kind === 'loading' && <p>{t.loadingClaim}</p>}
        {load.kind === 'failed' && (
          <p role="alert" class="error">
            {t.claimLoadFailed} {problemText(t, load.error)}
          </p>
        )}
        {claim && (
          <header class="claim-head" data-testid="claim-head">
            <h1 ref={headingRef} tabIndex={-1} data-testid="claim-title" title={claim.title}>
              {claim.title}
            </h1>
            <p class="claim-key">
              <span class="claim-submitter" data-testid="claim-submitter">
                {claim.submitter.name}
              </span>
              <strong class="claim-amount" data-testid="claim-head-total">
                {total}
              </strong>
            </p>
            <p class="claim-sub">
              <span>{t.claimHeading(claim.id)}</span>
              <span class={`state state-${claim.state}`} data-testid="claim-state">
                {t.claimState(claim.state)}
              </span>
              {overdue && (
                <span class="overdue-flag" title={t.overdueLong(OVERDUE_HOURS)}>
                  <span aria-hidden="true">{t.overdue}</span>
                  <span class="visually-hidden">{t.overdueLong(OVERDUE_HOURS)}</span>
                </span>
              )}
            </p>
            <PolicyFlagList flags={claim.flags} />
          </header>
        )}
        {claim && notice && (
          <div class="notice" role="alert" data-testid="action-notice">
            <strong>{notice.title(t)}</strong> <span>{notice.message(t)}</span>
          </div>
        )}
        {claim && chainMode === null && (
          <ActionPanel
            mode={mode}
            isMyStep={isMyStep}
            live={live}
            busy={busy}
            text={text}
            reasonMissing={reasonMissing}
            question={
              mode === 'confirm-reject'
                ? t.confirmRejectQuestion(claim.id, total, claim.submitter.name)
                : t.confirmApproveQuestion(claim.id, total, claim.submitter.name)
            }
            overtaken={overtaken ? overtakenMessage : null}
            showOvertaken={overtaken && !notice}
            onText={(value) => {
              setText(value);
              if (value.trim()) setReasonMissing(false);
            }}
            onStart={startConfirm}
            onCancel={() => setMode('idle')}
            onSubmit={submit}
          />
        )}
        {claim && isMyStep && mode === 'idle' && (
          <ChainActions
            claim={claim}
            enabled={canAct}
            mode={chainMode}
            onMode={setChainMode}
            onDone={onDone}
            onFailed={chainFailed}
            total={total}
          />
        )}
      </div>
      {claim && (
        <div class="claim-body">
          {claim.state === 'returned' && claim.submitter.id === userId && (
            <ResubmitPanel claim={claim} live={live} onDone={onDone} onFailed={chainFailed} />
          )}
          <ClaimSection id="facts" title={t.claimHeading(claim.id)} titleHidden>
            <dl class="facts">
              {(
                [
                  [t.submitter, claim.submitter.name],
                  [t.expenseDate, fmt.calendarDate(claim.expenseDate)],
                  [t.submittedAt, fmt.dateTime(claim.submittedAt)],
                  [t.categoryFilter, t.category(claim.category)],
                ] as const
              ).map(([term, value]) => (
                <div key={term}>
                  <dt>{term}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </ClaimSection>

          <ClaimSection id="items" title={t.lineItems}>
            <table class="items">
              <thead>
                <tr>
                  <th scope="col">{t.description}</th>
                  <th scope="col" class="num">
                    {t.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {claim.items.map((item, index) => (
                  <tr key={index}>
                    <td>{item.description}</td>
                    <td class="num">{displayMoney(item.amountMinor, claim.currency, fmt.locale)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t.total}</th>
                  <td class="num total" data-testid="claim-total">
                    {total}
                  </td>
                </tr>
              </tfoot>
            </table>
          </ClaimSection>

          <ReceiptsSection claim={claim} />

          <ClaimSection id="chain" title={t.approvalChain}>
            <ol class="chain" data-testid="chain">
              {claim.chain.map((step) => (
                <li
                  key={step.index}
                  class={`chain-step chain-${step.status}`}
                  aria-current={step.status === 'current' ? 'step' : undefined}
                >
                  <span class="chain-kind">{t.step(step.kind)}</span>
                  <span class="chain-who">
                    {/* One unbreakable span per name: a line may break between names, never inside one. */}
                    {step.approvers.map((approver, index) => (
                      <Fragment key={approver.id}>
                        {index > 0 && ', '}
                        <span class="person">{approver.name}</span>
                        {approver.onBehalfOf && (
                          <span class="on-behalf"> ({t.onBehalfOfShort(approver.onBehalfOf.name)})</span>
                        )}
                      </Fragment>
                    ))}
                  </span>
                  <span class="chain-status">
                    {t.stepStatus(step.status)}
                    {step.decidedBy && step.decidedAt
                      ? ` · ${t.decidedBy(
                          step.decidedOnBehalfOf
                            ? `${step.decidedBy.name} (${t.onBehalfOfShort(step.decidedOnBehalfOf.name)})`
                            : step.decidedBy.name,
                          fmt.dateTime(step.decidedAt),
                        )}`
                      : ''}
                  </span>
                  <ChainStepOrigin step={step} />
                </li>
              ))}
            </ol>
          </ClaimSection>

          <ClaimSection id="audit" title={t.auditTrail}>
            <ol class="audit" data-testid="audit">
              {claim.audit.map((entry, index) => (
                <li key={index}>
                  <span class="audit-what">
                    {entry.onBehalfOf && (entry.action === 'approved' || entry.action === 'rejected')
                      ? t.auditOnBehalf(entry.action, entry.actor.name, entry.onBehalfOf.name)
                      : t.auditAction(entry.action, entry.actor.name, entry.subject?.name)}
                  </span>
                  <time dateTime={entry.at}>{fmt.dateTime(entry.at)}</time>
                  {entry.comment && <q class="audit-comment">{entry.comment}</q>}
                </li>
              ))}
            </ol>
          </ClaimSection>
        </div>
      )}
    </article>
  );
}

interface ActionPanelProps {
  mode: Mode;
  isMyStep: boolean;
  live: boolean;
  busy: boolean;
  text: string;
  reasonMissing: boolean;
  /** The decision spelled out: claim id, total in its currency, submitter. */
  question: string;
  /** Set when someone else decided while this confirmation was open: says who, disables confirming. */
  overtaken: string | null;
  showOvertaken: boolean;
  onText: (value: string) => void;
  onStart: (mode: Mode) => void;
  onCancel: () => void;
  onSubmit: (event: Event) => void;
}

/** A part of the claim, named for screen readers by its heading (`titleHidden`: for them only). */
function ClaimSection({
  id,
  title,
  titleHidden = false,
  children,
}: {
  id: string;
  title: string;
  titleHidden?: boolean;
  children: ComponentChildren;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class={titleHidden ? 'visually-hidden' : undefined}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function ActionPanel(props: ActionPanelProps) {
  const { t } = useApp();
  const { mode, isMyStep, live, busy, text, reasonMissing, overtaken } = props;
  const commentRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // The confirmation step exists to be typed into: put the caret there as soon as its field exists.
  // `a`/`r` from the queue open the claim already in confirm mode, before the claim has loaded and the
  // field is rendered, so this runs again when it appears (isMyStep), and before paint (layout effect).
  useLayoutEffect(() => {
    if (mode === 'confirm-approve') commentRef.current?.focus();
    else if (mode === 'confirm-reject') reasonRef.current?.focus();
  }, [mode, isMyStep]);
  // An open confirmation stays when the claim stops waiting on me (what I typed is kept), disabled.
  if (!isMyStep && mode === 'idle') {
    return (
      <p class="muted" data-testid="not-your-step">
        {t.notYourStep}
      </p>
    );
  }
  if (mode === 'idle') {
    return (
      <div class="actions">
        {DECISIONS.map((decision) => (
          <button
            key={decision.action}
            type="button"
            class={decision.class}
            data-testid={decision.action}
            disabled={!live || busy}
            aria-keyshortcuts={decision.key}
            onClick={() => props.onStart(decision.mode)}
          >
            {t[decision.action]}
          </button>
        ))}
        {!live && <span class="muted">{t.actionsDisabledOffline}</span>}
      </div>
    );
  }
  const approving = mode === 'confirm-approve';
  return (
    <form class="confirm" onSubmit={props.onSubmit} aria-labelledby="confirm-title" data-testid="confirm">
      <h2 id="confirm-title" data-testid="confirm-question">
        {props.question}
      </h2>
      {overtaken && props.showOvertaken && (
        <p class="notice" role="alert" data-testid="action-notice">
          {overtaken}
        </p>
      )}
      {approving ? (
        <NoteField
          label={t.commentOptional}
          testId="comment"
          value={text}
          busy={busy}
          inputRef={commentRef}
          onValue={props.onText}
        />
      ) : (
        <ReasonField
          label={t.reasonRequired}
          testId="reason"
          value={text}
          busy={busy}
          missing={reasonMissing}
          missingText={t.reasonMissing}
          inputRef={reasonRef}
          onValue={props.onText}
          onConfirm={props.onSubmit}
        />
      )}
      <div class="actions">
        <button
          type="submit"
          class={approving ? 'primary' : 'danger'}
          data-testid="confirm-submit"
          disabled={busy || !live || overtaken !== null}
        >
          {busy ? (approving ? t.approving : t.rejecting) : approving ? t.confirmApprove : t.confirmReject}
        </button>
        <button type="button" data-testid="confirm-cancel" disabled={busy} onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
