/**
 * Which module system Node runs a file under, decided as Node decides it: .mts/.mjs are ES modules, .cts/.cjs
 * CommonJS, and .ts/.tsx/.js/.jsx follow the nearest package.json's "type"; with no "type", a file written with
 * import/export is an ES module (Node's syntax detection, on by default since Node 20.19), anything else
 * CommonJS.
 */
import fs from 'node:fs';
import path from 'node:path';

export type ModuleFormat = 'module' | 'commonjs';

const typeCache = new Map<string, 'module' | 'commonjs' | undefined>();

/** The "type" of the nearest package.json above `dir` (undefined: none, or no "type" field). */
export function packageType(dir: string): 'module' | 'commonjs' | undefined {
  const seen: string[] = [];
  let found: 'module' | 'commonjs' | undefined;
  for (let d = dir; ; d = path.dirname(d)) {
    if (typeCache.has(d)) {
      found = typeCache.get(d);
      break;
    }
    seen.push(d);
    const file = path.join(d, 'package.json');
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const t = (JSON.parse(text) as { type?: unknown }).type;
        found = t === 'module' || t === 'commonjs' ? t : undefined;
      } catch {
        found = undefined;
      }
      break;
    }
    if (path.dirname(d) === d) break;
  }
  for (const d of seen) typeCache.set(d, found);
  return found;
}

/** By name alone, when the name decides. */
export function formatByName(fileName: string): ModuleFormat | undefined {
  if (/\.m[jt]s$/.test(fileName)) return 'module';
  if (/\.c[jt]s$/.test(fileName)) return 'commonjs';
  return packageType(path.dirname(fileName));
}

/**
 * Does this source use ES module syntax (import/export declarations, import.meta)? `import(` (allowed in
 * CommonJS), `import x = require()` and `export =` (TypeScript's CommonJS forms) do not count.
 */
export function hasModuleSyntax(ts: typeof import('typescript'), fileName: string, code: string): boolean {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.ESNext, false);
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) return true;
    if (ts.isExportAssignment(s)) {
      if (!s.isExportEquals) return true;
      continue;
    }
    if (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  }
  return /\bimport\s*\.\s*meta\b/.test(code) && ts.isExternalModule(sf);
}

/** The format Node will run the file under, given its source. */
export function moduleFormat(ts: typeof import('typescript'), fileName: string, code: string): ModuleFormat {
  return formatByName(fileName) ?? (hasModuleSyntax(ts, fileName, code) ? 'module' : 'commonjs');
}
