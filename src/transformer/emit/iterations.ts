/**
 * Iteration in green code over something that may block (design.md §3):
 *   for (const x of xs) body  →  { const it = __gl.forOf(xs); try { for (; yield* it.step();) { const x = it.value; body } } finally { it.close(); } }
 *   [...xs], f(...xs)         →  [...(yield* __gl.collect(xs))]
 *   const [a, b] = xs         →  const [a, b] = yield* __gl.collectSome(xs, 2)
 * Labels of the for-of move onto the inner `for`, so `break`/`continue label` keep their targets; the
 * finally calls the iterator's `return()` on break, return and throw, as native for-of does.
 */
import ts from 'typescript';
import { type EmitContext, yieldStar } from './context.js';

type Visit = (n: ts.Node) => ts.Node;

export function lowerForOf(
  ctx: EmitContext,
  node: ts.ForOfStatement,
  labels: ts.Identifier[],
  visit: Visit,
): ts.Statement {
  const f = ctx.factory;
  const it = f.createIdentifier(ctx.names.unique('__it'));
  const iterable = visit(node.expression) as ts.Expression;
  const value = f.createPropertyAccessExpression(it, 'value');
  let bind: ts.Statement;
  const init = node.initializer;
  if (ts.isVariableDeclarationList(init)) {
    const decl = init.declarations[0];
    const name = visit(decl.name) as ts.BindingName;
    bind = f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)),
    );
  } else {
    bind = f.createExpressionStatement(f.createAssignment(visit(init) as ts.Expression, value));
  }
  const body = visit(node.statement) as ts.Statement;
  const loopBody = ts.isBlock(body)
    ? f.updateBlock(body, [bind, ...body.statements])
    : f.createBlock([bind, body], false);
  let loop: ts.Statement = ts.setTextRange(
    f.createForStatement(undefined, yieldStar(f.createCallExpression(f.createPropertyAccessExpression(it, 'step'), undefined, [])), undefined, loopBody),
    node,
  );
  for (let i = labels.length - 1; i >= 0; i--) loop = f.createLabeledStatement(labels[i], loop);
  const decl = f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList(
      [f.createVariableDeclaration(it, undefined, undefined, f.createCallExpression(ctx.helper('forOf'), undefined, [iterable]))],
      ts.NodeFlags.Const,
    ),
  );
  const close = f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(it, 'close'), undefined, []));
  const tryStmt = f.createTryStatement(f.createBlock([loop], false), undefined, f.createBlock([close], false));
  return ts.setTextRange(f.createBlock([decl, tryStmt], false), node);
}

/** `...xs` → `...(yield* __gl.collect(xs))` */
export function lowerSpread(ctx: EmitContext, node: ts.SpreadElement, visit: Visit): ts.SpreadElement {
  const f = ctx.factory;
  const x = visit(node.expression) as ts.Expression;
  return f.updateSpreadElement(node, yieldStar(f.createCallExpression(ctx.helper('collect'), undefined, [x])));
}

/** The initializer of `const [a, b] = xs`: collect as many elements as the pattern takes (all for a rest). */
export function collectForPattern(ctx: EmitContext, pattern: ts.ArrayBindingPattern, init: ts.Expression): ts.Expression {
  const f = ctx.factory;
  const last = pattern.elements[pattern.elements.length - 1];
  const rest = last !== undefined && ts.isBindingElement(last) && last.dotDotDotToken !== undefined;
  const n = rest ? -1 : pattern.elements.length;
  return yieldStar(
    f.createCallExpression(ctx.helper('collectSome'), undefined, [
      init,
      n < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(1)) : f.createNumericLiteral(n),
    ]),
  );
}
