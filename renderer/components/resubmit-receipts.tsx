// The receipts part of the resubmit form (issue 14 item 6): the claim's receipts, each with a remove
// control, the files picked for adding (marked New, removable too) and "Add receipt…", which asks main
// to open the native open-file dialog. Main reads the chosen files and answers with a handle, the name,
// the type it read from the content and the size: the window never gets a file's bytes or path, and
// never names a path itself. Names are inert text.
import { useState } from 'preact/hooks';
import type { PickedReceipt } from '../../main/common/picked-receipt-schema';
import {
  isImageReceiptType,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
} from '../../protocol/receipt-types';
import type { Receipt } from '../../protocol/receipts';
import { useApp } from '../context';
import { problemText } from '../i18n';

export type AddedReceipt = Extract<PickedReceipt, { ok: true }>;
type Refused = Extract<PickedReceipt, { ok: false }>;

export interface ReceiptEdits {
  /** The claim's receipts the submitter keeps. */
  kept: Receipt[];
  /** Files picked in this form, to add. */
  added: AddedReceipt[];
}

/** What to send: the handles to add and the ids no longer kept. */
export function receiptChanges(claimReceipts: readonly Receipt[], edits: ReceiptEdits) {
  const kept = new Set(edits.kept.map((r) => r.id));
  const removeReceipts = claimReceipts.filter((r) => !kept.has(r.id)).map((r) => r.id);
  const addReceipts = edits.added.map((r) => r.id);
  return {
    ...(addReceipts.length > 0 ? { addReceipts } : {}),
    ...(removeReceipts.length > 0 ? { removeReceipts } : {}),
  };
}

/** Kept and added together within the per-claim size (the count is kept within by the form itself). */
export function withinReceiptTotal(edits: ReceiptEdits): boolean {
  const bytes = [...edits.kept, ...edits.added].reduce((sum, r) => sum + r.sizeBytes, 0);
  return bytes <= MAX_CLAIM_RECEIPT_BYTES;
}

export function ResubmitReceipts({
  edits,
  busy,
  onEdits,
}: {
  edits: ReceiptEdits;
  busy: boolean;
  onEdits: (update: (edits: ReceiptEdits) => ReceiptEdits) => void;
}) {
  const { t, fmt, bridge } = useApp();
  const [picking, setPicking] = useState(false);
  const [refused, setRefused] = useState<Refused[]>([]);
  /** Main could not open its dialog or read the files at all (not one file's problem). */
  const [failed, setFailed] = useState<string | null>(null);
  const count = edits.kept.length + edits.added.length;

  async function pick() {
    setPicking(true);
    const response = await bridge.pickReceipts({});
    setPicking(false);
    setFailed(response.ok ? null : problemText(t, response.error));
    if (!response.ok) {
      setRefused([]);
      return;
    }
    // Main caps one pick at a claim's worth; what is left of the room is decided here.
    const room = Math.max(0, MAX_RECEIPTS_PER_CLAIM - count);
    const taken = response.value.filter((p): p is AddedReceipt => p.ok).slice(0, room);
    const overflow = response.value
      .filter((p): p is AddedReceipt => p.ok)
      .slice(room)
      .map((p): Refused => ({ ok: false, name: p.name, problem: 'too-many' }));
    setRefused([...response.value.filter((p): p is Refused => !p.ok), ...overflow]);
    if (taken.length > 0) onEdits((all) => ({ ...all, added: [...all.added, ...taken] }));
  }

  const limitOf = (problem: Refused['problem']) =>
    problem === 'too-many' ? fmt.count(MAX_RECEIPTS_PER_CLAIM) : t.fileSize(MAX_RECEIPT_BYTES, fmt.count);
  const overTotal = withinReceiptTotal(edits) ? null : t.fileSize(MAX_CLAIM_RECEIPT_BYTES, fmt.count);

  const row = (
    key: string,
    name: string,
    mediaType: string,
    sizeBytes: number,
    added: boolean,
    remove: () => void,
  ) => (
    <li class="receipt-file" key={key} data-testid="resubmit-receipt">
      <span class={`receipt-file-kind${isImageReceiptType(mediaType) ? ' image' : ''}`} aria-hidden="true">
        {isImageReceiptType(mediaType) ? t.imageBadge : t.pdfBadge}
      </span>
      <span class="receipt-file-name" title={name} data-testid="resubmit-receipt-name">
        {name}
      </span>
      {added && <span class="badge receipt-new">{t.newReceiptBadge}</span>}
      <span class="receipt-file-size">{t.fileSize(sizeBytes, fmt.count)}</span>
      <button type="button" class="link" aria-label={t.removeReceipt(name)} disabled={busy} onClick={remove}>
        ×
      </button>
    </li>
  );

  return (
    <fieldset class="resubmit-receipts" disabled={busy} data-testid="resubmit-receipts">
      <legend>{t.receipts}</legend>
      {count === 0 ? (
        <p class="muted">{t.noReceipts}</p>
      ) : (
        <ul class="receipt-files">
          {edits.kept.map((r) =>
            row(r.id, r.name, r.mediaType, r.sizeBytes, false, () =>
              onEdits((all) => ({ ...all, kept: all.kept.filter((k) => k.id !== r.id) })),
            ),
          )}
          {edits.added.map((r) =>
            row(r.id, r.name, r.mediaType, r.sizeBytes, true, () =>
              onEdits((all) => ({ ...all, added: all.added.filter((a) => a.id !== r.id) })),
            ),
          )}
        </ul>
      )}
      {(refused.length > 0 || overTotal || failed) && (
        <ul class="field-error receipt-problems" role="alert" data-testid="receipt-problems">
          {refused.map((r, index) => (
            <li key={index}>{t.receiptPickProblem(r.name, r.problem, limitOf(r.problem))}</li>
          ))}
          {overTotal && <li>{t.receiptsOverTotal(overTotal)}</li>}
          {failed && <li>{failed}</li>}
        </ul>
      )}
      <button
        type="button"
        data-testid="add-receipt"
        disabled={busy || picking || count >= MAX_RECEIPTS_PER_CLAIM}
        onClick={() => void pick()}
      >
        {t.addReceipt}
      </button>
    </fieldset>
  );
}
