// Types for scripts/renderer-build.mjs (plain JS so scripts/build.mjs runs under bare Node).
import type { BuildOptions } from 'esbuild';

export function rendererBuildOptions(mode: { production: boolean }): BuildOptions;
