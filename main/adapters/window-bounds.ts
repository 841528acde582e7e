// Remembers where the window was. The file is untrusted input (hand edits, older versions, a monitor
// that has since been unplugged), so it is validated, sizes are clamped, and a position that would
// put the window off every screen is dropped so the OS centres it instead.
import { z } from 'zod';
import { readTextIfExists } from '../core/atomic-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowBounds {
  /** Absent when the saved position is unusable; the window is then centred. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 960, height: 680 } as const;
export const MIN_WINDOW_SIZE = { width: 420, height: 480 } as const;
const MAX_DIMENSION = 10_000;
/** How much of the title bar must be on a screen for the window to count as reachable. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const coordinate = z.number().int().min(-MAX_DIMENSION).max(MAX_DIMENSION);
const dimension = z.number().int().min(1).max(MAX_DIMENSION);

export const WindowBoundsFile = z.object({
  version: z.literal(1),
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: dimension,
  height: dimension,
  maximized: z.boolean().default(false),
});

export function defaultWindowBounds(): WindowBounds {
  return { ...DEFAULT_WINDOW_SIZE, maximized: false };
}

/** Parses saved text; anything unreadable gives the defaults rather than an error. */
export function parseWindowBounds(text: string | null): WindowBounds {
  if (text === null) return defaultWindowBounds();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return defaultWindowBounds();
  }
  const parsed = WindowBoundsFile.safeParse(json);
  if (!parsed.success) return defaultWindowBounds();
  const { version: _version, ...bounds } = parsed.data;
  return bounds;
}

export async function loadWindowBounds(file: string): Promise<WindowBounds> {
  try {
    return parseWindowBounds(await readTextIfExists(file));
  } catch {
    return defaultWindowBounds();
  }
}

export function serializeWindowBounds(bounds: WindowBounds): string {
  return `${JSON.stringify({ version: 1, ...bounds })}\n`;
}

/**
 * Makes saved bounds fit today's screens: size between the minimum and the largest work area, and
 * the position kept only if enough of the window would land on some screen.
 */
export function fitToDisplays(bounds: WindowBounds, workAreas: readonly Rect[]): WindowBounds {
  const largest = workAreas.reduce(
    (acc, area) => ({ width: Math.max(acc.width, area.width), height: Math.max(acc.height, area.height) }),
    { width: 0, height: 0 },
  );
  const maxWidth = largest.width > 0 ? Math.max(largest.width, MIN_WINDOW_SIZE.width) : MAX_DIMENSION;
  const maxHeight = largest.height > 0 ? Math.max(largest.height, MIN_WINDOW_SIZE.height) : MAX_DIMENSION;
  const width = clamp(bounds.width, MIN_WINDOW_SIZE.width, maxWidth);
  const height = clamp(bounds.height, MIN_WINDOW_SIZE.height, maxHeight);
  const fitted: WindowBounds = { width, height, maximized: bounds.maximized };
  if (bounds.x === undefined || bounds.y === undefined) return fitted;
  const candidate = { x: bounds.x, y: bounds.y, width, height };
  if (workAreas.some((area) => overlaps(candidate, area))) {
    fitted.x = bounds.x;
    fitted.y = bounds.y;
  }
  return fitted;
}

function overlaps(window: Rect, area: Rect): boolean {
  const overlapWidth = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  const overlapHeight = Math.min(window.y + window.height, area.y + area.height) - Math.max(window.y, area.y);
  return overlapWidth >= MIN_VISIBLE.width && overlapHeight >= MIN_VISIBLE.height;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
