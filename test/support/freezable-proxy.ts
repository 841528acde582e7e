// A loopback TCP proxy for half-open links (the stream's watchdog, STOMP heart-beats, stalled
// handshakes): existing connections can be frozen (bytes stop in both directions, the sockets stay
// open), and the whole link can go down and come back.
import net from 'node:net';

/**
 * A loopback TCP proxy whose existing connections can be frozen: bytes stop, sockets stay open. While
 * the link is down (`linkDown`) new connections are accepted and swallowed the same way, as a dead
 * route does to a fresh SYN that a middlebox answers; `linkUp` lets new connections through again.
 */
export class FreezableProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  private down = false;
  accepted = 0;
  /** Connections accepted while the link was down (each one a stalled attempt). */
  swallowed = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => {
      this.accepted += 1;
      if (this.down) this.swallowed += 1;
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      const pair = { client, upstream, frozen: this.down };
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

  /** The link goes dead: every connection, open now or opened later, goes silent without closing. */
  linkDown(): void {
    this.down = true;
    this.freezeAll();
  }

  /** The link is back for new connections; the frozen ones stay dead (their route is gone). */
  linkUp(): void {
    this.down = false;
  }

  close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
