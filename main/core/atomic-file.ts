// Durable small-file writes. A crash or power loss mid-write must leave either the old file or the
// new one, never a torn mix, so we write a temp file, fsync it, rename it over the target and fsync
// the directory (rename durability on ext4/APFS needs the directory entry flushed too).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function writeFileAtomic(file: string, contents: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; the rename is already as durable as it gets there.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a file as text; null when it does not exist (every other error is real and propagates). */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Serialises saves of one file and coalesces bursts: while a write is in flight, later requests
 * collapse into one follow-up write of the newest contents. No timers involved.
 */
export class CoalescingWriter {
  private inFlight: Promise<void> | null = null;
  private pending: (() => string) | null = null;

  constructor(
    private readonly file: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** `render` is called when the write actually starts, so it always captures the latest state. */
  save(render: () => string): Promise<void> {
    this.pending = render;
    if (!this.inFlight) this.inFlight = this.drain();
    return this.inFlight;
  }

  /** Resolves once everything requested so far is on disk. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const render = this.pending;
        this.pending = null;
        try {
          await writeFileAtomic(this.file, render());
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.inFlight = null;
    }
  }
}
