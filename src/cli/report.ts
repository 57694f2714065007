/** Printing diagnostics as tsc does (`file:line:col - error GL1001: message`), with a count at the end. */
import type { GreenletsDiagnostic } from '../transformer/api.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';

export interface Counts {
  errors: number;
  warnings: number;
}

/** Write each diagnostic on its own line (in file, line, column order) and return how many errors and warnings. */
export function printDiagnostics(ds: readonly GreenletsDiagnostic[], write: (s: string) => void, cwd = process.cwd()): Counts {
  const seen = new Set<string>();
  const sorted = [...ds].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const counts: Counts = { errors: 0, warnings: 0 };
  for (const d of sorted) {
    const line = formatDiagnostic(d, cwd);
    if (seen.has(line)) continue;
    seen.add(line);
    write(line + '\n');
    if (d.category === 'error') counts.errors++;
    else if (d.category === 'warning') counts.warnings++;
  }
  return counts;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
