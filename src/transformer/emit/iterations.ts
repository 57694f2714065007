/**
 * Iteration in green code over something that may block (design.md §3):
 *   for (const x of xs) body  →  { const it = __gl.forOf(xs); try { for (; yield* it.step();) { const x = it.value; body } } finally { it.close(); } }
 *   [...xs], f(...xs)         →  [...(yield* __gl.collect(xs))]
 *   const [a, b] = xs         →  const [a, b] = yield* __gl.collectSome(xs, 2)
 * Labels of the for-of move onto the inner `for`, so `break`/`continue label` keep their targets; the
 * finally calls the iterator's `return()` on break, return and throw, as native for-of does.
 */
import ts from 'typescript';
import { type EmitContext, type GenState, skipOuter, yieldStar } from './context.js';

type Visit = (n: ts.Node) => ts.Node;

export function lowerForOf(
  ctx: EmitContext,
  node: ts.ForOfStatement,
  labels: ts.Identifier[],
  visit: Visit,
  /** Does the analysis say this node's iteration may block (here: an array pattern over each element)? */
  blocks: (n: ts.Node) => boolean,
  /** `for await` in the main greenlet: walk the iterable through `__gl.asyncIterable`. */
  awaited = false,
): ts.Statement {
  const f = ctx.factory;
  const it = f.createIdentifier(ctx.names.unique('__it'));
  let iterable = visit(node.expression) as ts.Expression;
  if (awaited) iterable = f.createCallExpression(ctx.helper('asyncIterable'), undefined, [iterable]);
  const value = f.createPropertyAccessExpression(it, 'value');
  let bind: ts.Statement;
  const init = node.initializer;
  if (ts.isVariableDeclarationList(init)) {
    const decl = init.declarations[0];
    const name = visit(decl.name) as ts.BindingName;
    const v = ts.isArrayBindingPattern(decl.name) && blocks(decl.name) ? collectForPattern(ctx, decl.name, value) : value;
    bind = f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, v)], init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)),
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

/**
 * `for (const [a, b] of xs)` whose iterable is ordinary but whose elements may block: the loop stays, its
 * variable is a fresh one, and the pattern is bound at the top of the body from `yield* collectSome(e, 2)`.
 */
export function lowerElementPattern(ctx: EmitContext, node: ts.ForOfStatement, visit: Visit): ts.Statement {
  const f = ctx.factory;
  const init = node.initializer as ts.VariableDeclarationList;
  const decl = init.declarations[0];
  const pattern = decl.name as ts.ArrayBindingPattern;
  const e = f.createIdentifier(ctx.names.unique('__e'));
  const flags = init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const);
  const bind = f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList([f.createVariableDeclaration(visit(pattern) as ts.BindingName, undefined, undefined, collectForPattern(ctx, pattern, e))], flags),
  );
  const body = visit(node.statement) as ts.Statement;
  const loopBody = ts.isBlock(body) ? f.updateBlock(body, [bind, ...body.statements]) : f.createBlock([bind, body], false);
  return f.updateForOfStatement(
    node,
    node.awaitModifier,
    f.createVariableDeclarationList([f.createVariableDeclaration(e)], flags),
    visit(node.expression) as ts.Expression,
    loopBody,
  );
}

/**
 * `[a, b] = xs` whose right side may block: `[a, b] = yield* collectSome(xs, 2)`. The assignment's value is
 * the right side, so where it is used the right side is kept in a temporary: `(t = xs, [a, b] = ..., t)`.
 */
export function lowerArrayAssignment(ctx: EmitContext, st: GenState, node: ts.BinaryExpression, visit: Visit): ts.Expression {
  const f = ctx.factory;
  const left = visit(node.left) as ts.Expression;
  const lit = skipOuter(node.left) as ts.ArrayLiteralExpression;
  const last = lit.elements[lit.elements.length - 1];
  const n = last !== undefined && ts.isSpreadElement(last) ? -1 : lit.elements.length;
  const right = visit(node.right) as ts.Expression;
  const collect = (x: ts.Expression) =>
    yieldStar(
      f.createCallExpression(ctx.helper('collectSome'), undefined, [
        x,
        n < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(1)) : f.createNumericLiteral(n),
      ]),
    );
  if (ts.isExpressionStatement(node.parent)) return f.updateBinaryExpression(node, left, node.operatorToken, collect(right));
  const t = st.temp();
  return f.createParenthesizedExpression(
    f.createCommaListExpression([f.createAssignment(t, right), f.createAssignment(left, collect(t)), t]),
  );
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
