/**
 * Green #private methods. A private method cannot be replaced after the class is made (it is read-only, and
 * nothing outside an instance can reach it), so it gets no `[GREEN]` installed by `__gl.methods`. Instead the
 * class carries both forms side by side:
 *   #m(a) { body }   →  *#m$green(a, __t0) { body }                                       (in place: same lines)
 *                       #m(a) { return __gl.runPlain(this.#m$green.apply(this, arguments), "C.#m"); }  (class end)
 * Private names are lexically scoped, so every use of `x.#m` is known statically: a call in green code calls the
 * generator (`yield* x.#m$green(...)`), and a read that is not a call (the method used as a value) hands out
 * the plain method with the generator installed as its `[GREEN]` (one function object per class, so identity
 * is kept: `off(this.#h)` still finds what `on(this.#h)` added).
 */
import ts from 'typescript';
import { type EmitContext, skipOuter } from './context.js';
import { wrapperParameters } from './scan.js';

/** The private method `name` refers to, when it is a method with a body the analysis made green. */
export function greenPrivateMethod(ctx: EmitContext, name: ts.PrivateIdentifier): ts.MethodDeclaration | undefined {
  for (let n: ts.Node | undefined = name.parent; n !== undefined; n = n.parent) {
    if (!ts.isClassLike(n)) continue;
    const member = n.members.find((m) => m.name !== undefined && ts.isPrivateIdentifier(m.name) && m.name.text === name.text);
    if (member === undefined) continue;
    return ts.isMethodDeclaration(member) && member.body !== undefined && ctx.isGreen(member) ? member : undefined;
  }
  return undefined;
}

/** The generator's private name: `#m` → `#m$green`. */
export function generatorName(f: ts.NodeFactory, name: ts.PrivateIdentifier): ts.PrivateIdentifier {
  return f.createPrivateIdentifier(`${name.text}$green`);
}

/** `x.#m` as a call's callee, and the method it names when that is a green private method. */
export function privateCallee(ctx: EmitContext, node: ts.CallExpression | ts.TaggedTemplateExpression): ts.MethodDeclaration | undefined {
  const callee = skipOuter(ts.isCallExpression(node) ? node.expression : node.tag);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isPrivateIdentifier(callee.name)) return undefined;
  return greenPrivateMethod(ctx, callee.name);
}

/** The plain form, added at the end of the class: the same name, length and `static`ness. */
export function plainPrivateMethod(ctx: EmitContext, node: ts.MethodDeclaration, owner: string): ts.MethodDeclaration {
  const f = ctx.factory;
  const name = node.name as ts.PrivateIdentifier;
  const params = wrapperParameters(f, node.parameters);
  const gen = f.createPropertyAccessExpression(f.createThis(), generatorName(f, name));
  const run = f.createCallExpression(ctx.helper('runPlain'), undefined, [
    f.createCallExpression(f.createPropertyAccessExpression(gen, 'apply'), undefined, [f.createThis(), f.createIdentifier('arguments')]),
    f.createStringLiteral(owner !== '' ? `${owner}.${name.text}` : name.text),
  ]);
  const isStatic = ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static;
  return f.createMethodDeclaration(
    isStatic ? [f.createModifier(ts.SyntaxKind.StaticKeyword)] : undefined,
    undefined,
    f.createPrivateIdentifier(name.text),
    undefined,
    undefined,
    params,
    undefined,
    f.createBlock([f.createReturnStatement(run)], false),
  );
}

/** `x.#m` read as a value: `((o) => __gl.privateMethod(o.#m, o.#m$green))(x)`, `x` evaluated once. */
export function privateMethodValue(ctx: EmitContext, node: ts.PropertyAccessExpression, receiver: ts.Expression): ts.Expression {
  const f = ctx.factory;
  const name = node.name as ts.PrivateIdentifier;
  const o = f.createIdentifier('o');
  const body = f.createCallExpression(ctx.helper('privateMethod'), undefined, [
    f.createPropertyAccessExpression(o, f.createPrivateIdentifier(name.text)),
    f.createPropertyAccessExpression(o, generatorName(f, name)),
  ]);
  const arrow = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, o)], undefined, undefined, body);
  return ts.setTextRange(f.createCallExpression(f.createParenthesizedExpression(arrow), undefined, [receiver]), node);
}

/** Is this `x.#m` the callee of a call or tag (so the call's rewrite handles it), rather than a value? */
export function isCalled(node: ts.PropertyAccessExpression): boolean {
  let n: ts.Node = node;
  while (
    ts.isParenthesizedExpression(n.parent) ||
    ts.isNonNullExpression(n.parent) ||
    ts.isAsExpression(n.parent) ||
    ts.isSatisfiesExpression(n.parent) ||
    ts.isTypeAssertionExpression(n.parent)
  ) {
    n = n.parent;
  }
  const p = n.parent;
  return (ts.isCallExpression(p) && p.expression === n) || (ts.isTaggedTemplateExpression(p) && p.tag === n);
}
