// Receipt files the user picked in main's native open-file dialog, as the window sees them (issue 14,
// resubmit). Main keeps the bytes; the window gets a random handle, the file's name, its type (read from
// the content) and size, or why the file cannot be a receipt. It never gets the bytes or the path, and
// it names a picked file back only by that handle (ChainChangeSchema's `addReceipts`).
import { z } from 'zod';
import { ReceiptMediaType, ReceiptName } from '../../protocol/receipts';

/** A handle main made up for one picked file; meaningless outside this run of the app. */
export const PickedReceiptIdSchema = z.string().regex(/^pick-[0-9a-f]{32}$/, 'not a picked receipt');

/** Why a picked file was not taken: over 2 MiB, not a PNG/JPEG/WebP/PDF by content, not readable, or past 10. */
export const RECEIPT_PICK_PROBLEMS = ['too-large', 'not-a-receipt', 'unreadable', 'too-many'] as const;

export const PickedReceiptSchema = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      id: PickedReceiptIdSchema,
      name: ReceiptName,
      mediaType: ReceiptMediaType,
      sizeBytes: z.number().int().positive(),
    })
    .strict(),
  z.object({ ok: z.literal(false), name: ReceiptName, problem: z.enum(RECEIPT_PICK_PROBLEMS) }).strict(),
]);
export type PickedReceipt = z.infer<typeof PickedReceiptSchema>;
