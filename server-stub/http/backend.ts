// Everything the HTTP routes work with, built once per server by createStubServer.

import type { IdentityProvider } from '../../protocol';
import type { BearerAuthority } from '../auth/bearer-authority';
import type { SessionStore } from '../auth/sessions';
import type { SignInThrottle } from '../auth/sign-in-throttle';
import type { Announcements } from '../claims/announcements';
import type { ClaimChainChanges } from '../claims/chain-changes';
import type { ClaimReader } from '../claims/claim-reader';
import type { Delegations } from '../claims/delegation';
import type { ClaimNudges } from '../claims/nudge';
import type { ClaimWorkflow } from '../claims/workflow';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { StoredEventLog } from '../events/event-log';
import type { UserDirectory } from '../org/users';
import type { IdempotencyStore } from './idempotency';

export interface Backend {
  db: Db;
  clock: Clock;
  heartbeatSeconds: number;
  users: UserDirectory;
  sessions: SessionStore;
  /** Every bearer token, password session or identity-provider access token. */
  auth: BearerAuthority;
  /** Advertised in `/info` when single sign-on is configured. */
  identityProvider?: IdentityProvider;
  throttle: SignInThrottle;
  eventLog: StoredEventLog;
  claims: ClaimReader;
  workflow: ClaimWorkflow;
  announcements: Announcements;
  idempotency: IdempotencyStore;
  nudges: ClaimNudges;
  /** Out-of-office delegations (claims/delegation.ts). */
  delegations: Delegations;
  /** Transfer, add approver, return for revision, resubmit (issue 14). */
  chainChanges: ClaimChainChanges;
}
