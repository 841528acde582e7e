// Hands a receipt the core saved (a private temporary file, checked by content) to the OS's default
// viewer. The path comes from the core, never from the page; openPath runs no URL and no command line.
import type { Shell } from 'electron';

export async function openInSystemViewer(shell: Pick<Shell, 'openPath'>, file: string): Promise<void> {
  // Electron resolves with an error message ('' on success) rather than rejecting.
  const problem = await shell.openPath(file);
  if (problem) throw new Error(`could not open the receipt in the system viewer: ${problem}`);
}
