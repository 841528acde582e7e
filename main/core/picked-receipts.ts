// Receipt files picked in main's native open-file dialog for a resubmission (issue 14). The dialog's
// paths come from the OS dialog the user answered, never from the page; this reads each file (refusing
// what the server would refuse: over 2 MiB, not a PNG/JPEG/WebP/PDF by its content), keeps the bytes
// here under a random handle, and tells the window only the handle, name, type and size. The
// resubmission names handles back; the bytes go to the server from here.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  inspectReceipt,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  type ReceiptUpload,
} from '../../protocol';
import type { PickedReceipt } from '../common/picked-receipt-schema';

type Problem = Extract<PickedReceipt, { ok: false }>['problem'];

/** Most files kept between a pick and the resubmission that sends them; the oldest go first. */
const KEPT = 2 * MAX_RECEIPTS_PER_CLAIM;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f/\\]/g;

/**
 * The file's own name as the protocol accepts it (ReceiptName): no control characters, at most 200
 * characters; shown to people only, never used as a path.
 */
export function receiptNameOf(file: string): string {
  const name = path.basename(file).replace(UNSAFE_IN_NAME, '_').trim();
  return name.length === 0 ? 'receipt' : name.slice(0, 200).trim();
}

export class PickedReceipts {
  private readonly files = new Map<string, { name: string; bytes: Buffer }>();

  /** Reads the chosen files, in order; more than one claim can carry are answered `too-many`. */
  async add(paths: readonly string[]): Promise<PickedReceipt[]> {
    const picked: PickedReceipt[] = [];
    for (const [index, file] of paths.entries()) {
      const name = receiptNameOf(file);
      picked.push(index < MAX_RECEIPTS_PER_CLAIM ? await this.read(file, name) : refused(name, 'too-many'));
    }
    return picked;
  }

  /** The uploads for these handles, or null when one is unknown (never picked, or forgotten since). */
  uploads(ids: readonly string[]): ReceiptUpload[] | null {
    const files = ids.map((id) => this.files.get(id));
    if (files.some((file) => file === undefined)) return null;
    return files.map((file) => ({ name: file!.name, contentBase64: file!.bytes.toString('base64') }));
  }

  /** Sent (or no longer wanted): the bytes are dropped. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.files.delete(id);
  }

  clear(): void {
    this.files.clear();
  }

  private async read(file: string, name: string): Promise<PickedReceipt> {
    let bytes: Buffer;
    try {
      // Size first: a 4 GiB video picked by mistake is refused without reading it; not a regular file
      // (a FIFO would block the read) is unreadable.
      const info = await stat(file);
      if (!info.isFile()) return refused(name, 'unreadable');
      if (info.size > MAX_RECEIPT_BYTES) return refused(name, 'too-large');
      bytes = await readFile(file);
    } catch {
      return refused(name, 'unreadable');
    }
    if (bytes.length > MAX_RECEIPT_BYTES) return refused(name, 'too-large'); // it grew meanwhile
    const content = inspectReceipt(bytes);
    if (!content) return refused(name, 'not-a-receipt');
    const id = `pick-${randomBytes(16).toString('hex')}`;
    this.files.set(id, { name, bytes });
    for (const oldest of this.files.keys()) {
      if (this.files.size <= KEPT) break;
      this.files.delete(oldest);
    }
    return { ok: true, id, name, mediaType: content.mediaType, sizeBytes: bytes.length };
  }
}

function refused(name: string, problem: Problem): PickedReceipt {
  return { ok: false, name, problem };
}
