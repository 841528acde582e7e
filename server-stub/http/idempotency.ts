// Idempotency-Key support: the first successful result of a (user, key) is stored in the same
// transaction as the change itself, so a retry after a lost response (or a crash right after the
// commit) gets that result back verbatim instead of acting twice.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { HttpError } from './http-error';

export interface IdempotencyScope {
  userId: string;
  key: string;
  /** Hash of what was asked (method, route, body); a different request under the same key is refused. */
  fingerprint: string;
}

export interface StoredResult {
  status: number;
  body: unknown;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` fingerprint the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

/** How long a key is remembered; retries come within minutes, so a day is generous. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

interface RecordRow {
  fingerprint: string;
  status: number;
  body: string;
  created_at: number;
}

export class IdempotencyStore {
  private readonly find: Statement<[string, string], RecordRow>;
  private readonly forgetExpired: Statement<[string, number]>;
  private readonly insert: Statement<[string, string, string, number, string, number]>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.find = db.prepare(
      'SELECT fingerprint, status, body, created_at FROM idempotency_records WHERE user_id = ? AND key = ?',
    );
    this.forgetExpired = db.prepare('DELETE FROM idempotency_records WHERE user_id = ? AND created_at < ?');
    this.insert = db.prepare(
      'INSERT INTO idempotency_records (user_id, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Must run inside the mutation's transaction. Null when the key is new. */
  lookup(scope: IdempotencyScope): StoredResult | null {
    const row = this.find.get(scope.userId, scope.key);
    if (!row || row.created_at < this.clock() - IDEMPOTENCY_RETENTION_MS) return null;
    if (row.fingerprint !== scope.fingerprint) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was already used for a different request',
      );
    }
    return { status: row.status, body: JSON.parse(row.body) };
  }

  /** Must run inside the mutation's transaction, after the change. */
  record(scope: IdempotencyScope, result: StoredResult): void {
    const now = this.clock();
    // Forget the caller's expired keys as we go, so the table stays bounded without a sweeper.
    this.forgetExpired.run(scope.userId, now - IDEMPOTENCY_RETENTION_MS);
    this.insert.run(
      scope.userId,
      scope.key,
      scope.fingerprint,
      result.status,
      JSON.stringify(result.body),
      now,
    );
  }
}
