// The shape shared by every operator command: its flags (node:util parseArgs config), help text
// and a run function that receives the global context.
import type { ParseArgsConfig } from 'node:util';
import type { ClientPool } from './client-pool';
import { UsageError } from './describe-error';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Output {
  /** Prints the command's result: JSON in --json mode, the human lines otherwise. */
  result(json: unknown, human: string | readonly string[]): void;
  /** Progress or notices for people; to stderr so --json stdout stays machine-readable. */
  note(message: string): void;
}

export interface CommandContext {
  server: string;
  /** The --user flag, if given. */
  user: string | undefined;
  json: boolean;
  pool: ClientPool;
  out: Output;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** The argument part of the usage line, e.g. `<id> [--comment <text>]`. */
  usage: string;
  /** Extra lines under the usage in `<command> --help`. */
  details?: string[];
  options: OptionSpecs;
  /** Names of the positional arguments, all required. */
  positionals: string[];
  /** Names of positional arguments that may follow the required ones. */
  optionalPositionals?: string[];
  /** Who the command runs as when --user is not given (otherwise --user is required). */
  defaultUser?: string;
  run(context: CommandContext, values: OptionValues, positionals: string[]): Promise<void>;
}

export function requireString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function optionalInt(values: OptionValues, name: string, min: number): number | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${value}"`);
  }
  return Number(value);
}

export function optionalNumber(values: OptionValues, name: string): number | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`--${name} must be a positive number, not "${value}"`);
  }
  return number;
}
