// What a receipt's bytes are, read from the bytes themselves (magic numbers), never from a name or a
// Content-Type. The server decides a receipt's type with this at upload; the desktop checks downloads
// with it again before showing or opening anything. Plain Uint8Array code: no Node, no DOM.
import type { ReceiptMediaType } from './receipts';

export interface ReceiptContent {
  mediaType: ReceiptMediaType;
  /** From the image header when it states one; null for PDFs and unreadable headers. */
  width: number | null;
  height: number | null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  return startsWith(
    bytes,
    [...text].map((c) => c.charCodeAt(0)),
    at,
  );
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | u16be(b, at + 2));

/** Width and height, or nulls when either is absent or zero. */
function size(width: number, height: number): Pick<ReceiptContent, 'width' | 'height'> {
  return width > 0 && height > 0 ? { width, height } : { width: null, height: null };
}

function png(bytes: Uint8Array): ReceiptContent | null {
  // The signature, then IHDR must be the first chunk (PNG spec §5.6).
  if (!startsWith(bytes, PNG_SIGNATURE) || !ascii(bytes, 12, 'IHDR') || bytes.length < 24) return null;
  return { mediaType: 'image/png', ...size(u32be(bytes, 16), u32be(bytes, 20)) };
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpeg(bytes: Uint8Array): ReceiptContent | null {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, start of scan: no frame header before
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(bytes, at + 2);
    if (isStartOfFrame(marker) && at + 9 <= bytes.length) {
      return { mediaType: 'image/jpeg', ...size(u16be(bytes, at + 7), u16be(bytes, at + 5)) };
    }
    at += 2 + length;
  }
  return { mediaType: 'image/jpeg', width: null, height: null };
}

function webp(bytes: Uint8Array): ReceiptContent | null {
  if (!ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP') || bytes.length < 30) return null;
  const unknown: ReceiptContent = { mediaType: 'image/webp', width: null, height: null };
  if (ascii(bytes, 12, 'VP8X')) {
    return { mediaType: 'image/webp', ...size(u24le(bytes, 24) + 1, u24le(bytes, 27) + 1) };
  }
  if (ascii(bytes, 12, 'VP8L') && bytes[20] === 0x2f) {
    const bits = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24);
    return { mediaType: 'image/webp', ...size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1) };
  }
  if (ascii(bytes, 12, 'VP8 ') && startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) {
    return { mediaType: 'image/webp', ...size(u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff) };
  }
  return unknown;
}

function pdf(bytes: Uint8Array): ReceiptContent | null {
  // The header must open the file: a PDF reader may accept junk before it, a receipt may not carry any.
  return ascii(bytes, 0, '%PDF-') ? { mediaType: 'application/pdf', width: null, height: null } : null;
}

/** The receipt type of these bytes, or null when they are none of RECEIPT_MEDIA_TYPES. */
export function inspectReceipt(bytes: Uint8Array): ReceiptContent | null {
  return png(bytes) ?? jpeg(bytes) ?? webp(bytes) ?? pdf(bytes);
}

/** The file extension for a receipt type: the desktop names temp files by type, never by the given name. */
export const RECEIPT_EXTENSIONS: Readonly<Record<ReceiptMediaType, string>> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};
