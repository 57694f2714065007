/**
 * The whole program of a tsconfig.json for `build` and `check`: tsc's own reading of the config, with
 * `greenlets` resolved to this copy's declarations (as every other path resolves it), handed to the
 * transformer's createProjectTransformer.
 */
import type ts from 'typescript';
import type { GreenletsDiagnostic, TransformOptions } from '../transformer/api.js';
import type { ProjectTransformer } from '../transformer/index.js';
import { packageTypePaths } from '../integrations/package-info.js';
import type { TransformerApi } from '../transformer/index.js';

export interface LoadedProject {
  tx: TransformerApi;
  project: ProjectTransformer;
  configDiagnostics: GreenletsDiagnostic[];
  parsed: ts.ParsedCommandLine;
}

export async function transformerModules(): Promise<{ tx: TransformerApi; index: typeof import('../transformer/index.js') }> {
  const index = await import('../transformer/index.js');
  return { tx: index, index };
}

/** The compiler options of the config with greenlets' `paths` added (the project's own mappings win). */
export function withPackagePaths(options: ts.CompilerOptions): ts.CompilerOptions {
  const paths: ts.MapLike<string[]> = { ...(options.paths ?? {}) };
  for (const [spec, target] of Object.entries(packageTypePaths())) if (!(spec in paths)) paths[spec] = target;
  return { ...options, paths };
}

export function readConfig(tx: TransformerApi, tsconfig: string): { parsed: ts.ParsedCommandLine | undefined; diagnostics: GreenletsDiagnostic[] } {
  const { ts } = tx;
  const errors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d),
  });
  if (parsed !== undefined) errors.push(...parsed.errors);
  return { parsed, diagnostics: tx.tsDiagnostics(errors, 'GL9010') };
}

export async function loadProject(
  tsconfig: string,
  options: TransformOptions,
  onPhase: (text: string) => void = () => {},
): Promise<LoadedProject | { configDiagnostics: GreenletsDiagnostic[] }> {
  const { tx, index } = await transformerModules();
  const { parsed, diagnostics } = readConfig(tx, tsconfig);
  if (parsed === undefined) return { configDiagnostics: diagnostics };
  onPhase(`reading ${parsed.fileNames.length} files`);
  const program = tx.ts.createProgram({
    rootNames: parsed.fileNames,
    options: withPackagePaths(parsed.options),
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: parsed.errors,
  });
  onPhase(`analysing ${program.getSourceFiles().filter((sf) => !sf.isDeclarationFile).length} files`);
  const project = index.createProjectTransformer({ tsconfig, program, options });
  return { tx, project, configDiagnostics: diagnostics, parsed };
}
