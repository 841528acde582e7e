// The main process's Logger: one line per event on stdout/stderr, which Electron forwards to the
// terminal in development and which packaged apps can redirect. Fields are JSON so lines stay greppable.
import type { Logger } from '../core/ports';

export function createConsoleLogger(scope: string): Logger {
  const line = (message: string, fields?: Record<string, unknown>) =>
    `${new Date().toISOString()} [${scope}] ${message}${fields ? ` ${safeJson(fields)}` : ''}`;
  return {
    info: (message, fields) => console.log(line(message, fields)),
    warn: (message, fields) => console.warn(line(message, fields)),
    error: (message, fields) => console.error(line(message, fields)),
  };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) => (value instanceof Error ? value.message : value));
  } catch {
    return '[unserializable fields]';
  }
}
