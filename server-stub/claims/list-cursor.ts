// The stub's encoding of `GET /claims` paging cursors. The protocol makes cursors opaque, so this is a
// private choice: the scope, then the sort key and the tie-breaker of the last item handed out, as
// base64url text. Carrying the scope lets a cursor used with another list be refused (400) instead of
// quietly positioning that list somewhere meaningless.
import { z } from 'zod';
import { type ClaimListCursor, ClaimListScope } from '../../protocol';
import { HttpError } from '../http/http-error';

/** The position of the last item of a page: its sort key (epoch ms) and its tie-breaker (a row id). */
export interface ListPosition {
  scope: ClaimListScope;
  key: number;
  tieBreaker: number;
}

const SafeInt = z.string().transform(Number).pipe(z.number().int().safe());
const Decoded = z
  .string()
  .regex(/^[a-z]+\|-?\d{1,16}\|-?\d{1,16}$/)
  .transform((text) => text.split('|'))
  .pipe(z.tuple([ClaimListScope, SafeInt, SafeInt]));

export function encodeListCursor(position: ListPosition): ClaimListCursor {
  return Buffer.from(`${position.scope}|${position.key}|${position.tieBreaker}`, 'utf8').toString(
    'base64url',
  );
}

/** The position a cursor names, or a 400 `bad_request` at `cursor` if it is not one of ours for `scope`. */
export function decodeListCursor(cursor: ClaimListCursor, scope: ClaimListScope): ListPosition {
  const decoded = Decoded.safeParse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded.success) throw badCursor('cursor is not a nextCursor this server handed out');
  const [cursorScope, key, tieBreaker] = decoded.data;
  if (cursorScope !== scope) throw badCursor(`cursor belongs to scope=${cursorScope}, not scope=${scope}`);
  return { scope, key, tieBreaker };
}

function badCursor(message: string): HttpError {
  return new HttpError(400, 'bad_request', 'invalid query', { issues: [{ path: 'cursor', message }] });
}
