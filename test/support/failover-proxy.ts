// A loopback TCP proxy with an ordered list of upstreams: each new connection goes to the first one
// that accepts it, as a load balancer with health checks sends clients to a live node. It stands in
// for the load balancer in front of a cluster (the desktop is given one address, docs/cluster.md),
// and, in front of RabbitMQ, for a broker restart: `cut()` drops every connection and refuses new
// ones until `restore()`, without disturbing the other tests that share the real broker.
import net from 'node:net';

export class FailoverProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private refusing = false;
  /** Connections made, per upstream port. */
  readonly routed = new Map<number, number>();

  constructor(private readonly upstreams: readonly number[]) {
    this.server = net.createServer((client) => {
      client.on('error', () => {});
      if (this.refusing) {
        client.destroy();
        return;
      }
      client.pause();
      this.route(client, 0);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** Every connection is cut at once and new ones are refused, as while a broker restarts. */
  cut(): void {
    this.refusing = true;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.refusing = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private route(client: net.Socket, index: number): void {
    const port = this.upstreams[index];
    if (port === undefined || client.destroyed || this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    // Refused (the node is down): try the next upstream.
    const tryNext = () => void this.route(client, index + 1);
    upstream.once('error', tryNext);
    upstream.once('connect', () => {
      upstream.off('error', tryNext);
      this.routed.set(port, (this.routed.get(port) ?? 0) + 1);
      // Without this, Nagle's algorithm holds small writes (AMQP frames, pushes) for tens of ms.
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      const pair = { client, upstream };
      this.pairs.add(pair);
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', end).on('close', end);
      client.on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}
