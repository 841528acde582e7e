// How every benchmark's entry point ends: within its time limit, with exit code 1 when a target was
// missed or it failed.

/** Runs `run` (true: every target met), aborting the process after `timeoutSeconds`. */
export async function runWithDeadline(
  name: string,
  timeoutSeconds: number,
  run: () => Promise<boolean>,
): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`\n${name}: aborted after ${timeoutSeconds} s`);
    process.exit(1);
  }, timeoutSeconds * 1000);
  deadline.unref();
  const ok = await run();
  clearTimeout(deadline);
  process.exitCode = ok ? 0 : 1;
}

/** Starts a benchmark's `main`, reporting a crash as a failure. */
export function startBench(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`${name} failed:`, error);
    process.exitCode = 1;
  });
}
