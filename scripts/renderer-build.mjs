// The renderer bundle's esbuild options, in one place: scripts/build.mjs writes it to dist/, and the
// bundle-size test builds the release form in memory to measure what users download.
/** @param {{ production: boolean }} mode */
export function rendererBuildOptions({ production }) {
  return {
    bundle: true,
    platform: 'browser',
    target: 'chrome130',
    format: 'esm',
    entryPoints: ['renderer/main.tsx'],
    outfile: 'dist/renderer/app.js',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Release bundles are minified like main's; the dev build keeps names and a source map for debugging.
    minify: production,
    sourcemap: production ? false : 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}
