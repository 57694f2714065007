/**
 * The files a run loads before its first line runs: the entry and, through the emitted JavaScript (so imports
 * TypeScript elides — type-only ones, or names used only as types — do not count), every project file named
 * by a static import, an export…from or a require(). The check before a run reports the diagnostics of these
 * files only; a file reached later (a dynamic import()) is checked when it is loaded.
 */
import type ts from 'typescript';
import { resolveTsStyle } from './ts-resolve.js';

/** `resolve(specifier, importer)` gives the project file a non-relative specifier names, or undefined. */
export function loadClosure(
  tsm: typeof ts,
  entry: string,
  emitted: ReadonlyMap<string, string>,
  resolve: (specifier: string, importer: string) => string | undefined = () => undefined,
): Set<string> {
  const out = new Set<string>();
  const work = [entry];
  while (work.length > 0) {
    const file = work.pop()!;
    if (out.has(file)) continue;
    const code = emitted.get(file);
    if (code === undefined) continue;
    out.add(file);
    for (const ref of tsm.preProcessFile(code, true, true).importedFiles) {
      if (isDynamicImport(code, ref.pos)) continue;
      const target = resolveTsStyle(ref.fileName, file) ?? resolve(ref.fileName, file);
      if (target !== undefined && emitted.has(target) && !out.has(target)) work.push(target);
    }
  }
  return out;
}

/** Is the string literal at `pos` the argument of `import(...)`? */
function isDynamicImport(code: string, pos: number): boolean {
  // preProcessFile's position is the literal's opening quote: step back over blanks and the parenthesis.
  let i = pos - 1;
  while (i >= 0 && /\s/.test(code[i]!)) i--;
  if (code[i] !== '(') return false;
  i--;
  while (i >= 0 && /\s/.test(code[i]!)) i--;
  return code.slice(Math.max(0, i - 5), i + 1) === 'import';
}
