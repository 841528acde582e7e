// Slows password guessing: too many failed sign-ins for one username (or from one address) within a
// window refuses further attempts for a while. Failures are stored in the database, so restarting the
// stub does not hand an attacker a fresh budget.
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';

export interface ThrottlePolicy {
  windowSeconds: number;
  maxFailuresPerUser: number;
  /** Higher than per-user: several people may sign in from behind one NAT. */
  maxFailuresPerAddress: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 50,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SignInThrottle {
  private readonly recentFailures: Statement<[string, number, number], number>;
  private readonly insertFailure: Statement<[string, number]>;
  private readonly forgetBefore: Statement<[number]>;
  private readonly forgetScope: Statement<[string]>;
  private readonly recordAll: (scopes: readonly string[], now: number) => void;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {
    this.recentFailures = preparePluck(
      db,
      'SELECT at FROM sign_in_failures WHERE scope = ? AND at > ? ORDER BY at DESC LIMIT ?',
    );
    this.insertFailure = db.prepare('INSERT INTO sign_in_failures (scope, at) VALUES (?, ?)');
    this.forgetBefore = db.prepare('DELETE FROM sign_in_failures WHERE at <= ?');
    this.forgetScope = db.prepare('DELETE FROM sign_in_failures WHERE scope = ?');
    // A write: takes the write lock first (db/sql.ts), as every writing transaction does.
    this.recordAll = db.transaction((scopes: readonly string[], now: number) => {
      for (const scope of scopes) this.insertFailure.run(scope, now);
      // Keep the table small: rows older than the window no longer count for anything.
      this.forgetBefore.run(now - this.policy.windowSeconds * 1000);
    }).immediate;
  }

  check(username: string, address: string): ThrottleVerdict {
    const now = this.clock();
    const windowStart = now - this.policy.windowSeconds * 1000;
    let retryAt = 0;
    for (const [scope, limit] of this.scopes(username, address)) {
      const failures = this.recentFailures.all(scope, windowStart, limit);
      // Blocked until the limit-th most recent failure leaves the window.
      const oldestCounted = failures[limit - 1];
      if (oldestCounted !== undefined) {
        retryAt = Math.max(retryAt, oldestCounted + this.policy.windowSeconds * 1000);
      }
    }
    if (retryAt <= now) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) };
  }

  recordFailure(username: string, address: string): void {
    this.recordAll(
      this.scopes(username, address).map(([scope]) => scope),
      this.clock(),
    );
  }

  /** A successful sign-in clears that username's failures (not the address's). */
  recordSuccess(username: string): void {
    this.forgetScope.run(`user:${username}`);
  }

  private scopes(username: string, address: string): Array<[string, number]> {
    return [
      [`user:${username}`, this.policy.maxFailuresPerUser],
      [`ip:${address}`, this.policy.maxFailuresPerAddress],
    ];
  }
}
