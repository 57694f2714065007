/**
 * `greenlets/tsc`, the ts-patch plugin: one entry in compilerOptions.plugins makes `tspc` (or `tsc` after
 * `ts-patch install`) a greenlets build — the rewrite of the JS, `@blocking` tags in the .d.ts, and greenlets'
 * diagnostics in tsc's output.
 *
 *   "plugins": [{ "transform": "greenlets/tsc", "transformProgram": true }]   (recommended)
 *   "plugins": [{ "transform": "greenlets/tsc" }]                             (also complete)
 *
 * Other keys of the entry are greenlets' options (patch, include, exclude, diagnostics). Everything runs on
 * the TypeScript instance ts-patch hands over: the transformer's modules are loaded with it standing in for
 * 'typescript', so nodes, factories and the checker all come from the compiler that is running.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type ts from 'typescript';
import type { GreenletsDiagnostic } from '../transformer/api.js';
import { resolveOptions, shouldTransform, type GreenletsOptions, type ResolvedOptions } from './options.js';
import type { TransformerApi } from '../transformer/index.js';

type TsModule = typeof ts;

interface ProgramExtras {
  ts: TsModule;
  addDiagnostic?: (d: ts.Diagnostic) => number;
}

/** The keys of a plugin entry that are ts-patch's own. */
const TSPATCH_KEYS = new Set(['transform', 'transformProgram', 'type', 'after', 'afterDeclarations', 'import', 'isEsm', 'name', 'tsConfig', 'resolvePathAliases']);

const require = createRequire(import.meta.url);
let api: TransformerApi | undefined;

/** The transformer's modules, bound to `handed` as their 'typescript' (loaded once per process). */
function transformerApi(handed: TsModule): TransformerApi {
  if (api !== undefined) return api;
  const tsPath = require.resolve('typescript');
  const previous = require.cache[tsPath];
  const stand = new (require('node:module') as { Module: new (id: string) => NodeJS.Module }).Module(tsPath);
  stand.filename = tsPath;
  stand.loaded = true;
  stand.exports = handed;
  require.cache[tsPath] = stand;
  try {
    api = require('../transformer/index.js') as TransformerApi;
  } finally {
    if (previous !== undefined) require.cache[tsPath] = previous;
    else delete require.cache[tsPath];
  }
  if (process.env.GREENLETS_TRACE === '1') {
    const same = api.ts === handed ? 'the instance ts-patch handed over' : 'A SECOND COPY (the transformer was loaded before)';
    process.stderr.write(`greenlets/tsc: transforming with TypeScript ${handed.version}, ${same}\n`);
  }
  return api;
}

interface ProjectState {
  lookup: (sf: ts.SourceFile) => ReturnType<ReturnType<TransformerApi['analyzeProgram']>['file']> | undefined;
  transformers: { before: ts.TransformerFactory<ts.SourceFile>; afterDeclarations: ts.TransformerFactory<ts.SourceFile | ts.Bundle> };
  /** Diagnostics of the files transformed so far, by file. */
  diagnostics: Map<string, GreenletsDiagnostic[]>;
  /**
   * After an emit: rewrite in memory the files it wrote no JavaScript for (noEmit, emitDeclarationOnly,
   * noEmitOnError with errors run no `before` transformer), so their diagnostics are in `diagnostics` too.
   */
  rewriteUnemitted(target: ts.SourceFile | undefined): void;
}

const states = new WeakMap<ts.Program, ProjectState>();

function pluginOptions(config: Record<string, unknown>, program: ts.Program): ResolvedOptions {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!TSPATCH_KEYS.has(k)) own[k] = v;
  const configFile = program.getCompilerOptions().configFilePath;
  const base = typeof configFile === 'string' ? path.dirname(configFile) : program.getCurrentDirectory();
  return resolveOptions(own as GreenletsOptions, 'greenlets/tsc (compilerOptions.plugins)', base);
}

function stateFor(program: ts.Program, tsm: TsModule, config: Record<string, unknown>): ProjectState {
  let state = states.get(program);
  if (state !== undefined) return state;
  const tx = transformerApi(tsm);
  const options = pluginOptions(config, program);
  const analysis = tx.analyzeProgram(program, options.transform);
  const diagnostics = new Map<string, GreenletsDiagnostic[]>();
  const rewritten = new Set<string>();
  const lookup: ProjectState['lookup'] = (sf) => (shouldTransform(sf.fileName, options) ? analysis.file(sf) : undefined);
  const before = tx.createGreenletsTransformer(lookup, options.transform, {
    checker: program.getTypeChecker(),
    onDiagnostics: (file, ds) => {
      rewritten.add(file);
      diagnostics.set(file, tx.filterDiagnostics(ds, options.transform.diagnostics ?? 'warning'));
    },
  });
  state = {
    lookup,
    diagnostics,
    transformers: { before, afterDeclarations: tx.createDeclarationsTransformer(lookup) },
    rewriteUnemitted: (target) =>
      tx.rewriteUnemitted(program, before, (sf) => rewritten.has(sf.fileName) || !shouldTransform(sf.fileName, options), target),
  };
  states.set(program, state);
  return state;
}

/** A greenlets diagnostic as tsc prints its own: `file(line,col): error TS901001: greenlets GL1001: ...`. */
function toTsDiagnostic(tsm: TsModule, program: ts.Program, d: GreenletsDiagnostic): ts.Diagnostic {
  const file = program.getSourceFile(d.file);
  let start: number | undefined;
  if (file !== undefined) {
    try {
      start = file.getPositionOfLineAndCharacter(d.line - 1, d.column - 1);
    } catch {
      start = 0;
    }
  }
  const category =
    d.category === 'error' ? tsm.DiagnosticCategory.Error : d.category === 'warning' ? tsm.DiagnosticCategory.Warning : tsm.DiagnosticCategory.Message;
  return {
    file,
    start,
    length: file === undefined ? undefined : 0,
    category,
    // tsc prints codes as TS<number>: greenlets' GLnnnn become 90nnnn, and the message names the GL code.
    code: 900000 + Number(d.code.replace(/\D/g, '')),
    messageText: `greenlets ${d.code}: ${d.message}`,
    source: 'greenlets',
  };
}

function mergeTransformers(given: ts.CustomTransformers | undefined, state: ProjectState): ts.CustomTransformers {
  return {
    ...given,
    before: [state.transformers.before, ...(given?.before ?? [])],
    afterDeclarations: [...(given?.afterDeclarations ?? []), state.transformers.afterDeclarations],
  };
}

/** `"transformProgram": true`: wrap the program's emit so every emit carries the transform and its diagnostics. */
function transformProgram(program: ts.Program, config: Record<string, unknown>, tsm: TsModule): ts.Program {
  const original = program.emit;
  const wrapped: ts.Program['emit'] = function (this: ts.Program, targetSourceFile, writeFile, token, dtsOnly, custom, ...rest) {
    const state = stateFor(program, tsm, config);
    const result = (original as (...a: unknown[]) => ts.EmitResult).call(
      this,
      targetSourceFile,
      writeFile,
      token,
      dtsOnly,
      mergeTransformers(custom, state),
      ...rest,
    );
    state.rewriteUnemitted(targetSourceFile);
    const reported = targetSourceFile === undefined ? [...state.diagnostics.values()] : [state.diagnostics.get(targetSourceFile.fileName) ?? []];
    const extra = reported.flat().map((d) => toTsDiagnostic(tsm, program, d));
    return { ...result, diagnostics: [...result.diagnostics, ...extra] };
  };
  program.emit = wrapped;
  return program;
}

/** Per program: where the source-transformer entry reports (the extras of ts-patch's latest call). */
const reporters = new WeakMap<ts.Program, (fileName: string) => void>();

/**
 * The plain `{ "transform": "greenlets/tsc" }` entry: ts-patch asks for `before` transformers only, so the
 * declarations transformer — and the rewrite of the files the emit writes no JavaScript for — join through the
 * emit ts-patch is about to call (its `originalEmit`); ts-patch adds what `addDiagnostic` collected to that
 * emit's result after it returns.
 */
function sourceTransformers(program: ts.Program, config: Record<string, unknown>, extras: ProgramExtras): { before: ts.TransformerFactory<ts.SourceFile> } {
  const tsm = extras.ts;
  const state = stateFor(program, tsm, config);
  const report = (fileName: string): void => {
    for (const d of state.diagnostics.get(fileName) ?? []) extras.addDiagnostic?.(toTsDiagnostic(tsm, program, d));
    state.diagnostics.delete(fileName);
  };
  const p = program as ts.Program & { originalEmit?: ts.Program['emit'] };
  if (typeof p.originalEmit === 'function' && !reporters.has(program)) {
    const original = p.originalEmit;
    p.originalEmit = function (this: ts.Program, target, writeFile, token, dtsOnly, custom, ...rest) {
      const merged: ts.CustomTransformers = {
        ...custom,
        afterDeclarations: [...(custom?.afterDeclarations ?? []), state.transformers.afterDeclarations],
      };
      const result = (original as (...a: unknown[]) => ts.EmitResult).call(this, target, writeFile, token, dtsOnly, merged, ...rest);
      state.rewriteUnemitted(target);
      const reportNow = reporters.get(program);
      if (reportNow !== undefined) for (const fileName of [...state.diagnostics.keys()]) reportNow(fileName);
      return result;
    };
  }
  reporters.set(program, report);
  const before: ts.TransformerFactory<ts.SourceFile> = (ctx) => {
    const inner = state.transformers.before(ctx);
    return (sf) => {
      const out = inner(sf);
      report(sf.fileName);
      return out;
    };
  };
  return { before };
}

/**
 * The plugin. ts-patch calls a program transformer as (program, host, config, { ts }) and a source transformer
 * factory as (program, config, { ts, addDiagnostic, ... }).
 */
export default function greenletsTsc(program: ts.Program, second: unknown, third: unknown, fourth?: unknown): unknown {
  if (third !== null && typeof third === 'object' && typeof (third as ProgramExtras).addDiagnostic === 'function') {
    return sourceTransformers(program, (second ?? {}) as Record<string, unknown>, third as ProgramExtras);
  }
  const extras = fourth as ProgramExtras | undefined;
  if (extras?.ts === undefined) throw new Error('greenlets/tsc: not called by ts-patch (expected a program transformer or a source transformer call)');
  return transformProgram(program, (third ?? {}) as Record<string, unknown>, extras.ts);
}
