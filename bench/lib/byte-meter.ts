// Counts the TCP payload bytes (both directions) of a set of client sockets, including those that
// closed since: HTTP keep-alive sockets come and go while a polling client is measured.
import type { Socket } from 'node:net';

export class ByteMeter {
  private readonly live = new Set<Socket>();
  private closedBytes = 0;

  /** Counts `socket` from now on (from its first byte: deltas between totals are what matter). */
  track(socket: Socket): void {
    if (this.live.has(socket)) return;
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closedBytes += socket.bytesRead + socket.bytesWritten;
    });
  }

  /** Bytes read and written by every socket tracked so far. */
  total(): number {
    let sum = this.closedBytes;
    for (const socket of this.live) sum += socket.bytesRead + socket.bytesWritten;
    return sum;
  }
}
