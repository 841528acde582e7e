// The machine-readable contract files, generated in memory: `npm run contract` writes them, and a test
// regenerates them to check that the committed copies are current.
import { buildOpenApi } from './openapi';
import { buildStreamFrames } from './stream-frames';

/** Repository-relative path → file content. */
export function generateContract(): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'docs/openapi.json': json(buildOpenApi()),
    'docs/stream-frames.schema.json': json(buildStreamFrames()),
  };
}
