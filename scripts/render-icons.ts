// Renders every PNG under assets/ from the one drawing in assets/icon.svg, with the system Chromium
// (offline, no image libraries). Run after changing the drawing and commit the PNGs:
//   npx esbuild scripts/render-icons.ts --bundle --platform=node --packages=external --outfile=/tmp/ri.js && node /tmp/ri.js
//
// Output:
//   assets/icon.png, assets/icons/<N>x<N>.png    app icon (electron-builder's Linux icon-set layout)
//   assets/icon.ico                               Windows exe/installer icon: 16-256 px PNGs in one ICO
//   assets/icon.icns                              macOS app icon: 32-1024 px PNGs in one ICNS
//   assets/tray/tray-<state>[-32][-light|Template][@2x].png
//     state:    idle | pending | offline | attention
//     variant:  (none) coloured tile for Windows; -light white glyph for dark Linux panels;
//               Template black-on-transparent for the macOS menu bar (Electron recognises the suffix)
//     size:     16 px, or 32 px with -32; @2x doubles it for HiDPI
//   assets/tray/tray-pending-<1..9|9plus>[-32][-light][@2x].png
//     the pending icon with the count drawn in, for Windows and Linux (macOS shows it as the title)
// The .ico and .icns are packed from the rendered PNGs by scripts/packaging/icon-containers.ts, so
// electron-builder (electron-builder.yml points at them) never converts or downloads anything.
// Every output is a pure function of icon.svg and this script: re-running it leaves git clean.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { chromium as Chromium } from 'playwright-core';
import { TRAY_COUNT_LABELS, type TrayCountLabel, trayCountFileLabel } from '../main/adapters/tray-icons';
import { launchHeadlessChromium } from './headless-chromium';
import { encodeIcns, encodeIco, type SizedPng } from './packaging/icon-containers';

// Run from the repository root. The bundle usually lives in /tmp, so neither its own location nor
// its node_modules lookup can find the repo: both are resolved from the working directory instead.
const root = process.cwd();
if (!existsSync(path.join(root, 'assets', 'icon.svg'))) {
  throw new Error('run render-icons from the repository root (assets/icon.svg not found)');
}
const { chromium } = createRequire(path.join(root, 'package.json'))('playwright-core') as {
  chromium: typeof Chromium;
};
const assets = path.join(root, 'assets');
const source = readFileSync(path.join(assets, 'icon.svg'), 'utf8');

type State = 'idle' | 'pending' | 'offline' | 'attention';
type Variant = 'color' | 'light' | 'template';

const STATES: State[] = ['idle', 'pending', 'offline', 'attention'];
const VARIANTS: Variant[] = ['color', 'light', 'template'];
const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

function extract(id: string, tag: 'g' | 'rect' | 'defs'): string {
  const pattern =
    tag === 'rect'
      ? new RegExp(`<rect id="${id}"[^>]*/>`)
      : tag === 'defs'
        ? /<defs>[\s\S]*?<\/defs>/
        : new RegExp(`<g id="${id}"[\\s\\S]*?</g>`);
  const match = source.match(pattern);
  if (!match) throw new Error(`assets/icon.svg has no ${tag}#${id}`);
  return match[0];
}

const glyph = extract('glyph', 'g');
const tile = extract('tile', 'rect');
const gradientDefs = extract('', 'defs').replace(/^<defs>|<\/defs>$/g, '');

/** Where each state's badge sits, and what is cut out of the glyph around it so it reads at 16 px. */
interface Badge {
  cx: number;
  cy: number;
  r: number;
  markup(variant: Variant): string;
}

const badgeColour = (variant: Variant, colour: string) => (variant === 'template' ? '#000000' : colour);

const BADGES: Record<State, Badge | null> = {
  idle: null,
  // Something waits: a solid dot, the universal "unread" mark. Only the macOS template uses it now
  // (its count is the tray title); Windows and Linux draw the count instead (pendingCountSvg).
  pending: {
    cx: 25.5,
    cy: 6.5,
    r: 6,
    markup: (v) => `<circle cx="25.5" cy="6.5" r="5.5" fill="${badgeColour(v, '#f5a524')}"/>`,
  },
  // Not connected: a hollow ring, and the glyph itself is dimmed.
  offline: {
    cx: 25,
    cy: 25,
    r: 6.5,
    markup: (v) =>
      `<circle cx="25" cy="25" r="4.4" fill="none" stroke-width="2.4" stroke="${
        v === 'color' ? '#aeb7c2' : v === 'light' ? '#ffffff' : '#000000'
      }"/>`,
  },
  // Needs the user (signed out, session expired, error): a filled disc with an exclamation mark cut out.
  attention: {
    cx: 25,
    cy: 25,
    r: 7.5,
    markup: (v) =>
      `<mask id="bang"><rect width="32" height="32" fill="#fff"/>` +
      `<rect x="23.8" y="19.6" width="2.4" height="6.4" rx="1.2" fill="#000"/>` +
      `<circle cx="25" cy="28.6" r="1.3" fill="#000"/></mask>` +
      `<circle cx="25" cy="25" r="6.6" fill="${badgeColour(v, '#e5484d')}" mask="url(#bang)"/>`,
  },
};

function traySvg(state: State, variant: Variant, px: number): string {
  const glyphColour = variant === 'template' ? '#000000' : '#ffffff';
  const badge = BADGES[state];
  const base =
    (variant === 'color' ? tile : '') + glyph.replace('stroke="#ffffff"', `stroke="${glyphColour}"`);
  const cut = badge
    ? `<mask id="cut"><rect width="32" height="32" fill="#fff"/><circle cx="${badge.cx}" cy="${badge.cy}" r="${badge.r}" fill="#000"/></mask>`
    : '';
  // The coloured tile stays opaque when offline; only the glyph dims, so the icon keeps its shape.
  const dim = state === 'offline' ? ' opacity="0.45"' : '';
  const body =
    variant === 'color' && state === 'offline'
      ? `${tile}${glyph.replace('<g id="glyph"', `<g id="glyph"${dim}`)}`
      : `<g${dim}>${base}</g>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${px}" height="${px}">` +
    `<defs>${gradientDefs}${cut}</defs>` +
    `<g${badge ? ' mask="url(#cut)"' : ''}>${body}</g>` +
    (badge ? badge.markup(variant) : '') +
    '</svg>'
  );
}

/**
 * The pending count is drawn as a bitmap font on the 16 px grid (one dot = 2 units = 1 px at 16 px)
 * rather than as text: a font's outlines blur into grey at 16 px, depend on which fonts the rendering
 * machine has, and would make the output differ between machines. Bold (2 px stems), 6x9 dots, so one
 * digit fills most of a 16 px icon. "+" is 5 dots with 1 px strokes so "9+" still fits the badge.
 */
const COUNT_GLYPHS: Record<string, string[]> = {
  '1': ['...11.', '..111.', '.1111.', '...11.', '...11.', '...11.', '...11.', '...11.', '...11.'],
  '2': ['.1111.', '11..11', '....11', '...11.', '..11..', '.11...', '11....', '111111', '111111'],
  '3': ['11111.', '....11', '....11', '..111.', '....11', '....11', '....11', '11..11', '.1111.'],
  '4': ['...11.', '..111.', '.1111.', '11.11.', '11.11.', '111111', '111111', '...11.', '...11.'],
  '5': ['111111', '11....', '11....', '11111.', '....11', '....11', '....11', '11..11', '.1111.'],
  '6': ['..111.', '.11...', '11....', '11111.', '11..11', '11..11', '11..11', '11..11', '.1111.'],
  '7': ['111111', '....11', '....11', '...11.', '...11.', '..11..', '..11..', '.11...', '.11...'],
  '8': ['.1111.', '11..11', '11..11', '.1111.', '11..11', '11..11', '11..11', '11..11', '.1111.'],
  '9': ['.1111.', '11..11', '11..11', '11..11', '.11111', '....11', '....11', '...11.', '.111..'],
  '+': ['.....', '.....', '..1..', '..1..', '11111', '..1..', '..1..', '.....', '.....'],
};
const DOT = 2;
const GLYPH_GAP = 1;

/** The count as one path of horizontal runs, centred on (cx, cy) in the 32-unit grid. */
function countPath(label: TrayCountLabel, cx: number, cy: number): string {
  const glyphs = [...label].map((ch) => {
    const rows = COUNT_GLYPHS[ch];
    if (!rows) throw new Error(`no count glyph for "${ch}"`);
    return rows;
  });
  const width =
    glyphs.reduce((sum, rows) => sum + (rows[0]?.length ?? 0), 0) + GLYPH_GAP * (glyphs.length - 1);
  const height = 9;
  let x0 = cx - (width * DOT) / 2;
  const y0 = cy - (height * DOT) / 2;
  let d = '';
  for (const rows of glyphs) {
    rows.forEach((row, r) => {
      for (const run of row.matchAll(/1+/g)) {
        d += `M${x0 + (run.index ?? 0) * DOT} ${y0 + r * DOT}h${run[0].length * DOT}v${DOT}h${-run[0].length * DOT}z`;
      }
    });
    x0 += ((rows[0]?.length ?? 0) + GLYPH_GAP) * DOT;
  }
  return d;
}

/**
 * Pending on Windows and Linux: an amber badge over the lower right of the icon, 14x13 px of the 16,
 * with the count in near-black (about 8:1 on amber), cut 1 px clear of the glyph beneath. Idle is
 * the bare tick, so the two differ in most of their pixels, not in a dot. Without a label it is the
 * count-less pending image (what trayIconFile gives when no count is passed).
 */
function pendingCountSvg(
  label: TrayCountLabel | null,
  variant: Exclude<Variant, 'template'>,
  px: number,
): string {
  const badge = { x: 4, y: 6, w: 28, h: 26, r: 8 };
  const base = (variant === 'color' ? tile : '') + glyph;
  const count = label
    ? `<path d="${countPath(label, badge.x + badge.w / 2, badge.y + badge.h / 2)}" fill="#1b1b1b"/>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${px}" height="${px}">` +
    `<defs>${gradientDefs}<mask id="cut"><rect width="32" height="32" fill="#fff"/>` +
    `<rect x="${badge.x - 2}" y="${badge.y - 2}" width="${badge.w + 4}" height="${badge.h + 4}" rx="${badge.r + 2}" fill="#000"/></mask></defs>` +
    `<g mask="url(#cut)">${base}</g>` +
    `<rect x="${badge.x}" y="${badge.y}" width="${badge.w}" height="${badge.h}" rx="${badge.r}" fill="#f5a524"/>` +
    count +
    '</svg>'
  );
}

function trayFileName(name: string, variant: Variant, base: 16 | 32, scale: 1 | 2): string {
  const size = base === 32 ? '-32' : '';
  const suffix = variant === 'light' ? '-light' : variant === 'template' ? 'Template' : '';
  return `tray-${name}${size}${suffix}${scale === 2 ? '@2x' : ''}.png`;
}

async function main(): Promise<void> {
  const browser = await launchHeadlessChromium(chromium);
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const render = async (svg: string, px: number, outFile: string) => {
      await page.setViewportSize({ width: px, height: px });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
      );
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      mkdirSync(path.dirname(outFile), { recursive: true });
      writeFileSync(outFile, png);
    };

    const appIcons: SizedPng[] = [];
    for (const px of APP_ICON_SIZES) {
      const svg = source.replace(/width="32" height="32"/, `width="${px}" height="${px}"`);
      const file = path.join(assets, 'icons', `${px}x${px}.png`);
      await render(svg, px, file);
      appIcons.push({ size: px, png: readFileSync(file) });
      if (px === 512) writeFileSync(path.join(assets, 'icon.png'), readFileSync(file));
    }
    writeFileSync(path.join(assets, 'icon.ico'), encodeIco(appIcons));
    writeFileSync(path.join(assets, 'icon.icns'), encodeIcns(appIcons));
    let count = 0;
    for (const state of STATES) {
      for (const variant of VARIANTS) {
        for (const base of [16, 32] as const) {
          for (const scale of [1, 2] as const) {
            // macOS keeps the dot: its count is the tray title, and a template image cannot be amber.
            const svg =
              state === 'pending' && variant !== 'template'
                ? pendingCountSvg(null, variant, base * scale)
                : traySvg(state, variant, base * scale);
            await render(
              svg,
              base * scale,
              path.join(assets, 'tray', trayFileName(state, variant, base, scale)),
            );
            count += 1;
          }
        }
      }
    }
    for (const label of TRAY_COUNT_LABELS) {
      for (const variant of ['color', 'light'] as const) {
        for (const base of [16, 32] as const) {
          for (const scale of [1, 2] as const) {
            const name = `pending-${trayCountFileLabel(label)}`;
            await render(
              pendingCountSvg(label, variant, base * scale),
              base * scale,
              path.join(assets, 'tray', trayFileName(name, variant, base, scale)),
            );
            count += 1;
          }
        }
      }
    }
    console.log(
      `rendered ${APP_ICON_SIZES.length} app icon sizes (+ icon.ico, icon.icns) and ${count} tray images into assets/`,
    );
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
