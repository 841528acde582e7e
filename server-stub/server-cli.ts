// `npm run stub`: runs the reference backend until SIGINT/SIGTERM.
import { HELP_TEXT, parseCliOptions } from './cli-options';
import { reportLoopDelayOnSignal } from './loop-delay-report';
import { DEMO_PASSWORD, DEMO_USERS } from './org/demo-org';
import { RemoteDemoRefusedError } from './org/demo-password-guard';
import { formatReadyLine } from './ready-line';
import { createStubServer } from './server';

function printDemoUsers(): void {
  console.log(`\nDemo users (password "${DEMO_PASSWORD}" until changed):`);
  console.table(
    DEMO_USERS.map((user) => ({
      username: user.id,
      name: user.name,
      department: user.department ?? '',
      roles: user.roles.join(', '),
      supervisor: user.supervisorId ?? '',
    })),
  );
}

async function main(): Promise<number> {
  let command: ReturnType<typeof parseCliOptions>;
  try {
    command = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`signoff-stub: ${(error as Error).message}\n\n${HELP_TEXT}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(HELP_TEXT);
    return 0;
  }

  // Signal handlers go in before anything else: whoever waits for the ready line may signal at once,
  // and a SIGTERM that arrived before the handlers existed would kill us without closing the store.
  let stopRequested: ((signal: string) => void) | null = null;
  const pendingSignal = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  process.once('SIGINT', () => stopRequested?.('SIGINT'));
  process.once('SIGTERM', () => stopRequested?.('SIGTERM'));

  // Sampling starts before the store opens, not at the ready line: the histogram records a turn only
  // when the one before it was recorded too, so a benchmark that signals as soon as it reads the ready
  // line would otherwise get an empty window.
  const stopLoopDelay = command.reportLoopDelay
    ? reportLoopDelayOnSignal((line) => console.error(line))
    : null;
  let server: Awaited<ReturnType<typeof createStubServer>>;
  try {
    server = await createStubServer(command.server);
  } catch (error) {
    stopLoopDelay?.();
    if (error instanceof RemoteDemoRefusedError) {
      console.error(`signoff-stub: ${error.message}`);
      return 3;
    }
    console.error(`signoff-stub: could not start: ${(error as Error).message}`);
    return 1;
  }
  // Tests, benchmarks and the preview harness wait for this line (server-stub/launcher.ts).
  console.log(formatReadyLine(server.url));
  if (server.devIdp) console.log(`signoff-stub: development identity provider at ${server.devIdp.issuer}`);
  if (!command.quiet) {
    printDemoUsers();
    const loadUsers = command.server.loadUsers ?? 0;
    if (loadUsers > 0) {
      console.log(`Plus ${loadUsers} load-test users load00001… (department Load, same password).`);
    }
  }

  const signal = await pendingSignal;
  stopLoopDelay?.();
  if (!command.quiet) console.log(`signoff-stub: ${signal}, shutting down`);
  try {
    await server.close();
    return 0;
  } catch (error) {
    console.error('signoff-stub: error while shutting down', error);
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('signoff-stub: fatal', error);
    process.exitCode = 1;
  },
);
