// The long-poll stream client: `GET /events?epoch=&after=&wait=25` in a loop, for networks whose
// proxies refuse WebSocket upgrades (or by choice, `transport: long-poll`). Plain HTTPS through the
// same fetch as REST, so the corporate CA and the connection pool apply.
//
// Like STOMP, the sync engine sees a live-only feed: once the first poll has answered (the channel
// works), the client asks it to catch up from its own cursor (batched notifications, as after a
// reconnect on any transport), and every page's events then go through the same apply-by-seq path,
// where anything delivered twice (seq ≤ cursor) is dropped. The client's own polls continue from the
// cursor each page returns, so consecutive pages form one gapless sequence; a `reset` page is passed
// on as the v1 stream's `reset` frame (the engine re-takes the snapshot) and polling continues from it.
// With a broadcast cursor each poll carries it too (`bepoch`/`bafter`), and the page's broadcast half
// becomes broadcast frames (`stream: 'broadcast'`) continuing from its own cursor.
import { type ApiClient, ApiError, type Cursor, type EventsPage, ServerFrame } from '../../protocol';
import { ReconnectingStream, type ReconnectingStreamOptions } from './reconnecting-stream';
import { currentToken, type FrameCounters, type TokenOption } from './stream-client';

/** How long the server may hold a poll: the protocol's maximum, under common proxy idle limits. */
export const LONG_POLL_WAIT_SECONDS = 25;
/** Events per page; a page with `hasMore` is followed at once by the next. */
const PAGE_LIMIT = 500;

export interface LongPollStreamClientOptions extends ReconnectingStreamOptions {
  /** The REST transport (TLS, pool, timeouts) the polls go through. */
  api: ApiClient;
  /** Read before every poll: with single sign-on the token is refreshed between polls. */
  token: TokenOption;
  counters: FrameCounters;
  /** Seconds each poll may be held (tests shorten it); default LONG_POLL_WAIT_SECONDS. */
  waitSeconds?: number;
}

export class LongPollStreamClient extends ReconnectingStream {
  /** Ends the poll in flight (stop, wake, restart); null between polls. */
  private inFlight: AbortController | null = null;

  constructor(private readonly options: LongPollStreamClientOptions) {
    super(options);
  }

  protected open(generation: number, resume: Cursor | null): void {
    if (resume === null) {
      // prepare() takes a snapshot when there is no cursor, so this means it could not: try again later.
      this.scheduleRetry('no cursor to poll from');
      return;
    }
    this.opened();
    void this.poll(generation, resume, true);
  }

  /** A held poll may be dead after sleep or a network change: drop it and poll again at once. */
  protected override wakeLive(): void {
    if (this.state.kind === 'online' && this.inFlight) {
      this.generation += 1;
      this.drop();
      void this.connect();
    }
  }

  protected abort(): boolean {
    if (!this.inFlight) return false;
    this.inFlight.abort(new Error('restarting the long-poll'));
    return true;
  }

  protected drop(): void {
    const inFlight = this.inFlight;
    this.inFlight = null;
    this.forgetOnline();
    if (!inFlight) return;
    inFlight.abort(new Error('long-poll dropped'));
    this.options.hooks.onDisconnected();
  }

  private async poll(generation: number, from: Cursor, first: boolean): Promise<void> {
    let cursor = from;
    let broadcast = this.options.hooks.broadcastCursor?.();
    let waitSeconds = 0;
    while (this.isCurrent(generation)) {
      const controller = new AbortController();
      this.inFlight = controller;
      let page: EventsPage;
      try {
        this.options.api.token = currentToken(this.options.token);
        page = await this.options.api.events(cursor, {
          waitSeconds,
          limit: PAGE_LIMIT,
          signal: controller.signal,
          ...(broadcast ? { broadcast } : {}),
        });
      } catch (error) {
        if (!this.isCurrent(generation)) return;
        this.failed(error);
        return;
      }
      if (!this.isCurrent(generation)) return;
      if (first) {
        first = false;
        this.wentOnline({ kind: 'online', via: 'long-poll' });
        this.options.hooks.catchUp?.();
      }
      this.deliver(page);
      cursor = page.cursor;
      if (broadcast && page.broadcast) broadcast = page.broadcast.cursor;
      const more =
        (page.status === 'ok' && page.hasMore) || (page.broadcast?.status === 'ok' && page.broadcast.hasMore);
      // The first poll only proves the channel; after a full page, fetch the rest at once.
      waitSeconds = more ? 0 : (this.options.waitSeconds ?? LONG_POLL_WAIT_SECONDS);
    }
  }

  /** A page as the frames the v1 stream would have sent; each is checked against the frame schema. */
  private deliver(page: EventsPage): void {
    const frames: object[] =
      page.status === 'reset'
        ? [{ type: 'reset', cursor: page.cursor, reason: page.reason }]
        : page.events.map((event) => ({ type: 'event', epoch: page.cursor.epoch, event }));
    const broadcast = page.broadcast;
    if (broadcast?.status === 'reset') {
      frames.push({ type: 'reset', stream: 'broadcast', cursor: broadcast.cursor, reason: broadcast.reason });
    } else if (broadcast) {
      const { epoch } = broadcast.cursor;
      for (const event of broadcast.events) frames.push({ type: 'event', stream: 'broadcast', epoch, event });
    }
    for (const candidate of frames) {
      const frame = ServerFrame.safeParse(candidate);
      if (frame.success) this.options.hooks.onFrame(frame.data);
      else this.options.counters.invalid += 1;
    }
  }

  private failed(error: unknown): void {
    this.inFlight = null;
    if (!this.connectionEnded()) return;
    if (error instanceof ApiError && error.status === 401) {
      this.endSession();
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.scheduleRetry(`long-poll failed: ${reason}`);
  }
}
