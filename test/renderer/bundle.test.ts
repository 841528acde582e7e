// The renderer bundle must stay small: it gets only the zod-free parts of the contract (types, enums,
// money formatting). Validation happens in main, where every IPC payload is parsed anyway. The budget
// is on the release build (minified, as `npm run dist` ships it), built here in memory with the same
// options as scripts/build.mjs.
import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { rendererBuildOptions } from '../../scripts/renderer-build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const BUDGET_KIB = 150;

describe('renderer bundle', () => {
  it(`does not pull in zod and its release build stays under ${BUDGET_KIB} KiB`, async () => {
    const result = await esbuild.build({
      ...rendererBuildOptions({ production: true }),
      absWorkingDir: root,
      write: false,
    });
    const js = result.outputFiles?.find((file) => file.path.endsWith('app.js'));
    if (!js) throw new Error('esbuild wrote no app.js');
    expect(js.text).not.toMatch(/ZodError|\$ZodType/);
    console.log(
      `release app.js: ${(js.contents.byteLength / 1024).toFixed(1)} KiB (budget ${BUDGET_KIB} KiB)`,
    );
    expect(js.contents.byteLength).toBeLessThan(BUDGET_KIB * 1024);
  });
});
