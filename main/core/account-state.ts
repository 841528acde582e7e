// Per server+user state that must survive restarts: the stream cursor (so we resume instead of
// re-reading everything), which notifications were already shown (so nothing is shown twice, even
// after a crash or a reconnect), when each claim was last reminded about, and the user's profile
// (so the tray can name them while offline). No secrets here: the token lives in the SecretStore.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ClaimSummary, Cursor, Me } from '../../protocol';
import { AnnouncementInboxSchema, emptyInbox } from './announcement-inbox';
import { CoalescingWriter, readTextIfExists } from './atomic-file';
import { claimIdOfKey } from './notification-keys';
import type { Logger } from './ports';

const AccountStateSchema = z.object({
  version: z.literal(1),
  cursor: Cursor.nullable(),
  /** The queue as of `cursor`; saved with it so a restart resumes the stream instead of starting over. */
  queue: z.array(ClaimSummary),
  user: Me.nullable(),
  /** Notification key (see notification-keys.ts) → epoch ms when it was shown (or deliberately suppressed). */
  notified: z.record(z.string(), z.number()),
  /** `${claimId}#${stepIndex}` → epoch ms of the last reminder. */
  reminded: z.record(z.string(), z.number()),
  /** Announcements kept for the window and the tray (announcement-inbox.ts); absent in older files. */
  announcements: AnnouncementInboxSchema.default(emptyInbox),
  /**
   * The last broadcast-stream cursor applied; non-null = this client reads the broadcast stream itself
   * (docs/protocol.md, "The broadcast stream"). Absent in older files: the next start takes a snapshot
   * to learn the server's broadcast head.
   */
  broadcastCursor: Cursor.nullable().default(null),
  /** The last snapshot said the server has no broadcast stream: announcements come in the user's stream. */
  broadcastUnsupported: z.boolean().default(false),
});
export type AccountStateData = z.infer<typeof AccountStateSchema>;

/** How long a shown-notification key is remembered after its claim left the queue. */
const KEEP_NOTIFIED_MS = 30 * 24 * 3600 * 1000;
/** Upper bound on remembered keys per table, so the file stays small for heavy approvers (and flooding servers). */
export const MAX_KEYS = 5000;
/** When a write passes MAX_KEYS, the oldest keys are dropped down to this, so capping costs O(1) per write on average. */
const KEYS_AFTER_EVICTION = Math.floor(MAX_KEYS * 0.9);
/** Entry counts of the key tables, so a write need not count the keys; dropped whenever a table is pruned. */
const tableSizes = new WeakMap<Record<string, number>, number>();

/**
 * Sets `key` to `at` as the table's newest entry (insertion order is the order of writes) and keeps
 * the table within MAX_KEYS by dropping the oldest-written keys. A key of a claim still waiting
 * goes only after MAX_KEYS newer ones; prune() keeps those whatever their age when a session opens.
 */
function rememberCapped(table: Record<string, number>, key: string, at: number): void {
  let size = tableSizes.get(table) ?? Object.keys(table).length;
  if (key in table) {
    delete table[key];
    size -= 1;
  }
  table[key] = at;
  size += 1;
  if (size > MAX_KEYS) {
    for (const oldest of Object.keys(table).slice(0, size - KEYS_AFTER_EVICTION)) delete table[oldest];
    size = KEYS_AFTER_EVICTION;
  }
  tableSizes.set(table, size);
}

const claimJson = new WeakMap<ClaimSummary, string>();

export function accountId(origin: string, username: string): string {
  return `${origin}|${username}`;
}

function emptyState(): AccountStateData {
  return {
    version: 1,
    cursor: null,
    queue: [],
    user: null,
    notified: {},
    reminded: {},
    announcements: emptyInbox(),
    broadcastCursor: null,
    broadcastUnsupported: false,
  };
}

export class AccountState {
  data: AccountStateData = emptyState();
  private readonly writer: CoalescingWriter;
  readonly file: string;

  constructor(
    userDataDir: string,
    account: string,
    private readonly logger: Logger,
  ) {
    const name = createHash('sha256').update(account).digest('hex').slice(0, 24);
    this.file = path.join(userDataDir, 'accounts', `${name}.json`);
    this.writer = new CoalescingWriter(this.file, (error) =>
      this.logger.error('account state: write failed', { error: String(error) }),
    );
  }

  async load(): Promise<void> {
    const text = await readTextIfExists(this.file).catch(() => null);
    if (text === null) return;
    try {
      const parsed = AccountStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.data = parsed.data;
        return;
      }
    } catch {
      // fall through: unreadable state only costs a fresh snapshot
    }
    this.logger.warn('account state: unreadable; starting from a fresh snapshot');
  }

  wasNotified(key: string): boolean {
    return key in this.data.notified;
  }

  markNotified(key: string, at: number): void {
    rememberCapped(this.data.notified, key, at);
  }

  /** When the claim step behind `key` was last reminded about (or first announced); undefined if never. */
  lastReminded(key: string): number | undefined {
    return this.data.reminded[key];
  }

  markReminded(key: string, at: number): void {
    rememberCapped(this.data.reminded, key, at);
  }

  /** Forgets the cursor (sign-out); keeps notification history so nothing is shown twice later. */
  clearCursor(): void {
    this.data.cursor = null;
    this.data.broadcastCursor = null;
    this.data.broadcastUnsupported = false;
    this.data.queue = [];
  }

  /**
   * Drops old keys and caps how many are remembered; keys of claims for which `isQueued(claimId)`
   * holds are kept whatever their age.
   */
  prune(now: number, isQueued: (claimId: string) => boolean): void {
    const keep = (key: string) => {
      const claimId = claimIdOfKey(key);
      return claimId !== null && isQueued(claimId);
    };
    for (const table of [this.data.notified, this.data.reminded]) {
      tableSizes.delete(table);
      const entries = Object.entries(table);
      for (const [key, at] of entries) {
        if (!keep(key) && now - at > KEEP_NOTIFIED_MS) delete table[key];
      }
      if (entries.length > MAX_KEYS) {
        const oldest = Object.entries(table)
          .sort((a, b) => a[1] - b[1])
          .slice(0, Object.keys(table).length - MAX_KEYS);
        for (const [key] of oldest) if (!keep(key)) delete table[key];
      }
    }
  }

  /**
   * Where the live queue is read from when a write starts (set by the owner of the queue), so the
   * saved queue always matches the saved cursor and a burst of events costs one serialisation.
   */
  queueSource: (() => ClaimSummary[]) | null = null;

  save(): Promise<void> {
    return this.writer.save(() => {
      if (this.queueSource) this.data.queue = this.queueSource();
      return this.render();
    });
  }

  /**
   * JSON of `data`, reusing each claim's serialisation: claims never change once received, and
   * re-serialising a 1,000-claim queue on every event would block the event loop for milliseconds.
   */
  private render(): string {
    const { queue, ...rest } = this.data;
    const claims = queue.map((claim) => {
      let json = claimJson.get(claim);
      if (json === undefined) {
        json = JSON.stringify(claim);
        claimJson.set(claim, json);
      }
      return json;
    });
    const head = JSON.stringify(rest);
    return `${head.slice(0, -1)},"queue":[${claims.join(',')}]}`;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
