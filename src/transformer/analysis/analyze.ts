/**
 * analyzeProgram: the whole-program analysis (design.md §2). collect.ts walks the program's own files and builds
 * the flow graph of function values; solve.ts runs the greenness fixed point and classifies calls; this file
 * assembles the per-file answers (types.ts, the contract with the emitter) and `explain`.
 */
import ts from 'typescript';
import type { TransformOptions } from '../api.js';
import type { FileAnalysis, FunctionLike, ProgramAnalysis } from './types.js';
import { Collector } from './collect.js';
import { Solver } from './solve.js';
import type { Container } from './model.js';
import { containerName, location, valueName } from './names.js';
import { forceGreenAnalysis } from './force-green.js';

export type AnalysisOptions = Pick<TransformOptions, 'patch' | 'forceGreen'>;

/** The program's own files: what the transform may rewrite (not .d.ts, not node_modules). */
export function ownSourceFiles(program: ts.Program): ts.SourceFile[] {
  return program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'));
}

export function analyzeProgram(program: ts.Program, options: AnalysisOptions = {}): ProgramAnalysis {
  const own = ownSourceFiles(program);
  if (options.forceGreen) return forcedProgram(program);
  const checker = program.getTypeChecker();
  const col = new Collector(program, checker, new Set(own), { patch: options.patch });
  col.collect();
  const solver = new Solver(col, options.patch);
  solver.solve();
  return new WholeProgramAnalysis(program, col, solver);
}

class WholeProgramAnalysis implements ProgramAnalysis {
  private files = new Map<ts.SourceFile, FileAnalysis>();
  private byFile = new Map<ts.SourceFile, Container[]>();

  constructor(
    readonly program: ts.Program,
    private col: Collector,
    private solver: Solver,
  ) {
    for (const c of col.containers) {
      let list = this.byFile.get(c.sourceFile);
      if (!list) this.byFile.set(c.sourceFile, (list = []));
      list.push(c);
    }
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
      topLevelBlocks: false,
      diagnostics: [...(this.solver.diagnostics.get(sf) ?? [])],
    };
    for (const c of this.byFile.get(sf) ?? []) {
      if (!c.blocks || (c.kind !== 'fn' && c.kind !== 'top')) continue;
      if (c.kind === 'fn') fa.green.add(c.node as FunctionLike);
      else fa.topLevelBlocks = true;
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
    const out: string[] = [];
    let c = this.col.containerOf.get(fn);
    const seen = new Set<Container>();
    while (c && !seen.has(c)) {
      seen.add(c);
      const name = containerName(c);
      const r = c.reason;
      if (!c.blocks || !r) {
        out.push(`${name} is not green`);
        break;
      }
      if (r.kind === 'tagged') {
        out.push(`${name} is declared @blocking (a root)`);
        break;
      }
      if (r.kind === 'iteration') {
        out.push(`${name} iterates a blocking iterable at ${location(r.iteration.node)}`);
        break;
      }
      const at = location(r.site.node);
      if (r.target < 0) {
        out.push(`${name} collects a blocking iterable at ${at}`);
        break;
      }
      const target = this.col.values[r.target]!;
      const tname = valueName(target);
      if (r.kind === 'callback') {
        out.push(`${name} passes the green function ${tname} to ${r.site.builtin?.name ?? 'a built-in'} at ${at}`);
      } else if (target.kind === 'root') {
        out.push(`${name} calls ${tname} at ${at}`);
        out.push(`${tname} is a blocking primitive (@blocking, declared at ${location(target.decl)})`);
        break;
      } else {
        const how = r.site.static ? '' : ` (an indirect call: ${tname} is one of the values that may be called there)`;
        out.push(`${name} calls ${tname} at ${at}${how}`);
      }
      c = target.kind === 'fn' ? target.container : undefined;
    }
    return out;
  }

  greenFraction(): number {
    let all = 0;
    let green = 0;
    for (const c of this.col.containers) {
      if (c.kind === 'top' || c.kind === 'script' || c.kind === 'field' || c.kind === 'static' || c.kind === 'default') continue;
      all++;
      if (c.kind === 'fn' && c.blocks) green++;
    }
    return all === 0 ? 0 : green / all;
  }
}

/** forceGreen: the emitter's syntax-only analysis (force-green.ts) for every file, cached. */
function forcedProgram(program: ts.Program): ProgramAnalysis {
  const files = new Map<ts.SourceFile, FileAnalysis>();
  return {
    program,
    file(sf) {
      let fa = files.get(sf);
      if (fa === undefined) files.set(sf, (fa = forceGreenAnalysis(sf)));
      return fa;
    },
    explain: () => ['forceGreen: every function that can be green is green'],
    greenFraction: () => 1,
  };
}
