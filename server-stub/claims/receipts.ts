// Receipts on the server: checking uploads (size limits, type by content), storing them inside the
// submit transaction, adding and removing them inside a resubmission's, and reading them back for
// ClaimDetail and downloads.
import { createHash } from 'node:crypto';
import {
  inspectReceipt,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  RECEIPT_MEDIA_TYPES,
  type Receipt,
  type ReceiptMediaType,
  type ReceiptUpload,
} from '../../protocol';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import { HttpError } from '../http/http-error';

/** An upload that passed every check: decoded, typed by its content, measured. */
export interface CheckedReceipt {
  name: string;
  mediaType: ReceiptMediaType;
  width: number | null;
  height: number | null;
  content: Buffer;
}

const mebibytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;

/**
 * Decodes and checks a submit request's receipts. Sizes first (413 `payload_too_large`), then the
 * content (400 `bad_request` naming the receipt): a file that is none of the accepted types is refused
 * whatever its name says. Runs before the write transaction, so nothing is stored unless all pass.
 */
export function checkReceiptUploads(uploads: readonly ReceiptUpload[] | undefined): CheckedReceipt[] {
  if (!uploads) return [];
  let total = 0;
  const decoded = uploads.map((upload, index) => {
    const content = Buffer.from(upload.contentBase64, 'base64');
    if (content.length > MAX_RECEIPT_BYTES) {
      throw new HttpError(
        413,
        'payload_too_large',
        `receipt ${index} ("${upload.name}") is ${content.length} bytes; each receipt may be at most ${MAX_RECEIPT_BYTES} bytes (${mebibytes(MAX_RECEIPT_BYTES)})`,
      );
    }
    total += content.length;
    return { upload, content };
  });
  checkClaimTotal(total);
  return decoded.map(({ upload, content }, index) => {
    const kind = inspectReceipt(content);
    if (!kind) {
      throw badReceiptField(
        `receipts.${index}.contentBase64`,
        `receipt "${upload.name}" is not a PNG, JPEG, WebP or PDF file (its content decides, not its name)`,
      );
    }
    return { name: upload.name, ...kind, content };
  });
}

/** One claim's receipts together, as submitted or as a resubmission leaves them: 413 when too large. */
function checkClaimTotal(total: number): void {
  if (total > MAX_CLAIM_RECEIPT_BYTES) {
    throw new HttpError(
      413,
      'payload_too_large',
      `the receipts add up to ${total} bytes; one claim's receipts may be at most ${MAX_CLAIM_RECEIPT_BYTES} bytes (${mebibytes(MAX_CLAIM_RECEIPT_BYTES)})`,
    );
  }
}

/** A 400 `bad_request` with its one issue at `path`. */
function badReceiptField(path: string, message: string): HttpError {
  return new HttpError(400, 'bad_request', message, { issues: [{ path, message }] });
}

interface ReceiptRow {
  id: string;
  name: string;
  media_type: ReceiptMediaType;
  size_bytes: number;
  width: number | null;
  height: number | null;
}

interface ContentRow {
  name: string;
  media_type: ReceiptMediaType;
  content: Buffer;
}

export function formatReceiptId(number: number): string {
  return `RCT-${String(number).padStart(6, '0')}`;
}

export class ReceiptStore {
  private readonly nextNumber: Statement<[], number>;
  private readonly insert: Statement<
    [number, string, string, number, string, string, number, number | null, number | null, string, Buffer]
  >;
  private readonly byClaim: Statement<[string], ReceiptRow>;
  private readonly countOf: Statement<[string], number>;
  private readonly contentOf: Statement<[string, string], ContentRow>;
  private readonly nextPosition: Statement<[string], number>;
  private readonly remove: Statement<[string, string]>;

  constructor(db: Db) {
    // From the engine's counter, not MAX(number): a removed receipt's id is never given again, so a
    // client that saw RCT-000042 never finds other bytes under it. SQLite's AUTOINCREMENT counter and
    // PostgreSQL's identity sequence are the one thing here the two spell differently.
    this.nextNumber = preparePluck(
      db,
      db.dialect === 'postgres'
        ? "SELECT nextval(pg_get_serial_sequence('receipts', 'number'))"
        : `SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'receipts'), 0),
                  (SELECT COALESCE(MAX(number), 0) FROM receipts)) + 1`,
    );
    this.nextPosition = preparePluck(
      db,
      'SELECT COALESCE(MAX(position), -1) + 1 FROM receipts WHERE claim_id = ?',
    );
    this.remove = db.prepare('DELETE FROM receipts WHERE claim_id = ? AND id = ?');
    this.insert = db.prepare(
      `INSERT INTO receipts (number, id, claim_id, position, name, media_type, size_bytes, width, height,
                             sha256, content)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byClaim = db.prepare(
      `SELECT id, name, media_type, size_bytes, width, height FROM receipts
        WHERE claim_id = ? ORDER BY position`,
    );
    this.countOf = preparePluck(db, 'SELECT COUNT(*) FROM receipts WHERE claim_id = ?');
    this.contentOf = db.prepare(
      'SELECT name, media_type, content FROM receipts WHERE claim_id = ? AND id = ?',
    );
  }

  /**
   * Stores receipts after the claim's others; call inside the transaction that creates (or resubmits)
   * the claim.
   */
  attach(claimId: string, receipts: readonly CheckedReceipt[]): void {
    const first = this.nextPosition.get(claimId) ?? 0;
    receipts.forEach((receipt, offset) => {
      const number = this.nextNumber.get() ?? 1;
      this.insert.run(
        number,
        formatReceiptId(number),
        claimId,
        first + offset,
        receipt.name,
        receipt.mediaType,
        receipt.content.length,
        receipt.width,
        receipt.height,
        createHash('sha256').update(receipt.content).digest('hex'),
        receipt.content,
      );
    });
  }

  /**
   * A resubmission's receipt edits, inside its transaction: `removeIds` must all be the claim's own
   * (else 400 at `removeReceipts.<n>`), and the claim as it is after the edit must keep to the limits
   * (more than MAX_RECEIPTS_PER_CLAIM: 400 at `receipts`; over MAX_CLAIM_RECEIPT_BYTES: 413). Throws
   * before writing anything.
   */
  edit(claimId: string, removeIds: readonly string[], added: readonly CheckedReceipt[]): void {
    const current = this.byClaim.all(claimId);
    removeIds.forEach((id, index) => {
      if (!current.some((row) => row.id === id)) {
        throw badReceiptField(`removeReceipts.${index}`, `${id} is not a receipt of claim ${claimId}`);
      }
    });
    const kept = current.filter((row) => !removeIds.includes(row.id));
    const count = kept.length + added.length;
    if (count > MAX_RECEIPTS_PER_CLAIM) {
      throw badReceiptField(
        'receipts',
        `the claim would have ${count} receipts; a claim may have at most ${MAX_RECEIPTS_PER_CLAIM}`,
      );
    }
    const keptBytes = kept.reduce((sum, row) => sum + row.size_bytes, 0);
    checkClaimTotal(added.reduce((sum, receipt) => sum + receipt.content.length, keptBytes));
    for (const id of removeIds) this.remove.run(claimId, id);
    this.attach(claimId, added);
  }

  list(claimId: string): Receipt[] {
    return this.byClaim.all(claimId).map((row) => ({
      id: row.id,
      name: row.name,
      mediaType: row.media_type,
      sizeBytes: row.size_bytes,
      width: row.width,
      height: row.height,
    }));
  }

  count(claimId: string): number {
    return this.countOf.get(claimId) ?? 0;
  }

  /** The stored bytes and their sniffed type, or null when the claim has no such receipt. */
  content(claimId: string, receiptId: string): ContentRow | null {
    const row = this.contentOf.get(claimId, receiptId);
    // A row written by something other than checkReceiptUploads is not served under a type it lacks.
    if (!row || !(RECEIPT_MEDIA_TYPES as readonly string[]).includes(row.media_type)) return null;
    return row;
  }
}
