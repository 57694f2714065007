/**
 * Where this copy of greenlets lives and what it exports. Every integration resolves `greenlets` and
 * `greenlets/*` to this copy — for the type checker (so the `@blocking` tags of its .d.ts files are seen) and at
 * run time (so the program, the code the transform emitted and the tool all share one runtime and one hub) —
 * even where the program's folder has no node_modules/greenlets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'greenlets';

/** This package's root folder (from dist/integrations/ or src/integrations/). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

type ExportTarget = string | { types?: string; default?: string; import?: string; require?: string };

interface PackageJson {
  version: string;
  exports: Record<string, ExportTarget>;
}

let pkg: PackageJson | undefined;
function readPackage(): PackageJson {
  pkg ??= JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as PackageJson;
  return pkg;
}

export function packageVersion(): string {
  return readPackage().version;
}

/** `greenlets` / `greenlets/queue` → the export key `.` / `./queue`; anything else → undefined. */
function exportKey(specifier: string): string | undefined {
  if (specifier === PACKAGE_NAME) return '.';
  if (specifier.startsWith(PACKAGE_NAME + '/')) return '.' + specifier.slice(PACKAGE_NAME.length);
  return undefined;
}

export function isPackageSpecifier(specifier: string): boolean {
  return exportKey(specifier) !== undefined;
}

/** The JavaScript file a `greenlets…` specifier loads, or undefined if the package does not export it. */
export function resolvePackageFile(specifier: string): string | undefined {
  const key = exportKey(specifier);
  if (key === undefined) return undefined;
  const target = readPackage().exports[key];
  if (target === undefined) return undefined;
  const rel = typeof target === 'string' ? target : (target.import ?? target.default);
  return rel === undefined ? undefined : path.join(packageRoot, rel);
}

/** Compiler option `paths` entries pointing every exported subpath at this copy's declaration files. */
export function packageTypePaths(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, target] of Object.entries(readPackage().exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    const spec = key === '.' ? PACKAGE_NAME : PACKAGE_NAME + key.slice(1);
    out[spec] = [path.join(packageRoot, target.types)];
  }
  return out;
}

/** The folder holding @types/node as seen from `dir`, or from this package, or undefined. */
export function nodeTypesRoot(dir: string): { root: string; fromPackage: boolean } | undefined {
  for (const [start, fromPackage] of [
    [dir, false],
    [packageRoot, true],
  ] as const) {
    for (let d = path.resolve(start); ; d = path.dirname(d)) {
      const candidate = path.join(d, 'node_modules', '@types');
      if (fs.existsSync(path.join(candidate, 'node', 'package.json'))) return { root: candidate, fromPackage };
      if (path.dirname(d) === d) break;
    }
  }
  return undefined;
}
