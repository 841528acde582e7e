// One claim: line items, total, the approval chain (current step highlighted), the audit trail, and
// approve/reject with a confirmation step. A conflict (someone else decided first) shows what happened
// and reloads the claim; while offline the actions are disabled, never silently queued.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { isWaitingOn } from '../../main/core/waiting-on';
import type { ClaimDetail } from '../../protocol/claims';
import type { ActionResultView, IpcError, SnapshotView } from '../bridge-types';
import { isLive } from '../components/connection-banner';
import { useApp } from '../context';
import { isPlainKey, isTypingTarget } from '../keyboard';

type Mode = 'idle' | 'confirm-approve' | 'confirm-reject';
type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; claim: ClaimDetail }
  | { kind: 'failed'; error: IpcError };

interface ClaimViewProps {
  id: string;
  intent: 'approve' | 'reject' | undefined;
  snapshot: SnapshotView;
  onBack: () => void;
  onDone: (message: string) => void;
}

export function ClaimView({ id, intent, snapshot, onBack, onDone }: ClaimViewProps) {
  const { t, fmt, bridge } = useApp();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [mode, setMode] = useState<Mode>('idle');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ title: string; message: string } | null>(null);
  const [text, setText] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
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

  // When it leaves my queue (decided elsewhere), show its new state, unless I am mid-confirmation:
  // yanking the form away would lose what I typed; confirming then answers with the conflict instead.
  const inQueue = queued !== undefined;
  const wasInQueue = useRef(inQueue);
  useEffect(() => {
    if (wasInQueue.current && !inQueue && mode === 'idle' && !busy) void fetchClaim();
    wasInQueue.current = inQueue;
  }, [inQueue, mode, busy, fetchClaim]);

  const claim = load.kind === 'loaded' ? load.claim : null;
  const userId = snapshot.user?.id;
  const isMyStep = claim !== null && isWaitingOn(claim, userId);
  const live = isLive(snapshot.connection);
  const canAct = isMyStep && live && !busy;

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

  useEffect(() => {
    if (mode === 'idle') headingRef.current?.focus({ preventScroll: true });
  }, [mode]);

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
        if (mode !== 'idle') setMode('idle');
        else onBack();
        return;
      }
      if (isTypingTarget(event.target) || mode !== 'idle' || !canAct) return;
      if (event.key === 'a') {
        event.preventDefault();
        startConfirm('confirm-approve');
      } else if (event.key === 'r') {
        event.preventDefault();
        startConfirm('confirm-reject');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [mode, busy, canAct, onBack, startConfirm]);

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
      setNotice({ title: t.actionFailed, message: response.error.message });
      return;
    }
    handleResult(response.value, approving);
  }

  function handleResult(result: ActionResultView, approving: boolean) {
    if (result.ok) {
      onDone(approving ? t.approvedToast(result.claim.id) : t.rejectedToast(result.claim.id));
      return;
    }
    setMode('idle');
    if (result.reason === 'conflict') {
      setNotice({ title: t.conflictTitle, message: result.message });
      if (result.claim) setLoad({ kind: 'loaded', claim: result.claim });
      void fetchClaim();
    } else {
      setNotice({ title: t.actionFailed, message: result.message });
    }
  }

  return (
    <article class="claim" aria-busy={load.kind === 'loading'}>
      <button type="button" class="link back" onClick={onBack}>
        ← {t.back}
      </button>
      {load.kind === 'loading' && <p>{t.loadingClaim}</p>}
      {load.kind === 'failed' && (
        <p role="alert" class="error">
          {t.claimLoadFailed} {load.error.message}
        </p>
      )}
      {claim && (
        <>
          <header class="claim-head">
            <h1 ref={headingRef} tabIndex={-1} data-testid="claim-title">
              {claim.title}
            </h1>
            <p class="claim-sub">
              <span>{t.claimHeading(claim.id)}</span>
              <span class={`state state-${claim.state}`} data-testid="claim-state">
                {t.claimState(claim.state)}
              </span>
            </p>
            <dl class="facts">
              <div>
                <dt>{t.submitter}</dt>
                <dd>{claim.submitter.name}</dd>
              </div>
              <div>
                <dt>{t.expenseDate}</dt>
                <dd>{fmt.calendarDate(claim.expenseDate)}</dd>
              </div>
              <div>
                <dt>{t.submittedAt}</dt>
                <dd>{fmt.dateTime(claim.submittedAt)}</dd>
              </div>
              <div>
                <dt>{t.categoryFilter}</dt>
                <dd>{t.category(claim.category)}</dd>
              </div>
            </dl>
          </header>

          {notice && (
            <div class="notice" role="alert" data-testid="action-notice">
              <strong>{notice.title}</strong> <span>{notice.message}</span>
            </div>
          )}

          <ActionPanel
            mode={mode}
            isMyStep={isMyStep}
            live={live}
            busy={busy}
            text={text}
            reasonMissing={reasonMissing}
            onText={(value) => {
              setText(value);
              if (value.trim()) setReasonMissing(false);
            }}
            onStart={startConfirm}
            onCancel={() => setMode('idle')}
            onSubmit={submit}
          />

          <section aria-labelledby="items-title">
            <h2 id="items-title">{t.lineItems}</h2>
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
                    <td class="num">{fmt.money(item.amountMinor, claim.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t.total}</th>
                  <td class="num total" data-testid="claim-total">
                    {fmt.money(claim.totalMinor, claim.currency)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </section>

          <section aria-labelledby="chain-title">
            <h2 id="chain-title">{t.approvalChain}</h2>
            <ol class="chain" data-testid="chain">
              {claim.chain.map((step) => (
                <li
                  key={step.index}
                  class={`chain-step chain-${step.status}`}
                  aria-current={step.status === 'current' ? 'step' : undefined}
                >
                  <span class="chain-kind">{t.step(step.kind)}</span>
                  <span class="chain-who">{step.approvers.map((a) => a.name).join(', ')}</span>
                  <span class="chain-status">
                    {t.stepStatus(step.status)}
                    {step.decidedBy && step.decidedAt
                      ? ` · ${t.decidedBy(step.decidedBy.name, fmt.dateTime(step.decidedAt))}`
                      : ''}
                  </span>
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="audit-title">
            <h2 id="audit-title">{t.auditTrail}</h2>
            <ol class="audit" data-testid="audit">
              {claim.audit.map((entry, index) => (
                <li key={index}>
                  <span class="audit-what">{t.auditAction(entry.action, entry.actor.name)}</span>
                  <time dateTime={entry.at}>{fmt.dateTime(entry.at)}</time>
                  {entry.comment && <q class="audit-comment">{entry.comment}</q>}
                </li>
              ))}
            </ol>
          </section>
        </>
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
  onText: (value: string) => void;
  onStart: (mode: Mode) => void;
  onCancel: () => void;
  onSubmit: (event: Event) => void;
}

function ActionPanel(props: ActionPanelProps) {
  const { t } = useApp();
  const { mode, isMyStep, live, busy, text, reasonMissing } = props;
  const commentRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // The confirmation step exists to be typed into: put the caret there as soon as its field exists.
  // `a`/`r` from the queue open the claim already in confirm mode, before the claim has loaded and the
  // field is rendered, so this runs again when it appears (isMyStep), and before paint (layout effect).
  useLayoutEffect(() => {
    if (mode === 'confirm-approve') commentRef.current?.focus();
    else if (mode === 'confirm-reject') reasonRef.current?.focus();
  }, [mode, isMyStep]);
  if (!isMyStep) {
    return (
      <p class="muted" data-testid="not-your-step">
        {t.notYourStep}
      </p>
    );
  }
  if (mode === 'idle') {
    return (
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-testid="approve"
          disabled={!live || busy}
          aria-keyshortcuts="a"
          onClick={() => props.onStart('confirm-approve')}
        >
          {t.approve}
        </button>
        <button
          type="button"
          class="danger"
          data-testid="reject"
          disabled={!live || busy}
          aria-keyshortcuts="r"
          onClick={() => props.onStart('confirm-reject')}
        >
          {t.reject}
        </button>
        {!live && <span class="muted">{t.actionsDisabledOffline}</span>}
      </div>
    );
  }
  const approving = mode === 'confirm-approve';
  return (
    <form class="confirm" onSubmit={props.onSubmit} aria-labelledby="confirm-title" data-testid="confirm">
      <h2 id="confirm-title">{approving ? t.confirmApproveTitle : t.confirmRejectTitle}</h2>
      {approving ? (
        <label>
          {t.commentOptional}
          <input
            ref={commentRef}
            type="text"
            data-testid="comment"
            maxLength={2000}
            value={text}
            disabled={busy}
            onInput={(event) => props.onText(event.currentTarget.value)}
          />
        </label>
      ) : (
        <label>
          {t.reasonRequired}
          <textarea
            ref={reasonRef}
            data-testid="reason"
            maxLength={2000}
            rows={3}
            value={text}
            aria-required="true"
            disabled={busy}
            aria-invalid={reasonMissing}
            aria-describedby={reasonMissing ? 'reason-error' : undefined}
            onInput={(event) => props.onText(event.currentTarget.value)}
            onKeyDown={(event) => {
              // Enter makes a new line in a textarea; Ctrl/Cmd+Enter confirms.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) props.onSubmit(event);
            }}
          />
          {reasonMissing && (
            <span id="reason-error" class="field-error" role="alert" data-testid="reason-error">
              {t.reasonMissing}
            </span>
          )}
        </label>
      )}
      <div class="actions">
        <button
          type="submit"
          class={approving ? 'primary' : 'danger'}
          data-testid="confirm-submit"
          disabled={busy || !live}
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
