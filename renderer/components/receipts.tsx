// A claim's receipts: image receipts as thumbnails (a button each: click or Enter enlarges it in a
// modal viewer in this window; Esc or Close ends it and focus returns to the thumbnail), PDFs as a
// named row whose "Open" asks main to hand the file to the system's PDF viewer. The window never
// renders a PDF and never gets its bytes or path; images arrive from main as data: URLs of a type
// main checked by content (the CSP's `img-src data:`), and names are plain text.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClaimDetail } from '../../protocol/claims';
import { isImageReceiptType } from '../../protocol/receipt-types';
import type { Receipt } from '../../protocol/receipts';
import { useApp } from '../context';

type Thumb = { kind: 'loading' } | { kind: 'shown'; dataUrl: string } | { kind: 'failed' };

/** Nothing for a server that does not send receipts (`receipts` absent); "No receipts" when empty. */
export function ReceiptsSection({ claim }: { claim: ClaimDetail }) {
  const { t } = useApp();
  const receipts = claim.receipts;
  if (!receipts) return null;
  const images = receipts.filter((r) => isImageReceiptType(r.mediaType));
  const documents = receipts.filter((r) => !isImageReceiptType(r.mediaType));
  return (
    <section aria-labelledby="receipts-title" data-testid="receipts">
      <h2 id="receipts-title">{t.receipts}</h2>
      {receipts.length === 0 && (
        <p class="muted" data-testid="no-receipts">
          {t.noReceipts}
        </p>
      )}
      {images.length > 0 && <ImageReceipts claimId={claim.id} receipts={images} />}
      {documents.length > 0 && (
        <ul class="receipt-files">
          {documents.map((receipt) => (
            <DocumentReceipt key={receipt.id} claimId={claim.id} receipt={receipt} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ImageReceipts({ claimId, receipts }: { claimId: string; receipts: Receipt[] }) {
  const { t, bridge } = useApp();
  const [thumbs, setThumbs] = useState<Record<string, Thumb>>({});
  const [enlarged, setEnlarged] = useState<Receipt | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  // A reloaded claim (new version) brings a new array with the same receipts: fetch only when they change.
  const ids = receipts.map((r) => r.id).join(' ');

  useEffect(() => {
    let current = true;
    setThumbs(Object.fromEntries(receipts.map((r) => [r.id, { kind: 'loading' } as Thumb])));
    for (const receipt of receipts) {
      void bridge.receiptImage({ claimId, receiptId: receipt.id }).then((response) => {
        if (!current) return;
        const thumb: Thumb = response.ok
          ? { kind: 'shown', dataUrl: response.value.dataUrl }
          : { kind: 'failed' };
        setThumbs((all) => ({ ...all, [receipt.id]: thumb }));
      });
    }
    return () => {
      current = false;
    };
  }, [bridge, claimId, ids]);

  const shown = enlarged ? thumbs[enlarged.id] : undefined;
  return (
    <>
      <ul class="receipt-thumbs">
        {receipts.map((receipt) => {
          const thumb = thumbs[receipt.id] ?? { kind: 'loading' };
          return (
            <li key={receipt.id}>
              <button
                type="button"
                class="receipt-thumb"
                data-testid={`receipt-thumb-${receipt.id}`}
                aria-label={t.enlargeReceipt(receipt.name)}
                title={receipt.name}
                disabled={thumb.kind !== 'shown'}
                onClick={(event) => {
                  opener.current = event.currentTarget;
                  setEnlarged(receipt);
                }}
              >
                {thumb.kind === 'shown' ? (
                  <img src={thumb.dataUrl} alt="" />
                ) : (
                  <span class="receipt-thumb-note">
                    {thumb.kind === 'failed' ? t.receiptLoadFailed : t.loadingReceipt}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      {enlarged && shown?.kind === 'shown' && (
        <ReceiptViewer
          receipt={enlarged}
          dataUrl={shown.dataUrl}
          onClose={() => {
            setEnlarged(null);
            // Back where the user was: the thumbnail that opened the viewer.
            opener.current?.focus();
          }}
        />
      )}
    </>
  );
}

/**
 * The enlarged receipt in a modal <dialog> (the rest of the window is inert meanwhile, and focus
 * starts on Close). Keys pressed in it stay in it: Esc closes the viewer, never the claim behind it,
 * and the claim's j/k/a/r do nothing while it is open.
 */
function ReceiptViewer({
  receipt,
  dataUrl,
  onClose,
}: {
  receipt: Receipt;
  dataUrl: string;
  onClose: () => void;
}) {
  const { t } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    close.current?.focus();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="receipt-viewer"
      data-testid="receipt-viewer"
      aria-labelledby="receipt-viewer-title"
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
      // The browser's own cancel (Esc) would close the dialog behind Preact's back.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div class="receipt-viewer-bar">
        <h2 id="receipt-viewer-title" title={receipt.name}>
          {receipt.name}
        </h2>
        <button ref={close} type="button" data-testid="receipt-viewer-close" onClick={onClose}>
          {t.closeReceipt}
        </button>
      </div>
      <img class="receipt-viewer-image" src={dataUrl} alt={receipt.name} data-testid="receipt-viewer-image" />
    </dialog>
  );
}

function DocumentReceipt({ claimId, receipt }: { claimId: string; receipt: Receipt }) {
  const { t, fmt, bridge } = useApp();
  const [state, setState] = useState<'idle' | 'opening' | 'opened' | 'failed'>('idle');
  async function open() {
    setState('opening');
    const response = await bridge.openReceipt({ claimId, receiptId: receipt.id });
    setState(response.ok ? 'opened' : 'failed');
  }
  return (
    <li class="receipt-file" data-testid={`receipt-file-${receipt.id}`}>
      <span class="receipt-file-kind" aria-hidden="true">
        {t.pdfBadge}
      </span>
      <span class="receipt-file-name" title={receipt.name}>
        {receipt.name}
      </span>
      <span class="receipt-file-size">{t.fileSize(receipt.sizeBytes, fmt.count)}</span>
      <button
        type="button"
        data-testid={`receipt-open-${receipt.id}`}
        aria-label={t.openReceiptLabel(receipt.name)}
        disabled={state === 'opening'}
        onClick={() => void open()}
      >
        {t.openReceipt}
      </button>
      {(state === 'opened' || state === 'failed') && (
        <span class={`receipt-file-status${state === 'failed' ? ' error' : ''}`} role="status">
          {state === 'opened' ? t.receiptOpened : t.receiptOpenFailed}
        </span>
      )}
    </li>
  );
}
