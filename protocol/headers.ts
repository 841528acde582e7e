import { z } from 'zod';

/**
 * `Idempotency-Key` request header: 1–200 visible ASCII characters. Honoured on `POST /claims`, the
 * claim actions and `POST /announcements`; a malformed one is a 400 wherever it is sent.
 */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be visible ASCII characters');
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;
