/**
 * Blocking iterables handed to untransformed code that iterates them (`new Set(q)`, `Promise.all(iwait(gs))`, a
 * library's `(xs: Iterable<T>) => …`, `Array.prototype.slice.call(q)`): that code walks them with their ordinary
 * iterator, which throws BlockingSwitchOutError as soon as an element is not ready. Nothing can be rewritten
 * there, so the argument gets a warning (GL1006). Own callees are analysed (their iterations go through
 * greenIterator), the green built-ins (Array.from) iterate greenly, and a parameter declared as a blocking
 * iterable belongs to code that expects one.
 *
 * Cost: types are asked only of the arguments of untransformed callees, and only of arguments that can be a
 * blocking iterable without a call into untransformed code (a name, a property, an own or greenlets call).
 */
import ts from 'typescript';
import { skipOuter, type Collector } from './collect.js';
import type { Site } from './model.js';
import { declaredParameterType } from './callbacks.js';
import { declaringInterface, isArrayInterface } from './builtins.js';

export function findEscapingIterables(col: Collector, found: (site: Site, arg: ts.Expression) => void): void {
  if (!col.usesGreenlets()) return;
  const siteOf = new Map<ts.Node, Site>();
  for (const s of col.sites) siteOf.set(s.node, s);
  const isBlocking = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    if (ts.isCallExpression(x)) {
      const s = siteOf.get(x);
      if (s === undefined || (s.root === undefined && (s.external !== undefined || s.opaque))) return false;
    } else if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x) && !ts.isElementAccessExpression(x)) return false;
    return col.iterables.containsExpr(e, (n) => col.typing.typeAt(n));
  };
  for (const site of col.sites) {
    const node = site.node;
    if (ts.isTaggedTemplateExpression(node) || site.root) continue;
    const args = node.arguments ?? [];
    if (site.applied || site.functionMethod === 'call' || site.functionMethod === 'apply') {
      // `Array.prototype.slice.call(q)`: an array method reads its receiver as an array-like, not greenly.
      const recv = args[0];
      if (recv !== undefined && !ts.isSpreadElement(recv) && isArrayMethod(col, site.calleeExpr) && isBlocking(recv)) found(site, recv);
      continue;
    }
    if (site.builtin || site.functionMethod || (site.external === undefined && !site.opaque)) continue;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (ts.isSpreadElement(arg) || (site.collectsBlocking && i === 0)) continue;
      if (site.storesFrom !== undefined && i >= site.storesFrom) break; // stored as an element, not iterated
      if (!isBlocking(arg)) continue;
      col.resolveOpaque(site);
      if (site.external === undefined || col.options.acceptsGreen?.(site.external)) break;
      const decl = col.checker.getResolvedSignature(node)?.declaration;
      if (decl === undefined || ts.isJSDocSignature(decl)) break;
      const declared = declaredParameterType(col.checker, decl, i);
      if (declared !== undefined && col.iterables.iteratesPlainly(declared)) found(site, arg);
    }
  }
}

/** `Array.prototype.m` (or `Uint8Array.prototype.m`, …): a method of the built-in arrays, read off a prototype. */
function isArrayMethod(col: Collector, callee: ts.Expression | undefined): boolean {
  if (callee === undefined || !ts.isPropertyAccessExpression(callee)) return false;
  const decl = col.checker.getSymbolAtLocation(callee.name)?.declarations?.[0];
  if (decl === undefined || col.isOwn(decl)) return false;
  const iface = declaringInterface(decl);
  return iface !== undefined && isArrayInterface(iface);
}
