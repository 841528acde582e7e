// Issue 14 items 5 and 6 in the claim view: Transfer… (转交), Add approver… (加签) and Return… (退回)
// beside Approve/Reject, each with a confirmation that spells out the facts like approve's; the chain
// annotations (added by, transferred from); and, for the submitter of a returned claim, the reason and
// an Edit & resubmit form. Text from the server (names, reasons) is shown as inert text.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChainChange } from '../../main/common/chain-change-schema';
import type { ChainStep, ClaimDetail, LineItem } from '../../protocol/claims';
import { parseDecimalAmount } from '../../protocol/decimal-amount';
import { minorUnitDigits } from '../../protocol/money-format';
import type { UserRef } from '../../protocol/users';
import type { ActionResultView } from '../bridge-types';
import { useApp } from '../context';
import { type Message, problemText } from '../i18n';
import { NoteField, ReasonField } from './fields';
import { type ReceiptEdits, ResubmitReceipts, receiptChanges, withinReceiptTotal } from './resubmit-receipts';

export type ChainMode = 'transfer' | 'add-approver' | 'return';

const CHAIN_ACTIONS = [
  { mode: 'transfer', label: 'transferAction' },
  { mode: 'add-approver', label: 'addApproverAction' },
  { mode: 'return', label: 'returnAction' },
] as const;

interface ChainActionsProps {
  claim: ClaimDetail;
  /** The claim waits on me and the connection is live (as for approve/reject). */
  enabled: boolean;
  /** The open confirmation, or null; the claim view hides approve/reject while one is open. */
  mode: ChainMode | null;
  onMode: (mode: ChainMode | null) => void;
  onDone: (message: Message) => void;
  /** A conflict or refusal: the claim view shows it and reloads the claim. */
  onFailed: (result: Extract<ActionResultView, { ok: false }>) => void;
  /** Formatted total, for the question. */
  total: string;
}

/** The three buttons (idle) or the open confirmation. */
export function ChainActions(props: ChainActionsProps) {
  const { t } = useApp();
  const { mode } = props;
  if (mode === null) {
    return (
      <div class="actions chain-actions">
        {CHAIN_ACTIONS.map((action) => (
          <button
            key={action.mode}
            type="button"
            data-testid={`start-${action.mode}`}
            disabled={!props.enabled}
            onClick={() => props.onMode(action.mode)}
          >
            {t[action.label]}
          </button>
        ))}
      </div>
    );
  }
  return <ChainConfirm {...props} mode={mode} />;
}

function ChainConfirm(props: ChainActionsProps & { mode: ChainMode }) {
  const { t, bridge } = useApp();
  const { claim, mode, total } = props;
  const [people, setPeople] = useState<UserRef[] | null>(null);
  const [peopleFailed, setPeopleFailed] = useState<string | null>(null);
  const [picked, setPicked] = useState('');
  const [position, setPosition] = useState<'before' | 'after'>('before');
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLSelectElement & HTMLTextAreaElement>(null);
  const needsPerson = mode !== 'return';

  useEffect(() => {
    if (!needsPerson) return;
    let live = true;
    const action = mode === 'transfer' ? 'transfer' : 'add_approver';
    void bridge.eligibleUsers({ id: claim.id, action }).then((response) => {
      if (!live) return;
      if (response.ok) setPeople(response.value);
      else setPeopleFailed(problemText(t, response.error));
    });
    return () => {
      live = false;
    };
  }, [bridge, claim.id, mode, needsPerson, t]);

  useLayoutEffect(() => {
    firstField.current?.focus();
  }, [mode, people]);

  const person = people?.find((user) => user.id === picked) ?? null;
  const question =
    mode === 'transfer'
      ? t.confirmTransferQuestion(claim.id, total, claim.submitter.name)
      : mode === 'add-approver'
        ? t.confirmAddApproverQuestion(claim.id, total, claim.submitter.name)
        : t.confirmReturnQuestion(claim.id, total, claim.submitter.name);
  const submitLabel = busy
    ? t.sending
    : mode === 'return'
      ? t.confirmReturn
      : person
        ? mode === 'transfer'
          ? t.confirmTransfer(person.name)
          : t.confirmAddApprover(person.name)
        : t.chooseSomeone;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const trimmed = text.trim();
    if (mode === 'return' && !trimmed) {
      setMissing(true);
      return;
    }
    if (needsPerson && !person) return;
    const change: ChainChange =
      mode === 'return'
        ? { kind: 'return', reason: trimmed }
        : mode === 'transfer'
          ? { kind: 'transfer', to: picked, ...(trimmed ? { comment: trimmed } : {}) }
          : { kind: 'add-approver', user: picked, position, ...(trimmed ? { comment: trimmed } : {}) };
    setBusy(true);
    const response = await bridge.changeChain({ id: claim.id, version: claim.version, change });
    setBusy(false);
    if (!response.ok) {
      const { error } = response;
      props.onFailed({ ok: false, reason: 'invalid', message: problemText(t, error) });
      return;
    }
    const result = response.value;
    if (!result.ok) {
      props.onFailed(result);
      return;
    }
    const { id } = result.claim;
    const name = person?.name ?? '';
    props.onDone(
      mode === 'return'
        ? (now) => now.returnedToast(id)
        : mode === 'transfer'
          ? (now) => now.transferredToast(id, name)
          : (now) => now.approverAddedToast(id, name),
    );
  }

  return (
    <form class="confirm" onSubmit={submit} aria-labelledby="chain-confirm-title" data-testid="chain-confirm">
      <h2 id="chain-confirm-title" data-testid="chain-confirm-question">
        {question}
      </h2>
      {needsPerson && (
        <div class="chain-person">
          <label for="chain-person">{mode === 'transfer' ? t.transferTo : t.approverToAdd}</label>
          {people === null && !peopleFailed && <span class="muted"> {t.loadingPeople}</span>}
          {peopleFailed && (
            <span class="field-error" role="alert">
              {peopleFailed}
            </span>
          )}
          {people !== null && people.length === 0 && <span class="muted"> {t.noEligiblePeople}</span>}
          {people !== null && people.length > 0 && (
            <select
              id="chain-person"
              ref={firstField}
              data-testid="chain-person"
              value={picked}
              disabled={busy}
              required
              onChange={(event) => setPicked(event.currentTarget.value)}
            >
              <option value="">{t.chooseSomeone}</option>
              {people.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
            </select>
          )}
        </div>
      )}
      {mode === 'add-approver' && (
        <fieldset class="chain-position" disabled={busy}>
          <legend>{t.addPosition}</legend>
          {(['before', 'after'] as const).map((option) => (
            <label key={option} class="check">
              <input
                type="radio"
                name="add-position"
                data-testid={`position-${option}`}
                checked={position === option}
                onChange={() => setPosition(option)}
              />
              <span>{t.addPositionOption(option)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {mode === 'return' ? (
        <ReasonField
          label={t.returnReasonRequired}
          testId="chain-reason"
          value={text}
          busy={busy}
          missing={missing}
          missingText={t.returnReasonMissing}
          inputRef={firstField}
          onValue={(value) => {
            setText(value);
            if (value.trim()) setMissing(false);
          }}
        />
      ) : (
        <NoteField
          label={t.commentOptional}
          testId="chain-comment"
          value={text}
          busy={busy}
          onValue={setText}
        />
      )}
      <div class="actions">
        <button
          type="submit"
          class={mode === 'return' ? 'danger' : 'primary'}
          data-testid="chain-submit"
          disabled={busy || !props.enabled || (needsPerson && !person)}
        >
          {submitLabel}
        </button>
        <button type="button" data-testid="chain-cancel" disabled={busy} onClick={() => props.onMode(null)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** "added by Bob Li", "transferred from Bob Li" under a chain step; nothing for a plain step. */
export function ChainStepOrigin({ step }: { step: ChainStep }) {
  const { t } = useApp();
  const notes = [
    step.addedBy ? t.stepAddedBy(step.addedBy.name) : null,
    step.transferredFrom ? t.stepTransferredFrom(step.transferredFrom.name) : null,
  ].filter((note): note is string => note !== null);
  if (notes.length === 0) return null;
  return (
    <span class="chain-origin" data-testid="chain-origin">
      {notes.join(' · ')}
    </span>
  );
}

interface ItemDraft {
  description: string;
  amount: string;
}

function draftOf(item: LineItem, currency: string): ItemDraft {
  const digits = minorUnitDigits(currency);
  const text = String(item.amountMinor).padStart(digits + 1, '0');
  return {
    description: item.description,
    amount: digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`,
  };
}

/**
 * The submitter's returned claim: who returned it and why, then Edit & resubmit (title and items, the
 * total being their sum; receipts removed and added, when the server has receipts).
 */
export function ResubmitPanel({
  claim,
  live,
  onDone,
  onFailed,
}: {
  claim: ClaimDetail;
  live: boolean;
  onDone: (message: Message) => void;
  onFailed: (result: Extract<ActionResultView, { ok: false }>) => void;
}) {
  const { t, bridge } = useApp();
  const returned = claim.audit.findLast((entry) => entry.action === 'returned');
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(claim.title);
  const [items, setItems] = useState<ItemDraft[]>(() => claim.items.map((i) => draftOf(i, claim.currency)));
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [receipts, setReceipts] = useState<ReceiptEdits>(() => ({ kept: claim.receipts ?? [], added: [] }));
  const titleRef = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (open) titleRef.current?.focus();
  }, [open]);

  const setItem = (index: number, patch: Partial<ItemDraft>) =>
    setItems((all) => all.map((item, at) => (at === index ? { ...item, ...patch } : item)));

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const parsed = items.map((item) => parseDecimalAmount(item.amount, claim.currency));
    const bad = parsed.flatMap((result, index) =>
      result.ok && items[index]!.description.trim() ? [] : [index],
    );
    setInvalid(bad);
    if (bad.length > 0 || !title.trim() || !withinReceiptTotal(receipts)) return;
    const edited = items.map((item, index) => {
      const amount = parsed[index]!;
      return { description: item.description.trim(), amountMinor: amount.ok ? amount.minor : 0 };
    });
    setBusy(true);
    const response = await bridge.changeChain({
      id: claim.id,
      version: claim.version,
      change: {
        kind: 'resubmit',
        title: title.trim(),
        items: edited,
        ...receiptChanges(claim.receipts ?? [], receipts),
        ...(note.trim() ? { comment: note.trim() } : {}),
      },
    });
    setBusy(false);
    if (!response.ok) {
      const { error } = response;
      onFailed({ ok: false, reason: 'invalid', message: problemText(t, error) });
    } else if (!response.value.ok) {
      onFailed(response.value);
    } else {
      const { id } = response.value.claim;
      onDone((now) => now.resubmittedToast(id));
    }
  }

  return (
    <section class="resubmit" aria-labelledby="resubmit-title" data-testid="resubmit-panel">
      <h2 id="resubmit-title" class="visually-hidden">
        {t.editAndResubmit}
      </h2>
      {returned && (
        <p class="notice" data-testid="returned-reason">
          <strong>{t.returnedBy(returned.actor.name)}</strong> <span>{returned.comment}</span>
        </p>
      )}
      {!open ? (
        <div class="actions">
          <button
            type="button"
            class="primary"
            data-testid="start-resubmit"
            disabled={!live}
            onClick={() => setOpen(true)}
          >
            {t.editAndResubmit}
          </button>
        </div>
      ) : (
        <form class="confirm" onSubmit={submit} data-testid="resubmit-form">
          <p class="muted">{t.resubmitHint}</p>
          <label>
            {t.claimTitle}
            <input
              ref={titleRef}
              type="text"
              data-testid="resubmit-title"
              maxLength={200}
              required
              value={title}
              disabled={busy}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </label>
          <fieldset class="resubmit-items" disabled={busy}>
            <legend>{t.lineItems}</legend>
            {items.map((item, index) => (
              <div class="resubmit-item" key={index} data-testid="resubmit-item">
                <input
                  type="text"
                  aria-label={t.itemDescription(index + 1)}
                  data-testid="item-description"
                  maxLength={200}
                  value={item.description}
                  onInput={(event) => setItem(index, { description: event.currentTarget.value })}
                />
                <input
                  type="text"
                  inputMode="decimal"
                  class="num"
                  aria-label={t.itemAmount(index + 1, claim.currency)}
                  aria-invalid={invalid.includes(index)}
                  data-testid="item-amount"
                  value={item.amount}
                  onInput={(event) => setItem(index, { amount: event.currentTarget.value })}
                />
                <button
                  type="button"
                  class="link"
                  aria-label={t.removeItem(index + 1)}
                  disabled={items.length === 1}
                  onClick={() => setItems((all) => all.filter((_, at) => at !== index))}
                >
                  ×
                </button>
              </div>
            ))}
            {invalid.length > 0 && (
              <span class="field-error" role="alert" data-testid="item-error">
                {t.amountInvalid}
              </span>
            )}
            <button
              type="button"
              data-testid="add-item"
              onClick={() => setItems((all) => [...all, { description: '', amount: '' }])}
            >
              {t.addItem}
            </button>
          </fieldset>
          {claim.receipts && <ResubmitReceipts edits={receipts} busy={busy} onEdits={setReceipts} />}
          <NoteField
            label={t.noteOptional}
            testId="resubmit-note"
            value={note}
            busy={busy}
            onValue={setNote}
          />
          <div class="actions">
            <button type="submit" class="primary" data-testid="confirm-resubmit" disabled={busy || !live}>
              {busy ? t.sending : t.confirmResubmit}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen(false)}>
              {t.cancel}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
