/** `greenlets build [-p tsconfig] [--watch]`: tsc with the greenlets transform, one whole-program analysis per build. */
import type ts from 'typescript';
import type { GreenletsDiagnostic, TransformOptions } from '../transformer/api.js';
import type { ProjectTransformer } from '../transformer/index.js';
import type { TransformerApi } from '../transformer/index.js';
import { parseArgs, UsageError } from './args.js';
import { buildHelp } from './help.js';
import { Progress } from './progress.js';
import { loadProject, readConfig, transformerModules, withPackagePaths } from './project.js';
import { plural, printDiagnostics } from './report.js';
import { diagnosticsFlag, patchFlag, projectFlag } from './shared-flags.js';

export async function buildCommand(argv: string[]): Promise<number | undefined> {
  const args = parseArgs('build', argv, {
    project: { value: true, alias: 'p' },
    patch: { optionalValue: true },
    diagnostics: { value: true },
    watch: { alias: 'w' },
    help: { alias: 'h' },
  });
  if (args.flags.has('help')) {
    process.stdout.write(buildHelp);
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new UsageError(
      `greenlets build: unexpected argument ${args.positionals[0]}; the files to build come from the tsconfig (-p)`,
    );
  }
  const tsconfig = projectFlag(args.flags, 'build');
  const options: TransformOptions = {
    patch: patchFlag(args.flags, 'build') ?? false,
    diagnostics: diagnosticsFlag(args.flags, 'build') ?? 'warning',
  };
  if (args.flags.has('watch')) {
    await watch(tsconfig, options);
    return undefined;
  }
  const progress = new Progress('greenlets build');
  const loaded = await loadProject(tsconfig, options, (t) => progress.phase(t));
  if (!('project' in loaded)) {
    printDiagnostics(loaded.configDiagnostics, (s) => process.stdout.write(s));
    return 1;
  }
  const ds = emitProject(loaded.tx, loaded.project, progress);
  const counts = printDiagnostics([...loaded.configDiagnostics, ...ds.diagnostics], (s) => process.stdout.write(s));
  progress.done(`${ds.written === 0 ? 'nothing written' : `wrote ${plural(ds.written, 'file')}`}, ${plural(counts.errors, 'error')}`);
  if (counts.errors > 0) process.stdout.write(`\nFound ${plural(counts.errors, 'error')}.\n`);
  return counts.errors > 0 ? 1 : 0;
}

/** Emit every file of the program with the transform, as tsc writes it; diagnostics of every kind. */
function emitProject(tx: TransformerApi, project: ProjectTransformer, progress?: Progress): { diagnostics: GreenletsDiagnostic[]; written: number } {
  const program = project.program;
  const host = tx.ts.createCompilerHost(program.getCompilerOptions());
  const total = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf)).length;
  progress?.phase(`emitting ${plural(total, 'file')}`);
  let written = 0;
  const outputs = new Set<ts.SourceFile>();
  const result = project.emit((name, text, bom, onError, sourceFiles, data) => {
    host.writeFile(name, text, bom, onError, sourceFiles, data);
    written++;
    for (const sf of sourceFiles ?? []) outputs.add(sf);
    progress?.tick(outputs.size, total, 'emitting');
  });
  return { diagnostics: result.diagnostics, written };
}

/** tsc --watch with the transform: every rebuild analyses the whole program again (greenness crosses files). */
async function watch(tsconfig: string, options: TransformOptions): Promise<void> {
  const { tx, index } = await transformerModules();
  const { ts } = tx;
  const { parsed, diagnostics } = readConfig(tx, tsconfig);
  printDiagnostics(diagnostics, (s) => process.stdout.write(s));
  const extend = parsed !== undefined ? { paths: withPackagePaths(parsed.options).paths } : {};
  const status = (d: ts.Diagnostic) =>
    process.stdout.write(`[${new Date().toLocaleTimeString()}] greenlets build --watch: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n`);
  const host = ts.createWatchCompilerHost(
    tsconfig,
    extend,
    ts.sys,
    ts.createSemanticDiagnosticsBuilderProgram,
    () => {
      // Reported with the transform's diagnostics after each build instead.
    },
    status,
  );
  host.afterProgramCreate = (builder) => {
    const program = builder.getProgram();
    const project = index.createProjectTransformer({ tsconfig, program, options });
    const r = emitProject(tx, project);
    const counts = printDiagnostics(r.diagnostics, (s) => process.stdout.write(s));
    process.stdout.write(
      `[${new Date().toLocaleTimeString()}] greenlets build --watch: wrote ${plural(r.written, 'file')}; found ${plural(counts.errors, 'error')}. Watching for file changes.\n`,
    );
  };
  ts.createWatchProgram(host);
}
