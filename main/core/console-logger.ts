// The core's logger when the composition root gives none (scripts, benchmarks).
import type { Logger } from './ports';

export const consoleLogger: Logger = {
  info: (message, fields) => console.info(`[core] ${message}`, fields ?? ''),
  warn: (message, fields) => console.warn(`[core] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[core] ${message}`, fields ?? ''),
};
