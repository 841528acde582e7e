// The wire contract between Signoff and an approval backend. Imported by main/ and server-stub/;
// documented for backend teams in docs/protocol.md.

export * from './announcement-list';
export * from './api-client';
export * from './auth';
export * from './claims';
export * from './decimal-amount';
export * from './delegation';
export * from './enums';
export * from './errors';
export * from './events';
export * from './headers';
export * from './money';
export * from './nudge';
export * from './policy-flags';
export * from './receipt-content';
export * from './receipts';
export * from './stomp';
export * from './stream';
export * from './users';
export * from './version';
