// Receipts: files attached to a claim at submission (images and PDFs). The limits and the accepted
// types are defined here once; the server enforces them, clients read them to refuse early. A
// receipt's type is decided by its content (see receipt-content.ts), never by its name or a
// client-sent Content-Type.
import { z } from 'zod';
import { MAX_CLAIM_RECEIPT_BYTES, MAX_RECEIPTS_PER_CLAIM, RECEIPT_MEDIA_TYPES } from './receipt-types';
import { MAX_BODY_BYTES } from './version';

export {
  IMAGE_RECEIPT_TYPES,
  type ImageReceiptType,
  isImageReceiptType,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  RECEIPT_MEDIA_TYPES,
} from './receipt-types';

export const ReceiptMediaType = z.enum(RECEIPT_MEDIA_TYPES);
export type ReceiptMediaType = z.infer<typeof ReceiptMediaType>;

/** base64 length of `bytes` bytes (padded). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * The body limit of the two routes that carry receipts, `POST /claims` and `POST /claims/{id}/resubmit`:
 * the ordinary JSON limit plus every receipt at its largest in base64, plus room for their names.
 * Every other route keeps MAX_BODY_BYTES.
 */
export const MAX_SUBMIT_BODY_BYTES =
  MAX_BODY_BYTES + base64Length(MAX_CLAIM_RECEIPT_BYTES) + MAX_RECEIPTS_PER_CLAIM * 1024;

/** Opaque receipt id chosen by the server (the stub uses `RCT-000042`); URL-safe. */
export const ReceiptId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a receipt id');
export type ReceiptId = z.infer<typeof ReceiptId>;

/**
 * A receipt's file name as the submitter gave it: shown to people, never used as a path or to decide
 * the type. No path separators, no control characters.
 */
export const ReceiptName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  .regex(/^[^/\\\u0000-\u001f\u007f]+$/, 'a file name without path separators or control characters');

/** A receipt as `ClaimDetail.receipts` lists it; the bytes are at `GET /claims/{id}/receipts/{receiptId}`. */
export const Receipt = z.object({
  id: ReceiptId,
  name: z.string().min(1).max(200),
  /** Decided by the server from the content. */
  mediaType: ReceiptMediaType,
  sizeBytes: z.number().int().positive(),
  /** Pixel size of an image when the server could read it from the file's header; null for PDFs. */
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
});
export type Receipt = z.infer<typeof Receipt>;

/** One receipt in a submit (or resubmit) request: its name and its bytes in standard base64 (RFC 4648 §4). */
export const ReceiptUpload = z
  .object({
    name: ReceiptName,
    contentBase64: z.base64('contentBase64 must be standard base64').min(1),
  })
  .strict();
export type ReceiptUpload = z.infer<typeof ReceiptUpload>;

export const ReceiptUploads = z.array(ReceiptUpload).max(MAX_RECEIPTS_PER_CLAIM);

/** The headers a receipt download carries besides Content-Type (the sniffed type) and Content-Length. */
export const RECEIPT_RESPONSE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cache-control': 'private, no-store',
  'cross-origin-resource-policy': 'same-origin',
} as const;
