// The renderer bundle must stay small: it gets only the zod-free parts of the contract (types, enums,
// money formatting). Validation happens in main, where every IPC payload is parsed anyway.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bundle = path.resolve(import.meta.dirname, '../../dist/renderer/app.js');

describe('renderer bundle', () => {
  it('does not pull in zod and stays under 200 KB', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/ZodError|\$ZodType/);
    const size = statSync(bundle).size;
    console.log(`dist/renderer/app.js: ${(size / 1024).toFixed(1)} KiB`);
    expect(size).toBeLessThan(200 * 1024);
  });
});
