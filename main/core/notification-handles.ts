// What a notifier must remember to close its notifications after the app restarted (issue 13,
// item 2): a claim decided elsewhere while the app was closed must not keep a stale notification on
// screen. Each platform keeps its own handle per notification id (the D-Bus server's id on Linux;
// the toast tag/group on Windows and the identifier on macOS are our own stable ids) plus an
// `owner` saying whose handles they are (for D-Bus: the server process that issued the ids, so ids
// a restarted daemon reuses for other apps' notifications are never closed). Saved atomically in
// userData; Electron-free and D-Bus-free, so adapters of every platform share it.
import { z } from 'zod';
import { CoalescingWriter, readTextIfExists } from './atomic-file';
import type { Logger } from './ports';

const HandleFile = z.object({
  owner: z.string(),
  handles: z.record(z.string(), z.union([z.string(), z.number()])),
});
type HandleFile = z.infer<typeof HandleFile>;

export type NotificationHandle = HandleFile['handles'][string];

export class NotificationHandles {
  private readonly writer: CoalescingWriter;

  private readonly handles: Map<string, NotificationHandle>;

  private constructor(
    file: string,
    private readonly owner: string,
    saved: HandleFile['handles'],
    logger: Logger | undefined,
  ) {
    this.handles = new Map(Object.entries(saved));
    this.writer = new CoalescingWriter(file, (error) =>
      logger?.warn('notifications: could not save notification handles', { error: String(error) }),
    );
  }

  /**
   * Loads the handles saved by an earlier run. Handles of another owner (a notification server that
   * has since restarted) or an unreadable file are dropped: those notifications are gone anyway.
   */
  static async load(file: string, owner: string, logger?: Logger): Promise<NotificationHandles> {
    let saved: HandleFile | null = null;
    try {
      const text = await readTextIfExists(file);
      if (text !== null) saved = HandleFile.parse(JSON.parse(text));
    } catch (error) {
      logger?.warn('notifications: ignoring unreadable notification handles', { error: String(error) });
    }
    const mine = saved !== null && saved.owner === owner;
    const handles = new NotificationHandles(file, owner, saved && mine ? saved.handles : {}, logger);
    if (saved && !mine) void handles.save();
    return handles;
  }

  get(id: string): NotificationHandle | undefined {
    return this.handles.get(id);
  }

  /** The ids of every notification remembered, from this run or an earlier one. */
  ids(): string[] {
    return [...this.handles.keys()];
  }

  set(id: string, handle: NotificationHandle): void {
    this.handles.set(id, handle);
    void this.save();
  }

  delete(id: string): void {
    if (this.handles.delete(id)) void this.save();
  }

  /** Resolves once everything changed so far is on disk. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private save(): Promise<void> {
    return this.writer.save(() =>
      JSON.stringify({ owner: this.owner, handles: Object.fromEntries(this.handles) } satisfies HandleFile),
    );
  }
}
