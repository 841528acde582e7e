// Small, valid receipt files made in code for the demo traffic (`simulate`) and for tests: a PNG that
// looks like a till slip (paper, a coloured header, lines of "print", a total line) and a one-page
// PDF with a few lines of text. node:zlib alone; deterministic for the same inputs.
import { crc32, deflateSync } from 'node:zlib';
import type { ReceiptUpload } from '../../protocol';

type Rgb = readonly [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG of `width`×`height` whose pixels come from `paint(x, y)`. */
export function encodePng(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      raw.writeUInt8(r, y * stride + 1 + x * 3);
      raw.writeUInt8(g, y * stride + 2 + x * 3);
      raw.writeUInt8(b, y * stride + 3 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // depth 8, colour type 2 (RGB), deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ACCENTS: readonly Rgb[] = [
  [37, 99, 235],
  [5, 150, 105],
  [217, 119, 6],
  [190, 24, 93],
  [79, 70, 229],
];

/**
 * A till slip as a picture: `variant` picks the header colour and the lengths of the printed lines,
 * so different receipts look different.
 */
export function receiptPng(variant: number, width = 180, height = 260): Buffer {
  const accent = ACCENTS[variant % ACCENTS.length]!;
  const paper: Rgb = [250, 248, 240];
  const ink: Rgb = [60, 60, 66];
  const margin = Math.round(width * 0.1);
  const header = Math.round(height * 0.16);
  const lineHeight = 14;
  return encodePng(width, height, (x, y) => {
    if (y < header) return accent;
    const inner = x >= margin && x < width - margin;
    const row = Math.floor((y - header - 10) / lineHeight);
    const inRow = (y - header - 10) % lineHeight;
    if (!inner || row < 0 || inRow < 5 || inRow > 8) return paper;
    const lastRow = Math.floor((height - header - 30) / lineHeight);
    if (row === lastRow) return x > width / 2 ? ink : paper; // the total, right-aligned
    if (row > lastRow) return paper;
    // Each line "prints" a word on the left and an amount on the right.
    const word = margin + ((variant * 7 + row * 13) % Math.round(width * 0.45)) + 12;
    return x < word || x > width - margin - 28 ? ink : paper;
  });
}

/** A one-page PDF (PDF 1.4, Helvetica) saying `lines`; ASCII only. Byte offsets in the xref are exact. */
export function receiptPdf(lines: readonly string[]): Buffer {
  const pdfString = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const text = lines
    .map((line, i) => `BT /F1 14 Tf 56 ${760 - i * 22} Td (${pdfString(line)}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A file as a submit request carries it. */
export function receiptUpload(name: string, bytes: Uint8Array): ReceiptUpload {
  return { name, contentBase64: Buffer.from(bytes).toString('base64') };
}
