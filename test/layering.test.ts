// The layering, enforced: who may import whom. Biome's noRestrictedImports matches the specifier as
// written ('../adapters/tray' vs '../../main/adapters/tray'), cannot say "only these", and cannot tell
// `import type` from a bundled import, so the rules are checked here on resolved paths instead.
//
//   protocol/     → nothing of ours outside protocol/ (packages such as zod are fine)
//   main/common/  → only zod, protocol/ and main/common/ (no Node, Electron or DOM: everyone imports it)
//   main/core/    → not electron, main/adapters/, main/ipc/ or main/main.ts
//   main/         ↔ server-stub/: neither imports the other
//   renderer/     → preact, protocol/, main/common/, main/ipc/channels, main/ipc/contract (type-only), and
//                   its own files; and no run-time import may load zod (the bundle must stay zod-free)
import { describe, expect, it } from 'vitest';
import {
  filesPullingZod,
  type ImportEdge,
  importGraph,
  importsOf,
  sourceFiles,
} from './support/import-graph';

const graph = importGraph(sourceFiles('protocol', 'main', 'server-stub', 'renderer'));
const zodLoaders = filesPullingZod(graph);

const under = (file: string | null, folder: string) => file?.startsWith(folder) === true;

/** Why this edge breaks the layering, or null when it is allowed. */
function violation(edge: ImportEdge): string | null {
  const { from, target, pkg, typeOnly } = edge;
  if (under(from, 'protocol/')) {
    if (target !== null && !under(target, 'protocol/')) return 'protocol/ imports nothing of ours outside it';
  }
  if (under(from, 'main/common/')) {
    if (pkg !== null && pkg !== 'zod') return 'main/common/ may import only the zod package';
    if (target !== null && !under(target, 'main/common/') && !under(target, 'protocol/')) {
      return 'main/common/ may import only main/common/ and protocol/';
    }
  }
  if (under(from, 'main/core/')) {
    if (pkg === 'electron') return 'main/core/ must not import Electron';
    if (under(target, 'main/adapters/') || under(target, 'main/ipc/') || target === 'main/main.ts') {
      return 'main/core/ must not import the adapters, the IPC layer or the composition root';
    }
  }
  if (under(from, 'main/') && under(target, 'server-stub/')) return 'main/ must not import server-stub/';
  if (under(from, 'server-stub/') && under(target, 'main/')) return 'server-stub/ must not import main/';
  if (under(from, 'renderer/')) {
    if (pkg !== null && pkg !== 'preact') return 'renderer/ may import only the preact package';
    if (target !== null) {
      const allowed =
        under(target, 'renderer/') ||
        under(target, 'protocol/') ||
        under(target, 'main/common/') ||
        target === 'main/ipc/channels.ts' ||
        (target === 'main/ipc/contract.ts' && typeOnly);
      if (!allowed) {
        return target === 'main/ipc/contract.ts'
          ? 'renderer/ may import main/ipc/contract only with `import type`'
          : 'renderer/ may import only renderer/, protocol/, main/common/ and main/ipc/{channels,contract}';
      }
      // Reported where the renderer reaches out, not again along its own files that lead there.
      if (!typeOnly && !under(target, 'renderer/') && zodLoaders.has(target)) {
        return 'renderer/ must not load zod at run time: import this module with `import type`';
      }
    }
  }
  return null;
}

function violationsIn(edges: Iterable<ImportEdge>): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    const why = violation(edge);
    if (why) found.push(`${edge.from} → '${edge.specifier}': ${why}`);
  }
  return found;
}

describe('layering', () => {
  it('holds across protocol/, main/, server-stub/ and renderer/', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(violationsIn([...graph.values()].flat())).toEqual([]);
  });

  it('knows which shared modules load zod, so the renderer check has teeth', () => {
    expect(zodLoaders.has('main/common/settings-schema.ts')).toBe(true);
    expect(zodLoaders.has('main/ipc/contract.ts')).toBe(true);
    expect(zodLoaders.has('main/common/shared-strings.ts')).toBe(false);
    expect(zodLoaders.has('main/common/pause-presets.ts')).toBe(false);
  });

  it.each([
    ['main/core/x.ts', "import { app } from 'electron';"],
    ['main/core/x.ts', "import type { TrayController } from '../adapters/tray';"],
    ['main/core/x.ts', "import { invokeContract } from '../ipc/contract';"],
    ['main/core/x.ts', "export { something } from '../main';"],
    ['main/core/x.ts', "const db = await import('../../server-stub/db/database');"],
    ['main/common/x.ts', "import { promises } from 'node:fs';"],
    ['main/common/x.ts', "import type { Settings } from '../core/ports';"],
    ['main/common/x.ts', "import type { BrowserWindow } from 'electron';"],
    ['renderer/x.ts', "import { z } from 'zod';"],
    ['renderer/x.ts', "import { SettingsSchema } from '../main/common/settings-schema';"],
    ['renderer/x.ts', "import { invokeContract } from '../main/ipc/contract';"],
    ['renderer/x.ts', "import { type SignoffBridge } from '../main/ipc/contract';"],
    ['renderer/views/x.tsx', "import { SIGN_IN_FAILURES } from '../../main/core/sign-in-failures';"],
    ['renderer/views/x.tsx', "import type { Settings } from '../../main/core/ports';"],
    ['server-stub/x.ts', "import type { Settings } from '../main/common/settings-schema';"],
    ['protocol/x.ts', "import type { Locale } from '../main/common/locale';"],
  ])('refuses %s: %s', (file, code) => {
    expect(violationsIn(importsOf(file, code))).toHaveLength(1);
  });

  it.each([
    ['renderer/x.ts', "import type { SignoffBridge } from '../main/ipc/contract';"],
    ['renderer/x.ts', "export type { Settings } from '../main/common/settings-schema';"],
    ['renderer/x.ts', "import { PAUSE_PRESETS } from '../main/common/pause-presets';"],
    ['renderer/x.ts', "import { bridgeMethods } from '../main/ipc/channels';"],
    ['renderer/x.ts', "import { useState } from 'preact/hooks';"],
    ['main/common/x.ts', "import { z } from 'zod';\nimport { Me } from '../../protocol/users';"],
    ['main/core/x.ts', "import { LOCALES } from '../common/locale';\nimport fs from 'node:fs';"],
  ])('allows %s: %s', (file, code) => {
    expect(violationsIn(importsOf(file, code))).toEqual([]);
  });
});
