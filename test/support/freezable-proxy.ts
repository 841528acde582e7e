// A loopback TCP proxy whose existing connections can be frozen, for half-open links (the stream's
// watchdog, STOMP heart-beats): bytes stop in both directions, the sockets stay open.
import net from 'node:net';

/** A loopback TCP proxy whose existing connections can be frozen: bytes stop, sockets stay open. */
export class FreezableProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  accepted = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => {
      this.accepted += 1;
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      const pair = { client, upstream, frozen: false };
      this.pairs.add(pair);
      // Manual piping so a frozen pair can swallow bytes instead of forwarding them.
      client.on('data', (chunk) => pair.frozen || upstream.write(chunk));
      upstream.on('data', (chunk) => pair.frozen || client.write(chunk));
      const end = () => {
        this.pairs.delete(pair);
        if (!pair.frozen) {
          client.destroy();
          upstream.destroy();
        }
      };
      client.on('close', end).on('error', () => {});
      upstream.on('close', end).on('error', () => {});
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** Every connection open now goes silent in both directions, without closing. */
  freezeAll(): number {
    for (const pair of this.pairs) pair.frozen = true;
    return this.pairs.size;
  }

  close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
