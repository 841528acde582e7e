// The tokens of a single-sign-on session: the access token the backend accepts, refreshed before it
// expires (one timer) and on demand after the server ended a stream with 4001; the refresh token,
// kept only in the secret store (rotated ones replace it there); revocation at sign-out. One refresh
// at a time: a provider that rotates refresh tokens would refuse the second of two racing refreshes.
import type { Configuration } from 'openid-client';
import type { Clock, Logger } from './ports';
import { refresh, revoke, type SsoTokens } from './sso';

/** Refresh this long before the access token expires, at most; a quarter of its lifetime when shorter. */
const REFRESH_AHEAD_MS = 60_000;

/** The provider could not be reached: the refresh token may still be good, so try again later. */
export class SsoUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsoUnreachableError';
  }
}

export interface SsoCredentialsDeps {
  /** The provider's configuration (discovery); asked lazily when restoring a saved sign-in. */
  configure(): Promise<Configuration>;
  clock: Clock;
  logger: Logger;
  /** Stores a rotated refresh token in the secret store. */
  saveRefreshToken(token: string): Promise<void>;
}

export class SsoCredentials {
  private tokens!: SsoTokens;
  /** How long the current access token was issued for (0: unknown). */
  private lifetimeMs = 0;
  private config: Promise<Configuration> | null = null;
  private inFlight: Promise<string> | null = null;
  private timer: unknown = null;
  private stopped = false;
  /** Called with each access token a timed refresh brings. */
  onRenewed: (token: string) => void = () => {};

  constructor(
    tokens: SsoTokens,
    private readonly deps: SsoCredentialsDeps,
  ) {
    this.take(tokens);
  }

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  /**
   * An access token the server should accept: the current one if the failing request did not use it
   * and it is not about to expire, else a refreshed one. Rejects with SsoUnreachableError when the
   * provider cannot be reached, with another error when it refuses the refresh token.
   */
  fresh(used: string): Promise<string> {
    const { accessToken, expiresAt } = this.tokens;
    const expiring = expiresAt !== null && expiresAt - this.deps.clock.now() < this.aheadMs();
    if (accessToken !== used && accessToken !== '' && !expiring) return Promise.resolve(accessToken);
    return this.renew();
  }

  /** Revokes the refresh token at the provider where it supports RFC 7009, and stops refreshing. */
  async revoke(): Promise<void> {
    this.stop();
    const { refreshToken } = this.tokens;
    if (!refreshToken) return;
    try {
      const revoked = await revoke(await this.configuration(), refreshToken);
      this.deps.logger.info('sso: refresh token revoked at sign-out', { revoked });
    } catch (error) {
      this.deps.logger.info('sso: could not revoke the refresh token', { error: String(error) });
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private renew(): Promise<string> {
    this.inFlight ??= this.refreshNow().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async refreshNow(): Promise<string> {
    const { refreshToken } = this.tokens;
    if (!refreshToken) throw new Error('the identity provider gave no refresh token');
    let config: Configuration;
    try {
      config = await this.configuration();
    } catch (error) {
      throw new SsoUnreachableError(`identity provider unreachable: ${String(error)}`);
    }
    let tokens: SsoTokens;
    try {
      tokens = await refresh(config, refreshToken, () => this.deps.clock.now());
    } catch (error) {
      // openid-client wraps transport failures in TypeErrors/AbortErrors; a refused grant is an OAuth error.
      if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
        throw new SsoUnreachableError(`identity provider unreachable: ${error.message}`);
      }
      throw error;
    }
    this.take(tokens);
    if (tokens.refreshToken !== refreshToken && tokens.refreshToken) {
      await this.deps.saveRefreshToken(tokens.refreshToken);
    }
    this.deps.logger.info('sso: access token refreshed', { expiresAt: tokens.expiresAt });
    return tokens.accessToken;
  }

  private take(tokens: SsoTokens): void {
    this.tokens = tokens;
    this.lifetimeMs = tokens.expiresAt === null ? 0 : Math.max(0, tokens.expiresAt - this.deps.clock.now());
    this.schedule();
  }

  private configuration(): Promise<Configuration> {
    this.config ??= this.deps.configure();
    const pending = this.config;
    pending.catch(() => {
      if (this.config === pending) this.config = null;
    });
    return pending;
  }

  /** Refresh ahead of expiry, so neither REST nor the stream meets an expired token in normal running. */
  private schedule(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    const { expiresAt } = this.tokens;
    if (this.stopped || expiresAt === null || !this.tokens.refreshToken) return;
    const delay = expiresAt - this.deps.clock.now() - this.aheadMs();
    this.timer = this.deps.clock.setTimeout(
      () => {
        this.timer = null;
        this.renew().then(
          (token) => this.onRenewed(token),
          (error: unknown) => {
            // Not fatal yet: the 4001 at expiry asks again, and a refused refresh ends the session then.
            this.deps.logger.warn('sso: timed refresh failed', { error: String(error) });
          },
        );
      },
      Math.max(0, delay),
    );
  }

  private aheadMs(): number {
    return Math.min(REFRESH_AHEAD_MS, this.lifetimeMs / 4);
  }
}
