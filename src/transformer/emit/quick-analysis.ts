/**
 * A stop-gap analysis used until the whole-program one (src/transformer/analysis/index.ts) is available: a
 * function is green if it calls, directly by name, a declaration tagged `@blocking` or another green function
 * of the program (fixed point). No flow of function values, no blocking iterables: delete once the real
 * analysis lands.
 */
import ts from 'typescript';
import type { CallSite, FileAnalysis, FunctionLike, ProgramAnalysis } from '../analysis/types.js';
import { canBeGreen, isRewritableCall } from '../analysis/force-green.js';

function hasBlockingTag(decl: ts.Node): boolean {
  const nodes: ts.Node[] = [decl];
  if (ts.isVariableDeclaration(decl)) nodes.push(decl.parent.parent);
  return nodes.some((n) => ts.getJSDocTags(n).some((t) => t.tagName.text === 'blocking'));
}

/** The function-like a declaration stands for (`const f = () => …` → the arrow). */
function functionOf(decl: ts.Declaration): ts.Node | undefined {
  if (ts.isVariableDeclaration(decl) && decl.initializer !== undefined) {
    let e = decl.initializer;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    return ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? e : undefined;
  }
  if (ts.isPropertyAssignment(decl)) return decl.initializer;
  return decl;
}

export function quickAnalyzeProgram(program: ts.Program): ProgramAnalysis {
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !program.isSourceFileFromExternalLibrary(f));
  /** call → the enclosing green-able function (or the source file for top-level code) and its target. */
  const calls: Array<{ call: ts.CallExpression; owner: ts.Node; target: ts.Node | undefined; root: boolean }> = [];
  for (const sf of files) {
    const walk = (n: ts.Node, owner: ts.Node | undefined): void => {
      if (ts.isFunctionLike(n)) {
        const o = canBeGreen(n) ? n : undefined;
        ts.forEachChild(n, (c) => walk(c, ts.isParameter(c) ? undefined : o));
        return;
      }
      if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) {
        ts.forEachChild(n, (c) => walk(c, undefined));
        return;
      }
      if (owner !== undefined && ts.isCallExpression(n) && isRewritableCall(n)) {
        let sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(n.expression) ? n.expression.name : n.expression);
        if (sym !== undefined && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
        const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
        const root = sym?.declarations?.some(hasBlockingTag) ?? false;
        calls.push({ call: n, owner, target: decl !== undefined ? functionOf(decl) : undefined, root });
      }
      ts.forEachChild(n, (c) => walk(c, owner));
    };
    walk(sf, ts.isExternalModule(sf) ? sf : undefined);
  }
  const green = new Set<ts.Node>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of calls) {
      if ((c.root || (c.target !== undefined && green.has(c.target))) && !green.has(c.owner)) {
        green.add(c.owner);
        changed = true;
      }
    }
  }
  const perFile = new Map<ts.SourceFile, FileAnalysis>();
  for (const sf of files) {
    perFile.set(sf, {
      sourceFile: sf,
      green: new Set(),
      calls: new Map(),
      iterations: new Map(),
      spawnAdapted: new Set(),
      topLevelBlocks: green.has(sf),
      diagnostics: [],
    });
  }
  for (const g of green) if (!ts.isSourceFile(g)) perFile.get(g.getSourceFile())?.green.add(g as FunctionLike);
  for (const c of calls) {
    if (!(c.root || (c.target !== undefined && green.has(c.target)))) continue;
    const site: CallSite = { kind: 'green' };
    if (c.target !== undefined && ts.isFunctionDeclaration(c.target) && c.target.getSourceFile() === c.call.getSourceFile()) {
      site.direct = c.target;
    }
    perFile.get(c.call.getSourceFile())?.calls.set(c.call, site);
  }
  const empty = (sf: ts.SourceFile): FileAnalysis => ({
    sourceFile: sf,
    green: new Set(),
    calls: new Map(),
    iterations: new Map(),
    spawnAdapted: new Set(),
    topLevelBlocks: false,
    diagnostics: [],
  });
  return {
    program,
    file: (sf) => perFile.get(sf) ?? empty(sf),
    explain: () => [],
    greenFraction: () => {
      let n = 0;
      for (const sf of files) ts.forEachChild(sf, function count(x: ts.Node): void {
        if (canBeGreen(x)) n++;
        ts.forEachChild(x, count);
      });
      return n === 0 ? 0 : [...green].filter((g) => !ts.isSourceFile(g)).length / n;
    },
  };
}
