/**
 * Carry an analysis over to another parse of the same text (transform() analyses with a program, then
 * rewrites the tree ts.transpileModule parses): nodes are matched by kind and position.
 */
import ts from 'typescript';
import type { CallSite, FileAnalysis, FunctionLike } from '../analysis/types.js';

export function rekeyAnalysis(a: FileAnalysis, target: ts.SourceFile): FileAnalysis {
  if (a.sourceFile === target) return a;
  const index = new Map<string, ts.Node>();
  const key = (n: ts.Node) => `${n.kind}:${n.pos}:${n.end}`;
  const walk = (n: ts.Node): void => {
    index.set(key(n), n);
    ts.forEachChild(n, walk);
  };
  walk(target);
  const map = <T extends ts.Node>(n: T): T | undefined => index.get(key(n)) as T | undefined;
  const green = new Set<FunctionLike>();
  for (const g of a.green) {
    const m = map(g);
    if (m !== undefined) green.add(m);
  }
  const calls = new Map<ts.Node, CallSite>();
  for (const [n, site] of a.calls) {
    const m = map(n);
    if (m === undefined) continue;
    const direct = site.direct !== undefined && site.direct.getSourceFile() === a.sourceFile ? map(site.direct) : undefined;
    calls.set(m, { ...site, direct });
  }
  const iterations = new Map<ts.Node, FileAnalysis['iterations'] extends Map<ts.Node, infer K> ? K : never>();
  for (const [n, k] of a.iterations) {
    const m = map(n);
    if (m !== undefined) iterations.set(m, k);
  }
  const spawnAdapted = new Set<ts.Expression>();
  for (const e of a.spawnAdapted) {
    const m = map(e);
    if (m !== undefined) spawnAdapted.add(m);
  }
  let bindCalls: Set<ts.CallExpression> | undefined;
  if (a.bindCalls !== undefined) {
    bindCalls = new Set();
    for (const c of a.bindCalls) {
      const m = map(c);
      if (m !== undefined) bindCalls.add(m);
    }
  }
  return { ...a, sourceFile: target, green, calls, iterations, spawnAdapted, bindCalls };
}
