// Decodes the PNGs scripts/render-icons.ts writes (Chromium screenshots: 8-bit RGBA, not interlaced)
// into pixels, with node:zlib alone, so icon tests can compare what an icon looks like.
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, row by row, 4 bytes a pixel. */
  rgba: Uint8Array;
}

export function decodePng(png: Buffer): DecodedPng {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || colourType !== 6 || interlace !== 0) {
        throw new Error(
          `only 8-bit RGBA, non-interlaced PNGs (got depth ${depth}, colour type ${colourType})`,
        );
      }
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? -1];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      rgba[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * The share of pixels (0-1) that differ by more than `tolerance` (of 255) in opacity or in any
 * colour channel as composited (premultiplied), so fully transparent pixels count as equal
 * whatever colour they happen to store.
 */
export function differingPixelShare(a: DecodedPng, b: DecodedPng, tolerance = 48): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size');
  let differing = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    const alphaA = a.rgba[i + 3]!;
    const alphaB = b.rgba[i + 3]!;
    let differs = Math.abs(alphaA - alphaB) > tolerance;
    for (let channel = 0; channel < 3 && !differs; channel += 1) {
      differs = Math.abs((a.rgba[i + channel]! * alphaA - b.rgba[i + channel]! * alphaB) / 255) > tolerance;
    }
    if (differs) differing += 1;
  }
  return differing / (a.width * a.height);
}
