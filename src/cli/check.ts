/** `greenlets check [-p tsconfig] [--explain]`: type errors and the transform's diagnostics, nothing written. */
import path from 'node:path';
import type ts from 'typescript';
import type { TransformOptions } from '../transformer/api.js';
import type { ProjectTransformer } from '../transformer/index.js';
import type { FunctionLike } from '../transformer/index.js';
import { parseArgs, UsageError } from './args.js';
import { checkHelp } from './help.js';
import { loadProject } from './project.js';
import { plural, printDiagnostics } from './report.js';
import { diagnosticsFlag, patchFlag, projectFlag } from './shared-flags.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const args = parseArgs('check', argv, {
    project: { value: true, alias: 'p' },
    explain: {},
    patch: { optionalValue: true },
    diagnostics: { value: true },
    help: { alias: 'h' },
  });
  if (args.flags.has('help')) {
    process.stdout.write(checkHelp);
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new UsageError(`greenlets check: unexpected argument ${args.positionals[0]}; the files to check come from the tsconfig (-p)`);
  }
  const tsconfig = projectFlag(args.flags, 'check');
  const options: TransformOptions = {
    patch: patchFlag(args.flags, 'check') ?? false,
    diagnostics: diagnosticsFlag(args.flags, 'check') ?? 'warning',
  };
  const loaded = await loadProject(tsconfig, options);
  if (!('project' in loaded)) {
    printDiagnostics(loaded.configDiagnostics, (s) => process.stdout.write(s));
    return 1;
  }
  const { project } = loaded;
  // Emit into nothing: the rewrite runs on every file (also under noEmit), and the emitter's own diagnostics
  // (GL2xxx) come from it.
  project.emit(() => {});
  if (args.flags.has('explain')) explain(project, loaded.tx.ts);
  const counts = printDiagnostics([...loaded.configDiagnostics, ...project.diagnostics()], (s) => process.stdout.write(s));
  if (counts.errors > 0) process.stdout.write(`\nFound ${plural(counts.errors, 'error')}.\n`);
  return counts.errors > 0 ? 1 : 0;
}

function own(program: ts.Program): ts.SourceFile[] {
  return program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'));
}

function rel(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r.startsWith('..') ? file : r;
}

/** Every green function, where it is, and the chain of reasons down to a blocking primitive. */
function explain(project: ProjectTransformer, tsm: typeof ts): void {
  const { analysis, program } = project;
  const lines: string[] = [];
  let count = 0;
  for (const sf of own(program)) {
    const fa = analysis.file(sf);
    const fns = [...fa.green].sort((a, b) => a.getStart(sf) - b.getStart(sf));
    for (const fn of fns) {
      count++;
      const { line, character } = sf.getLineAndCharacterOfPosition(fn.getStart(sf));
      lines.push(`${rel(sf.fileName)}:${line + 1}:${character + 1} - ${describe(tsm, fn, sf)} is green:`);
      for (const reason of analysis.explain(fn as FunctionLike)) lines.push(`    ${reason}`);
    }
    if (fa.topLevelBlocks) lines.push(`${rel(sf.fileName)} - its top-level code blocks (it runs in the main greenlet)`);
  }
  const pct = (analysis.greenFraction() * 100).toFixed(1);
  lines.push(`${plural(count, 'green function')}; ${pct}% of the program's functions are green.`);
  process.stdout.write(lines.join('\n') + '\n\n');
}

function describe(tsm: typeof ts, fn: ts.Node, sf: ts.SourceFile): string {
  const named = fn as { name?: ts.Node };
  if (named.name !== undefined) return named.name.getText(sf);
  let p: ts.Node | undefined = fn.parent;
  while (p !== undefined && (tsm.isParenthesizedExpression(p) || tsm.isAsExpression(p) || tsm.isSatisfiesExpression(p))) p = p.parent;
  const holder = p as { name?: ts.Node } | undefined;
  if (holder?.name !== undefined) return holder.name.getText(sf);
  return 'a function';
}
