// The committed icon files: the .ico and .icns hold exactly the rendered PNGs at the sizes each OS
// wants (parsed here independently of the encoder), are up to date with them, and the tray images
// the app loads at run time all exist at the right pixel sizes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TRAY_COUNT_LABELS,
  TRAY_ICON_STATES,
  trayCountFileLabel,
  trayIconFile,
} from '../../main/adapters/tray-icons';
import {
  encodeIcns,
  encodeIco,
  ICNS_TYPES,
  ICO_SIZES,
  type SizedPng,
} from '../../scripts/packaging/icon-containers';
import { type DecodedPng, decodePng, differingPixelShare } from '../support/png';
import { repoRoot } from '../support/stage-project';

const assets = path.join(repoRoot, 'assets');
const appIconPng = (size: number) => readFileSync(path.join(assets, 'icons', `${size}x${size}.png`));
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const renderedAppIcons: SizedPng[] = [16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => ({
  size,
  png: appIconPng(size),
}));

describe('assets/icon.ico', () => {
  const ico = readFileSync(path.join(assets, 'icon.ico'));

  it('holds the 16-256 px PNGs, byte for byte, behind a valid ICONDIR', () => {
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const entry = 6 + 16 * i;
      const size = ico.readUInt8(entry) || 256;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(ico.readUInt8(entry + 1) || 256).toBe(size);
      expect(ico.subarray(offset, offset + length).equals(appIconPng(size))).toBe(true);
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 256]);
  });

  it('is what scripts/render-icons.ts writes from the committed PNGs', () => {
    expect(encodeIco(renderedAppIcons).equals(ico)).toBe(true);
  });
});

describe('assets/icon.icns', () => {
  const icns = readFileSync(path.join(assets, 'icon.icns'));

  it('holds the 32-1024 px PNGs under their ICNS types, and its length adds up', () => {
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: string[] = [];
    for (let offset = 8; offset < icns.length; ) {
      const type = icns.subarray(offset, offset + 4).toString('latin1');
      const length = icns.readUInt32BE(offset + 4);
      const expected = ICNS_TYPES.find((element) => element.type === type);
      expect(expected, `unexpected element ${type}`).toBeDefined();
      expect(icns.subarray(offset + 8, offset + length).equals(appIconPng(expected?.size ?? 0))).toBe(true);
      found.push(type);
      offset += length;
    }
    expect(found.sort()).toEqual(['ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14']);
  });

  it('is what scripts/render-icons.ts writes from the committed PNGs', () => {
    expect(encodeIcns(renderedAppIcons).equals(icns)).toBe(true);
  });
});

describe('icon containers', () => {
  it('refuse a PNG whose pixel size is not the one it is filed under', () => {
    const wrong = renderedAppIcons.map((icon) =>
      icon.size === 48 ? { size: 48, png: appIconPng(32) } : icon,
    );
    expect(() => encodeIco(wrong)).toThrow(/expected a 48x48 PNG, got 32x32/);
    expect(() => encodeIco(renderedAppIcons, [...ICO_SIZES, 96])).toThrow(/no 96x96 PNG/);
  });
});

describe('Linux icon set and tray images', () => {
  it('has an NxN.png for every size electron-builder installs into the hicolor theme', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(appIconPng(size))).toEqual({ width: size, height: size });
    }
  });

  it('has every tray image the app loads, at 1x and 2x, with the pixel sizes the names promise', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      for (const state of TRAY_ICON_STATES) {
        const file = trayIconFile(assets, state, platform);
        const base = path.basename(file).includes('-32') ? 32 : 16;
        expect(existsSync(file), file).toBe(true);
        expect(pngSize(readFileSync(file))).toEqual({ width: base, height: base });
        const retina = file.replace(/\.png$/, '@2x.png');
        expect(pngSize(readFileSync(retina))).toEqual({ width: base * 2, height: base * 2 });
      }
    }
  });
});

describe('the pending count in the tray icon (Windows and Linux)', () => {
  const tray = (name: string) => decodePng(readFileSync(path.join(assets, 'tray', name)));
  // One count per label: 1-9 and anything above as "9+".
  const counts = TRAY_COUNT_LABELS.map((label) => (label === '9+' ? 10 : Number(label)));
  // Every variant the renderer writes: coloured tile and light glyph, 16 and 32 px, each with @2x.
  const variants = ['', '-32', '-light', '-32-light'];
  /** Opaque near-black pixels: the digits (nothing else in these icons is that dark). */
  const darkPixels = (image: DecodedPng) => {
    let dark = 0;
    for (let i = 0; i < image.rgba.length; i += 4) {
      const [r, g, b, a] = image.rgba.subarray(i, i + 4);
      if (a! > 200 && r! < 80 && g! < 80 && b! < 80) dark += 1;
    }
    return dark;
  };

  it('has an image for every count label, at 1x and 2x, for each platform and variant', () => {
    for (const platform of ['linux', 'win32'] as const) {
      for (const count of counts) {
        const file = trayIconFile(assets, 'pending', platform, count);
        const base = path.basename(file).includes('-32') ? 32 : 16;
        expect(pngSize(readFileSync(file)), file).toEqual({ width: base, height: base });
        const retina = file.replace(/\.png$/, '@2x.png');
        expect(pngSize(readFileSync(retina)), retina).toEqual({ width: base * 2, height: base * 2 });
      }
    }
    for (const label of TRAY_COUNT_LABELS) {
      for (const variant of variants) {
        const base = variant.includes('-32') ? 32 : 16;
        for (const scale of [1, 2]) {
          const name = `tray-pending-${trayCountFileLabel(label)}${variant}${scale === 2 ? '@2x' : ''}.png`;
          expect(tray(name).width, name).toBe(base * scale);
        }
      }
    }
  });

  it('makes pending unmistakable from idle at 16 px: most pixels differ, not a dot', () => {
    for (const variant of ['', '-light']) {
      const idle = tray(`tray-idle${variant}.png`);
      for (const label of TRAY_COUNT_LABELS) {
        const pending = tray(`tray-pending-${trayCountFileLabel(label)}${variant}.png`);
        // The old 3 px dot changed 13% of the pixels; the badge changes well over half.
        expect(differingPixelShare(idle, pending), `${label}${variant}`).toBeGreaterThan(0.5);
      }
      expect(differingPixelShare(idle, tray(`tray-pending${variant}.png`)), variant).toBeGreaterThan(0.5);
    }
  });

  it('draws each count in dark pixels large enough to read, and no two counts alike', () => {
    const images = TRAY_COUNT_LABELS.map((label) => tray(`tray-pending-${trayCountFileLabel(label)}.png`));
    // At 16 px even the slimmest digit, "1", is 21 dark pixels; the count-less badge has none.
    for (const [i, image] of images.entries()) {
      expect(darkPixels(image), TRAY_COUNT_LABELS[i]).toBeGreaterThanOrEqual(20);
    }
    expect(darkPixels(tray('tray-pending.png'))).toBe(0);
    for (let i = 0; i < images.length; i += 1) {
      for (let j = i + 1; j < images.length; j += 1) {
        const pair = `${TRAY_COUNT_LABELS[i]} vs ${TRAY_COUNT_LABELS[j]}`;
        // 6 and 8 are the closest pair: 8 pixels apart.
        expect(differingPixelShare(images[i]!, images[j]!) * 256, pair).toBeGreaterThanOrEqual(6);
      }
    }
  });
});
