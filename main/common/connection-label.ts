// What the tray and the window call a connection state: its kind, except that online by long-poll
// (WebSocket upgrades blocked, events by `GET /events?wait=`) has its own words. Zod-free: the window
// bundles it.
import type { ConnectionKind, ConnectionState } from './connection-state-schema';

export const CONNECTION_LABELS = [
  'signed-out',
  'connecting',
  'online',
  'online-long-poll',
  'reconnecting',
  'offline',
  'session-expired',
  'error',
] as const satisfies readonly (ConnectionKind | 'online-long-poll')[];

export type ConnectionLabel = (typeof CONNECTION_LABELS)[number];

export function connectionLabelOf(state: ConnectionState): ConnectionLabel {
  return state.kind === 'online' && state.via === 'long-poll' ? 'online-long-poll' : state.kind;
}
