/**
 * Default parameter values that may block. A generator evaluates its parameters' defaults when it is created,
 * where it cannot yield, so a green function's defaults that block are moved to the start of its body:
 * `function f(a, b = g(a)) {…}` → `function* f$green(a, b) { if (b === undefined) b = yield* …; … }`.
 * That keeps the meaning only when the defaults see the same bindings from the body as from the parameter
 * list: every parameter a plain name (a destructured one would have to move as a whole, with its own defaults),
 * and no name a default mentions declared by the body (it would see the body's binding instead of the outer
 * one). Other defaults keep their own container, where blocking is GL1017.
 */
import ts from 'typescript';
import type { FunctionLike } from './types.js';

/** The parameters with defaults that are evaluated in the function's body when it is green, or undefined. */
export function bodyDefaults(fn: FunctionLike): ts.ParameterDeclaration[] | undefined {
  const withDefault = fn.parameters.filter((p) => p.initializer !== undefined);
  if (withDefault.length === 0 || fn.body === undefined) return undefined;
  if (!fn.parameters.every((p) => ts.isIdentifier(p.name))) return undefined;
  const declared = bodyNames(fn.body);
  if (declared.size > 0 && withDefault.some((p) => mentionsAny(p.initializer!, declared))) return undefined;
  return withDefault;
}

/** Names the body binds in its own scope: its top-level declarations and every `var` not in a nested function. */
function bodyNames(body: ts.ConciseBody): Set<string> {
  const names = new Set<string>();
  if (!ts.isBlock(body)) return names;
  const addBinding = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const s of body.statements) {
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name !== undefined) names.add(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) addBinding(d.name);
  }
  const visitVars = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0) for (const d of n.declarations) addBinding(d.name);
    ts.forEachChild(n, visitVars);
  };
  ts.forEachChild(body, visitVars);
  return names;
}

function mentionsAny(node: ts.Node, names: Set<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text);
  let found = false;
  ts.forEachChild(node, (ch) => {
    if (!found && !(ts.isPropertyAccessExpression(node) && ch === node.name)) found = mentionsAny(ch, names);
  });
  return found;
}
