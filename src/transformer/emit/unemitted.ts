/**
 * The rewrite of the files an emit wrote no JavaScript for. TypeScript runs no `before` transformer under
 * noEmit, emitDeclarationOnly, or noEmitOnError with errors, so without this the rewrite's diagnostics (GL1001,
 * GL2001, ...) would be missing exactly where users ask only for a check. `greenlets build`/`check` and the
 * ts-patch plugin share it, so the diagnostics are the same whichever of them runs.
 */
import ts from 'typescript';
import { ownSourceFiles } from '../analysis/analyze.js';

/**
 * Run `rewrite` in memory (the result is dropped) over the program's own files — or only `target`, when an
 * emit was asked for one file — that `done` says were not rewritten yet. The rewrite reports its diagnostics
 * through its own onDiagnostics hook, as it does in an emit.
 */
export function rewriteUnemitted(
  program: ts.Program,
  rewrite: ts.TransformerFactory<ts.SourceFile>,
  done: (sf: ts.SourceFile) => boolean,
  target?: ts.SourceFile,
): void {
  const own = ownSourceFiles(program);
  const files = (target === undefined ? own : own.filter((sf) => sf === target)).filter((sf) => !done(sf));
  if (files.length > 0) ts.transform(files, [rewrite], program.getCompilerOptions()).dispose();
}
