/** TypeScript's own diagnostics (syntax errors, type errors) as greenlets diagnostics (GL9xxx). */
import ts from 'typescript';
import type { GreenletsDiagnostic } from '../api.js';

/** `fallbackFile` names the file of diagnostics that have none (compiler options, for instance). */
export function tsDiagnostics(ds: readonly ts.Diagnostic[], code: string, fallbackFile = ''): GreenletsDiagnostic[] {
  return ds.map((d) => {
    let line = 1;
    let column = 1;
    if (d.file !== undefined && d.start !== undefined) {
      const lc = d.file.getLineAndCharacterOfPosition(d.start);
      line = lc.line + 1;
      column = lc.character + 1;
    }
    return {
      code,
      category: d.category === ts.DiagnosticCategory.Error ? 'error' : d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'info',
      message: `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (TS${d.code})`,
      file: d.file?.fileName ?? fallbackFile,
      line,
      column,
    };
  });
}
