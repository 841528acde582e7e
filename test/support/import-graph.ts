// Reads the import edges of the project's TypeScript sources, for the layering rules in
// test/layering.test.ts. Parses with the TypeScript compiler (no regexes), so comments, strings and
// multi-line imports cannot fool it, and tells `import type` apart from imports that reach the bundle.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface ImportEdge {
  /** The importing file, project-relative with forward slashes. */
  from: string;
  /** As written in the source. */
  specifier: string;
  /** Project-relative file it resolves to, or null for a package (`zod`, `node:fs`, `electron`…). */
  target: string | null;
  /** The package name for a bare specifier (`preact/hooks` → `preact`), else null. */
  pkg: string | null;
  /** `import type` / `export type … from` / `import('x').T` in a type: erased, never bundled. */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx)$/;

export function sourceFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(toProjectPath(full));
    }
  };
  for (const dir of dirs) walk(path.join(PROJECT_ROOT, dir));
  return out.sort();
}

function toProjectPath(absolute: string): string {
  return path.relative(PROJECT_ROOT, absolute).split(path.sep).join('/');
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(PROJECT_ROOT, path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return toProjectPath(candidate);
  }
  // Unresolvable: keep the would-be path so a rule about its folder still applies.
  return toProjectPath(base);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every import edge of one source text (given as text so tests can feed deliberately wrong code). */
export function importsOf(from: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const relative = specifier.startsWith('.');
    edges.push({
      from,
      specifier,
      target: relative ? resolveRelative(from, specifier) : null,
      pkg: relative ? null : packageOf(specifier),
      typeOnly,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const literal = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : null;
      if (literal && ts.isStringLiteral(literal)) add(literal.text, true);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The import edges of files on disk. */
export function importGraph(files: readonly string[]): Map<string, ImportEdge[]> {
  return new Map(
    files.map((file) => [file, importsOf(file, readFileSync(path.join(PROJECT_ROOT, file), 'utf8'))]),
  );
}

/** Files that load zod at run time, directly or through value imports (type imports are erased). */
export function filesPullingZod(graph: Map<string, ImportEdge[]>): Set<string> {
  const pulling = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [file, edges] of graph) {
      if (pulling.has(file)) continue;
      const loadsZod = edges.some(
        (e) => !e.typeOnly && (e.pkg === 'zod' || (e.target !== null && pulling.has(e.target))),
      );
      if (loadsZod) {
        pulling.add(file);
        changed = true;
      }
    }
  }
  return pulling;
}
