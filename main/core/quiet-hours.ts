// Quiet hours are a daily window in the user's local time ("22:00"–"08:00" wraps midnight).

export interface QuietHours {
  enabled: boolean;
  start: string;
  end: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function localMinutes(epochMs: number): number {
  const date = new Date(epochMs);
  return date.getHours() * 60 + date.getMinutes();
}

export function isInQuietHours(quiet: QuietHours, epochMs: number): boolean {
  if (!quiet.enabled) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false; // an empty window, not "all day"
  const now = localMinutes(epochMs);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The first instant at or after `epochMs` that is outside quiet hours (local time, DST-safe). */
export function quietHoursEnd(quiet: QuietHours, epochMs: number): number {
  if (!isInQuietHours(quiet, epochMs)) return epochMs;
  const end = minutesOf(quiet.end);
  const date = new Date(epochMs);
  const candidate = new Date(
    date.getFullYear(),
    date.getMonth(),
    date.getDate(),
    Math.floor(end / 60),
    end % 60,
  );
  if (candidate.getTime() <= epochMs) candidate.setDate(candidate.getDate() + 1);
  return candidate.getTime();
}

/** Whether notifications are paused at `epochMs`. */
export function isPaused(pausedUntil: number | 'indefinite' | null, epochMs: number): boolean {
  if (pausedUntil === null) return false;
  return pausedUntil === 'indefinite' || epochMs < pausedUntil;
}
