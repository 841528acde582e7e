// The line the stub CLI prints once it accepts connections. Tests, benchmarks and the preview harness
// wait for it to learn the URL (the port is often 0 = any free one), so its format lives here, next to
// the parser they use, and nowhere else.

const PREFIX = 'Signoff stub listening on ';
// The newline is required: output arrives in chunks, and a chunk may end in the middle of the port.
const READY_LINE = new RegExp(`^${PREFIX}(http://\\S+)\\r?\\n`, 'm');

export function formatReadyLine(url: string): string {
  return `${PREFIX}${url}`;
}

/** The URL and port of the first complete ready line in `output` (the child's stdout), or null. */
export function parseReadyLine(output: string): { url: string; port: number } | null {
  const url = READY_LINE.exec(output)?.[1];
  if (url === undefined || !URL.canParse(url)) return null;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? { url, port } : null;
}
