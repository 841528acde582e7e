// Where the stub's operational messages go (a slow consumer cut off with 4008, an unresponsive client
// terminated, a failed replay): the messages an operator needs to explain a client's reconnects.
// With --log they join fastify's structured request log; otherwise they are printed to stderr, unless
// --quiet asked for nothing but the ready line and fatal errors.
import type { FastifyBaseLogger } from 'fastify';

export type OperationalLog = (message: string, fields?: Record<string, unknown>) => void;

export interface OperationalLogOptions {
  /** fastify's request logging is on: use its logger, so all output is one JSON-lines stream. */
  log: boolean;
  quiet: boolean;
  /** fastify's logger (a no-op unless `log`). */
  logger: FastifyBaseLogger;
  /** Where plain-text lines go; stderr by default. */
  print?: (line: string) => void;
}

/** The sink for operational messages, or undefined when they are to be dropped. */
export function operationalLog(options: OperationalLogOptions): OperationalLog | undefined {
  if (options.log) {
    const { logger } = options;
    return (message, fields) => logger.warn(fields ?? {}, message);
  }
  if (options.quiet) return undefined;
  const print = options.print ?? ((line: string) => console.error(line));
  return (message, fields) =>
    print(`signoff-stub: ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
}
