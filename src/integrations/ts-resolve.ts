/**
 * TypeScript's way of naming files in imports, for the places that do not know it (Node's resolver, Rollup):
 * `./util.js` may name util.ts (the NodeNext convention), `./util` may name util.ts or util/index.ts (the
 * bundler convention). Only relative and absolute specifiers; packages resolve as usual.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SWAPS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const PROBE = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/') || specifier.startsWith('file:');
}

/** The file `specifier` names from `importer` under TypeScript's conventions, or undefined. */
export function resolveTsStyle(specifier: string, importer: string): string | undefined {
  if (!isPathSpecifier(specifier)) return undefined;
  const clean = specifier.replace(/[?#].*$/, '');
  const target = clean.startsWith('file:') ? fileURLToPath(clean) : path.resolve(path.dirname(importer), clean);
  if (isFile(target)) return target;
  const ext = path.extname(target);
  for (const swap of SWAPS[ext] ?? []) {
    const candidate = target.slice(0, -ext.length) + swap;
    if (isFile(candidate)) return candidate;
  }
  for (const e of PROBE) if (isFile(target + e)) return target + e;
  for (const e of PROBE) {
    const candidate = path.join(target, 'index' + e);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}
