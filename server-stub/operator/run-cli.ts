// Argument handling for the operator CLI: global flags, command dispatch, help, output and exit codes.
// Kept apart from the entry file so tests and other tools can run it with their own argv/env/streams.
import { parseArgs } from 'node:util';
import { bulkApproveCommand } from './bulk-approve-command';
import { CHAIN_COMMANDS } from './chain-commands';
import { ClientPool } from './client-pool';
import type { CommandContext, CommandSpec, OptionSpecs, OptionValues, Output } from './command';
import { EVERYDAY_COMMANDS } from './commands';
import { DELEGATION_COMMANDS } from './delegation-commands';
import { demoPolicyCommand } from './demo-policy-command';
import { describeError, ExitCode, UsageError } from './describe-error';
import { simulateCommand } from './simulate';

export const COMMANDS: readonly CommandSpec[] = [
  ...EVERYDAY_COMMANDS,
  bulkApproveCommand,
  demoPolicyCommand,
  ...DELEGATION_COMMANDS,
  ...CHAIN_COMMANDS,
  simulateCommand,
];

export const DEFAULT_SERVER = 'http://127.0.0.1:8787';

const GLOBAL_OPTIONS: OptionSpecs = {
  server: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const GLOBAL_HELP = `Global options:
  --server <url>      Signoff server (env SIGNOFF_SERVER; default ${DEFAULT_SERVER})
  --user <username>   act as this user (e.g. alice, bob, carol, grace, admin)
  --password <pw>     their password (env SIGNOFF_PASSWORD; default "demo")
  --json              print machine-readable JSON on stdout
  --help              this text, or a command's own help`;

export function toolHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Signoff operator CLI: drive a Signoff server over its HTTP API.',
    '',
    'Usage: npm run cli -- <command> [options]      (node dist/server-stub/operator-cli.js)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    'Examples:',
    '  npm run cli -- submit --user alice --title "Taxi" --category transport --item "Taxi to airport=86.50"',
    '  npm run cli -- approve EXP-000001 --user bob --comment "OK"',
    '  npm run cli -- submit --user alice --title "Hotel" --category lodging --item "Hotel=640.50" --receipt slip.jpg',
    '  npm run cli -- receipt EXP-000001 RCT-000001 --user bob --out slip.jpg',
    '  npm run cli -- decided --user bob',
    '  npm run cli -- transfer EXP-000001 --user bob --to erin --comment "Erin ran this trip"',
    '  npm run cli -- add-approver EXP-000001 --user bob --approver erin --before',
    '  npm run cli -- return EXP-000001 --user carol --reason "Split the hotel bill"',
    '  npm run cli -- resubmit EXP-000001 --user alice --item "Hotel night 1=300" --item "Hotel night 2=300"',
    '  npm run cli -- resubmit EXP-000001 --user alice --remove-receipt RCT-000001 --receipt invoice.pdf',
    '  npm run cli -- mine --user alice --limit 20',
    '  npm run cli -- events --user bob --follow',
    '  npm run cli -- delegate --user grace --to dave --until +7d',
    '  npm run cli -- delegation end --user grace',
    '  npm run cli -- simulate --count 50 --rate 10 --seed 7',
    '',
    'Exit codes: 0 ok, 1 refused or failed, 2 bad usage, 3 server unreachable.',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  return [
    `${command.name}: ${command.summary}`,
    '',
    `Usage: npm run cli -- ${command.name} ${command.usage}`.trimEnd(),
    ...(command.details ?? []).map((line) => `  ${line}`),
    '',
    GLOBAL_HELP,
  ].join('\n');
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function runOperatorCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo,
): Promise<number> {
  let context: CommandContext | null = null;
  try {
    const { command, values, positionals } = parseCommandLine(argv);
    if (!command) {
      io.stdout(toolHelp());
      return values.help ? ExitCode.ok : ExitCode.usage;
    }
    if (values.help) {
      io.stdout(commandHelp(command));
      return ExitCode.ok;
    }
    const most = command.positionals.length + (command.optionalPositionals?.length ?? 0);
    if (positionals.length < command.positionals.length || positionals.length > most) {
      const expected = command.positionals.map((name) => `<${name}>`).join(' ') || 'no arguments';
      throw new UsageError(`${command.name} takes ${expected}; see: ${command.name} --help`);
    }
    const server = (stringValue(values.server) ?? env.SIGNOFF_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/.test(server)) throw new UsageError(`--server "${server}" is not an http(s) URL`);
    const json = values.json === true;
    context = {
      server,
      user: stringValue(values.user)?.trim().toLowerCase(),
      json,
      pool: new ClientPool({
        server,
        password: stringValue(values.password) ?? env.SIGNOFF_PASSWORD ?? 'demo',
      }),
      out: makeOutput(json, io),
    };
    await command.run(context, values, positionals);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    const described = describeError(error, { server: context?.server ?? '', user: context?.user });
    if (context?.json) {
      io.stdout(JSON.stringify({ error: { code: described.code, message: described.message } }));
    }
    io.stderr(`signoff-cli: ${described.message}`);
    return described.exitCode;
  } finally {
    await context?.pool.signOutAll().catch(() => {});
  }
}

interface ParsedCommandLine {
  command: CommandSpec | null;
  values: OptionValues;
  positionals: string[];
}

/**
 * Global flags may stand before or after the command name, so the command is found first with a
 * lenient pass that knows only the global flags, then everything is parsed strictly with its options.
 */
function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const first = parseArgs({
    args: [...argv],
    options: GLOBAL_OPTIONS,
    strict: false,
    allowPositionals: true,
  });
  const name = first.positionals[0];
  if (name === undefined) return { command: null, values: first.values, positionals: [] };
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; run --help for the list`);
  const options = { ...GLOBAL_OPTIONS, ...command.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see: ${command.name} --help`);
  }
  return { command, values: parsed.values as OptionValues, positionals: parsed.positionals.slice(1) };
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function makeOutput(json: boolean, io: CliIo): Output {
  return {
    result(value, human) {
      if (json) io.stdout(JSON.stringify(value));
      else io.stdout(typeof human === 'string' ? human : human.join('\n'));
    },
    note(message) {
      io.stderr(message);
    },
  };
}
