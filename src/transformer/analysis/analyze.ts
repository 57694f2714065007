/**
 * analyzeProgram: the whole-program analysis (design.md §2). collect.ts walks the program's own files and builds
 * the flow graph of function values; solve.ts runs the greenness fixed point and classifies calls; this file
 * assembles the per-file answers (types.ts, the contract with the emitter); explain.ts says why.
 */
import ts from 'typescript';
import type { TransformOptions } from '../api.js';
import type { FileAnalysis, FunctionLike, ProgramAnalysis } from './types.js';
import { Collector } from './collect.js';
import { Solver } from './solve.js';
import type { Container } from './model.js';
import { Explainer } from './explain.js';
import { forcedProgramAnalysis } from './force-green.js';
import { acceptsGreen } from './tags.js';
import { argumentIndex, comparePositions, positionWord, type Position } from './positions.js';

export type AnalysisOptions = Pick<TransformOptions, 'patch' | 'forceGreen'> & {
  /** The program is a library: its exports are called from outside it, maybe with green callbacks. Default:
   * it emits declarations (`declaration` or `composite` in its compiler options). */
  library?: boolean;
};

/** The program's own files: what the transform may rewrite (not .d.ts, not node_modules). */
export function ownSourceFiles(program: ts.Program): ts.SourceFile[] {
  return program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'));
}

/** Counts and timings of one analysis, for benchmarks and `--explain` summaries. */
export interface AnalysisStats {
  files: number;
  functions: number;
  green: number;
  sites: number;
  flowNodes: number;
  flowFacts: number;
  collectMs: number;
  solveMs: number;
}

export interface WholeProgram extends ProgramAnalysis {
  stats: AnalysisStats;
}

export function analyzeProgram(program: ts.Program, options: AnalysisOptions = {}): WholeProgram {
  const all = ownSourceFiles(program);
  if (options.forceGreen) return forcedProgram(program, all.length);
  const t0 = performance.now();
  const checker = program.getTypeChecker();
  const runtimeDirs = new Map<string, boolean>();
  const isRuntimeDir = (dir: string): boolean => {
    let r = runtimeDirs.get(dir);
    if (r === undefined) {
      r = false;
      for (const f of ['convention.ts', 'convention.d.ts']) {
        const sf = program.getSourceFile(`${dir}/${f}`);
        if (sf && sf.text.includes('@blockingIterable')) r = true;
      }
      runtimeDirs.set(dir, r);
    }
    return r;
  };
  // The runtime's own sources (a program that includes greenlets itself, as this repository's does) are
  // written in the green calling convention by hand: never rewritten, analysed like its .d.ts.
  const own = all.filter((sf) => !isRuntimeDir(sf.fileName.slice(0, sf.fileName.lastIndexOf('/'))));
  const co = program.getCompilerOptions();
  const col = new Collector(program, checker, new Set(own), {
    patch: options.patch,
    library: options.library ?? (co.declaration === true || co.composite === true),
    acceptsGreen: (decl) => acceptsGreen(decl, isRuntimeDir),
  });
  col.collect();
  const t1 = performance.now();
  const solver = new Solver(col, options.patch);
  solver.solve();
  const t2 = performance.now();
  return new WholeProgramAnalysis(program, col, solver, own.length, t1 - t0, t2 - t1);
}

/** How the .d.ts's `@blocking` names a position (positions.ts), `arg<i>` for an argument without a name. */
function parameterName(fn: FunctionLike, position: Position): string {
  return positionWord(fn.parameters, position) ?? `arg${argumentIndex(position)}`;
}

/** Containers counted as functions for greenFraction: the function-likes (not top levels, fields, defaults). */
function isFunctionContainer(c: Container): boolean {
  return c.kind !== 'top' && c.kind !== 'script' && c.kind !== 'field' && c.kind !== 'static' && c.kind !== 'default';
}

class WholeProgramAnalysis implements WholeProgram {
  private files = new Map<ts.SourceFile, FileAnalysis>();
  private byFile = new Map<ts.SourceFile, Container[]>();
  private explainer: Explainer;
  readonly stats: AnalysisStats;

  constructor(
    readonly program: ts.Program,
    private col: Collector,
    private solver: Solver,
    files: number,
    collectMs: number,
    solveMs: number,
  ) {
    for (const c of col.containers) {
      let list = this.byFile.get(c.sourceFile);
      if (!list) this.byFile.set(c.sourceFile, (list = []));
      list.push(c);
    }
    this.explainer = new Explainer(col, program.getCurrentDirectory());
    const fns = col.containers.filter(isFunctionContainer);
    this.stats = {
      files,
      functions: fns.length,
      green: fns.filter((c) => c.kind === 'fn' && c.blocks).length,
      sites: col.sites.length,
      flowNodes: col.flow.size,
      flowFacts: col.flow.facts(),
      collectMs,
      solveMs,
    };
  }

  file(sourceFile: ts.SourceFile): FileAnalysis {
    let fa = this.files.get(sourceFile);
    if (fa === undefined) this.files.set(sourceFile, (fa = this.build(sourceFile)));
    return fa;
  }

  private build(sf: ts.SourceFile): FileAnalysis {
    const fa: FileAnalysis = {
      sourceFile: sf,
      green: new Set(),
      calls: new Map(),
      iterations: new Map(),
      spawnAdapted: this.solver.spawnAdapted.get(sf) ?? new Set(),
      conditional: new Map(),
      bindCalls: this.solver.greenBinds.get(sf) ?? new Set(),
      topLevelBlocks: false,
      diagnostics: [...(this.solver.diagnostics.get(sf) ?? [])],
    };
    for (const c of this.byFile.get(sf) ?? []) {
      if (!c.blocks || (c.kind !== 'fn' && c.kind !== 'top')) continue;
      if (c.kind === 'fn') {
        fa.green.add(c.node as FunctionLike);
        if (!c.always && c.condOn) fa.conditional!.set(c.node as FunctionLike, [...c.condOn.keys()].sort(comparePositions).map((p) => parameterName(c.node as FunctionLike, p)));
      } else fa.topLevelBlocks = true;
      for (const site of c.sites) {
        const cs = this.solver.callSite(site);
        if (cs) fa.calls.set(site.node, cs);
      }
      for (const it of c.iterations) {
        const k = this.solver.iterationKind(it);
        if (k !== 'plain') fa.iterations.set(it.node, k);
      }
    }
    fa.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return fa;
  }

  explain(fn: FunctionLike): string[] {
    return this.explainer.explain(fn);
  }

  greenFraction(): number {
    return this.stats.functions === 0 ? 0 : this.stats.green / this.stats.functions;
  }
}

/** forceGreen: the emitter's syntax-only analysis (force-green.ts) for every file, cached. */
function forcedProgram(program: ts.Program, files: number): WholeProgram {
  return {
    ...forcedProgramAnalysis(program),
    stats: { files, functions: 0, green: 0, sites: 0, flowNodes: 0, flowFacts: 0, collectMs: 0, solveMs: 0 },
  };
}
