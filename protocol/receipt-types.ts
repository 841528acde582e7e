// The receipt media types as plain constants, free of zod, so the window (which must not load zod at
// run time) can tell an image receipt from a PDF. protocol/receipts.ts builds its schemas from them.

/** What a receipt may be. Anything else (HTML, SVG, executables, archives…) is refused. */
export const RECEIPT_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;

/** The receipt types a client may show inline as a picture. */
export const IMAGE_RECEIPT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageReceiptType = (typeof IMAGE_RECEIPT_TYPES)[number];
export function isImageReceiptType(type: string): type is ImageReceiptType {
  return (IMAGE_RECEIPT_TYPES as readonly string[]).includes(type);
}
