// The receipt media types and limits as plain constants, free of zod, so the window (which must not
// load zod at run time) can tell an image receipt from a PDF and keep a resubmission within the limits.
// protocol/receipts.ts builds its schemas from them and re-exports them.

/** What a receipt may be. Anything else (HTML, SVG, executables, archives…) is refused. */
export const RECEIPT_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;

/** Largest single receipt, in bytes (decoded, not base64). Bigger: 413 `payload_too_large`. */
export const MAX_RECEIPT_BYTES = 2 * 1024 * 1024;
/** Largest sum of one claim's receipts, in bytes. Bigger: 413 `payload_too_large`. */
export const MAX_CLAIM_RECEIPT_BYTES = 6 * 1024 * 1024;
/** Most receipts on one claim. More: 400 `bad_request`. */
export const MAX_RECEIPTS_PER_CLAIM = 10;

/** The receipt types a client may show inline as a picture. */
export const IMAGE_RECEIPT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageReceiptType = (typeof IMAGE_RECEIPT_TYPES)[number];
export function isImageReceiptType(type: string): type is ImageReceiptType {
  return (IMAGE_RECEIPT_TYPES as readonly string[]).includes(type);
}
