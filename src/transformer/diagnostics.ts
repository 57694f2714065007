/**
 * Diagnostics with stable codes, formatted as tsc formats its own (`file:line:col - error GL1001: message`).
 * Codes: GL1xxx analysis (who is green, callbacks, constructs that cannot be green), GL2xxx rewrite (constructs
 * the emitter refuses), GL3xxx patching and blocking-call detection, GL9xxx input errors (syntax, type errors).
 */
import ts from 'typescript';
import type { DiagnosticCategory, GreenletsDiagnostic } from './api.js';

export function diagnosticAt(
  node: ts.Node,
  code: string,
  category: DiagnosticCategory,
  message: string,
  sourceFile: ts.SourceFile = node.getSourceFile(),
): GreenletsDiagnostic {
  const pos = node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
  return { code, category, message, file: sourceFile.fileName, line: line + 1, column: character + 1 };
}

/** `file:line:col - error GL1001: message`, tsc's --pretty false layout. */
export function formatDiagnostic(d: GreenletsDiagnostic, cwd: string = process.cwd()): string {
  const file = d.file.startsWith(cwd + '/') ? d.file.slice(cwd.length + 1) : d.file;
  return `${file}:${d.line}:${d.column} - ${d.category} ${d.code}: ${d.message}`;
}

const rank: Record<DiagnosticCategory | 'none', number> = { info: 0, warning: 1, error: 2, none: 3 };

/** Keep the diagnostics at or above `level`. */
export function filterDiagnostics(
  diagnostics: GreenletsDiagnostic[],
  level: DiagnosticCategory | 'none' = 'warning',
): GreenletsDiagnostic[] {
  return diagnostics.filter((d) => rank[d.category] >= rank[level]);
}
