// Packs already-rendered PNGs into the two icon containers installers want: Windows .ico and macOS
// .icns. Both formats may hold PNG data as-is (ICO since Vista, ICNS since 10.7), so no image library
// is needed and the output is a pure function of the input bytes: re-running never churns git.
// Shipping both files also keeps electron-builder from downloading its icon-conversion tool.

export interface SizedPng {
  /** Width = height in pixels. */
  size: number;
  png: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Sizes Windows asks an .ico for: small/large icons at 100-200 % scaling, plus the 256 px tile. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 256] as const;

/**
 * ICNS element types that take PNG data, by pixel size. Retina variants (`@2x`) share a pixel size
 * with a plain one (ic11 = 16@2x is 32 px); macOS picks by type, so both are written.
 * See https://en.wikipedia.org/wiki/Apple_Icon_Image_format#Icon_types.
 */
export const ICNS_TYPES: ReadonlyArray<{ type: string; size: number }> = [
  { type: 'ic11', size: 32 }, // 16 pt @2x
  { type: 'ic12', size: 64 }, // 32 pt @2x
  { type: 'ic07', size: 128 },
  { type: 'ic13', size: 256 }, // 128 pt @2x
  { type: 'ic08', size: 256 },
  { type: 'ic14', size: 512 }, // 256 pt @2x
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 }, // 512 pt @2x
];

function assertPng(image: SizedPng): void {
  if (!image.png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`${image.size} px image is not a PNG`);
  // IHDR is always the first chunk: width at byte 16, height at byte 20 (big-endian).
  const width = image.png.readUInt32BE(16);
  const height = image.png.readUInt32BE(20);
  if (width !== image.size || height !== image.size) {
    throw new Error(`expected a ${image.size}x${image.size} PNG, got ${width}x${height}`);
  }
}

function pick(images: readonly SizedPng[], size: number): SizedPng {
  const image = images.find((candidate) => candidate.size === size);
  if (!image) throw new Error(`no ${size}x${size} PNG to pack`);
  assertPng(image);
  return image;
}

/**
 * ICONDIR (6 bytes) + one 16-byte ICONDIRENTRY per image + the PNGs back to back.
 * Format: https://learn.microsoft.com/en-us/previous-versions/ms997538(v=msdn.10)
 */
export function encodeIco(images: readonly SizedPng[], sizes: readonly number[] = ICO_SIZES): Buffer {
  const chosen = sizes.map((size) => pick(images, size));
  const header = Buffer.alloc(6 + 16 * chosen.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon (2 would be cursor)
  header.writeUInt16LE(chosen.length, 4);
  let offset = header.length;
  chosen.forEach((image, index) => {
    const entry = 6 + 16 * index;
    // A byte holds 0-255, so 256 px is written as 0 by definition.
    header.writeUInt8(image.size >= 256 ? 0 : image.size, entry);
    header.writeUInt8(image.size >= 256 ? 0 : image.size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel (RGBA)
    header.writeUInt32LE(image.png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += image.png.length;
  });
  return Buffer.concat([header, ...chosen.map((image) => image.png)]);
}

/** 'icns' + total length, then per element a 4-char type, its length (header included) and the PNG. */
export function encodeIcns(images: readonly SizedPng[]): Buffer {
  const elements = ICNS_TYPES.map(({ type, size }) => {
    const { png } = pick(images, size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
