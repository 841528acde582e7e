// One stream client inside the coordinator, for latency measurements: timestamps the arrival of the
// claim events the benchmark waits for. Only a handful exist, so parsing each frame is fine here.
// A push may arrive before the HTTP response that caused it (the stub writes to sockets right after
// the commit, then replies), so arrivals nobody waits for yet are kept until asked for.
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerFrame, STREAM_SUBPROTOCOL, type UserEventType } from '../../protocol';
import { preciseNow } from './stats';

export interface MeasuringClient {
  /** Resolves with the receipt instant of the next `type` event about `claimId`. */
  next(type: UserEventType, claimId: string): Promise<number>;
  close(): void;
}

function claimIdOf(frame: ServerFrame): string | null {
  if (frame.type !== 'event') return null;
  const event = frame.event;
  if ('claim' in event) return event.claim.id;
  if ('claimId' in event) return event.claimId;
  return null;
}

export async function openMeasuringClient(url: string, token: string): Promise<MeasuringClient> {
  const ws = new WebSocket(url, STREAM_SUBPROTOCOL, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const waiting = new Map<string, (at: number) => void>();
  const arrived = new Map<string, number>();
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const at = preciseNow();
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'welcome') resolve();
      const claimId = claimIdOf(frame);
      if (frame.type !== 'event' || claimId === null) return;
      const key = `${frame.event.type} ${claimId}`;
      const waiter = waiting.get(key);
      if (!waiter) {
        arrived.set(key, at);
        return;
      }
      waiting.delete(key);
      waiter(at);
    });
  });
  ws.once('open', () =>
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null })),
  );
  await welcomed;
  return {
    next(type, claimId) {
      const key = `${type} ${claimId}`;
      const at = arrived.get(key);
      if (at !== undefined) {
        arrived.delete(key);
        return Promise.resolve(at);
      }
      return new Promise((resolve) => waiting.set(key, resolve));
    },
    close: () => ws.terminate(),
  };
}
