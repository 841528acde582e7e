// Receipts on the desktop. Every download is checked again by its content (the server's word is not
// enough): images reach the window only as a data: URL of a sniffed image type (the window's CSP
// already allows `img-src data:`, and an <img> runs nothing), and PDFs never reach the window at all:
// they are written to a private temporary file for the system's viewer (main hands it to
// shell.openPath). The temporary folder is 0700, each file 0600 with a random name and the sniffed
// type's extension (never the submitter's file name), and the folder is removed when the core stops.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  type ImageReceiptType,
  inspectReceipt,
  isImageReceiptType,
  RECEIPT_EXTENSIONS,
  type ReceiptDownload,
  type ReceiptMediaType,
} from '../../protocol';

/** A download whose bytes are not what the server said, or not what the caller asked for. */
export class ReceiptRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptRefusedError';
  }
}

/** The type the bytes themselves say, which must be the type the server stated. */
export function checkedReceiptType(download: ReceiptDownload): ReceiptMediaType {
  const sniffed = inspectReceipt(download.bytes)?.mediaType;
  if (!sniffed) throw new ReceiptRefusedError('the receipt is not a PNG, JPEG, WebP or PDF file');
  if (sniffed !== download.mediaType) {
    throw new ReceiptRefusedError(`the server said ${download.mediaType} but the receipt is ${sniffed}`);
  }
  return sniffed;
}

export interface ReceiptImage {
  mediaType: ImageReceiptType;
  /** `data:<image type>;base64,…` */
  dataUrl: string;
}

/** An image receipt as something an <img> can show; anything that is not an image is refused. */
export function receiptImage(download: ReceiptDownload): ReceiptImage {
  const mediaType = checkedReceiptType(download);
  if (!isImageReceiptType(mediaType)) throw new ReceiptRefusedError(`a ${mediaType} receipt is not an image`);
  return { mediaType, dataUrl: `data:${mediaType};base64,${Buffer.from(download.bytes).toString('base64')}` };
}

/** The private folder of receipts saved for the system viewer, created on first use. */
export class ReceiptFiles {
  private dir: Promise<string> | null = null;

  constructor(private readonly tempRoot: string = os.tmpdir()) {}

  /** Writes a checked download to a new 0600 file and returns its path. */
  async save(download: ReceiptDownload): Promise<string> {
    const mediaType = checkedReceiptType(download);
    const dir = await this.folder();
    const file = path.join(dir, `${randomBytes(16).toString('hex')}${RECEIPT_EXTENSIONS[mediaType]}`);
    // `wx`: never follow or reuse something already there.
    await writeFile(file, download.bytes, { mode: 0o600, flag: 'wx' });
    return file;
  }

  /** Removes the folder and every receipt in it (on quit). */
  async removeAll(): Promise<void> {
    const dir = this.dir;
    this.dir = null;
    if (!dir) return;
    await rm(await dir.catch(() => ''), { recursive: true, force: true }).catch(() => {});
  }

  private folder(): Promise<string> {
    this.dir ??= (async () => {
      // mkdtemp creates the folder 0700 with a random suffix; chmod makes that explicit whatever the OS.
      const dir = await mkdtemp(path.join(this.tempRoot, 'signoff-receipts-'));
      await chmod(dir, 0o700);
      return dir;
    })();
    return this.dir;
  }
}
