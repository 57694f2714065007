/**
 * Blocking top-level code of an ES module (design.md §5): the statements that may block run in the main
 * greenlet, `await __gl.runMain(function* () { ... })`, so the module (and so its importers) finishes
 * evaluating only when they are done — ES module order is kept. Imports, exports, function declarations, types,
 * enums and namespaces stay at module scope; `let/const/var/class` names are declared at module scope (`let x;`,
 * so exports and the module's functions still see them) and assigned inside, in the original order.
 */
import ts from 'typescript';
import type { FileAnalysis } from '../analysis/types.js';
import { GenState } from './context.js';
import type { Rewriter } from './rewriter.js';

export function rewriteTopLevel(rw: Rewriter, sf: ts.SourceFile): ts.Statement[] {
  const f = rw.f;
  const ctx = rw.ctx;
  const main = new GenState(ctx.tempPrefix, sf);
  const moduleScope: ts.Statement[] = [];
  const body: ts.Statement[] = [];
  const hoisted: string[] = [];
  const exported: string[] = [];
  const exportSpecifiers: ts.ExportSpecifier[] = [];

  const inMain = <T extends ts.Node>(n: T): T => {
    const saved = rw.st;
    rw.st = main;
    try {
      return rw.visit(n) as T;
    } finally {
      rw.st = saved;
    }
  };
  const atModule = <T extends ts.Node>(n: T): T => {
    const saved = rw.st;
    rw.st = undefined;
    try {
      return rw.visit(n) as T;
    } finally {
      rw.st = saved;
    }
  };

  // Statements before the first one that may block run as ordinary module code, as written (a `const` stays a
  // `const`, a class a class declaration): only the rest needs the main greenlet.
  const first = sf.statements.findIndex((s) => mayBlock(ctx.analysis, s));
  /** Names bound at module scope before the main greenlet starts (imports, the statements before `first`,
   * function declarations, classes kept as declarations). */
  const moduleNames = new Set<string>();
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause !== undefined) {
      if (s.importClause.name) moduleNames.add(s.importClause.name.text);
      const b = s.importClause.namedBindings;
      if (b !== undefined) for (const n of ts.isNamespaceImport(b) ? [b.name] : b.elements.map((e) => e.name)) moduleNames.add(n.text);
    } else if (ts.isFunctionDeclaration(s) && s.name !== undefined) moduleNames.add(s.name.text);
  }
  sf.statements.forEach((s, i) => {
    if (first < 0 || i < first) {
      if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) for (const n of boundNames(d.name)) moduleNames.add(n);
      if ((ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name !== undefined) moduleNames.add(s.name.text);
      moduleScope.push(atModule(s));
      return;
    }
    const mods = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
    const isExport = mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    const isDefault = mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
    const isDeclare = mods?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
    if (
      isDeclare ||
      ts.isImportDeclaration(s) ||
      ts.isImportEqualsDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isFunctionDeclaration(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isEnumDeclaration(s) ||
      ts.isModuleDeclaration(s) ||
      ts.isEmptyStatement(s) ||
      (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && body.length === 0)
    ) {
      moduleScope.push(atModule(s));
    } else if (ts.isClassDeclaration(s) && s.name !== undefined && isInertClass(s, moduleNames)) {
      // Evaluating it runs no code of the module (no static initialisers, computed keys, decorators, and its
      // base is already defined): it stays a class declaration at module scope.
      moduleNames.add(s.name.text);
      moduleScope.push(atModule(s));
    } else if (ts.isClassDeclaration(s) && s.name !== undefined) {
      const name = s.name.text;
      (isExport && !isDefault ? exported : hoisted).push(name);
      if (isDefault) exportSpecifiers.push(f.createExportSpecifier(false, name, 'default'));
      const c = inMain(s);
      const expr = f.createClassExpression(
        c.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword),
        c.name,
        c.typeParameters,
        c.heritageClauses,
        c.members,
      );
      body.push(ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), expr)), s));
    } else if (ts.isVariableStatement(s) && !isUsing(s.declarationList)) {
      const v = inMain(s);
      const assigns: ts.Expression[] = [];
      for (const d of v.declarationList.declarations) {
        for (const n of boundNames(d.name)) (isExport ? exported : hoisted).push(n);
        if (d.initializer !== undefined) assigns.push(f.createAssignment(toAssignmentTarget(f, d.name), d.initializer));
      }
      if (assigns.length > 0) {
        const e = assigns.reduce((a, b) => f.createComma(a, b));
        body.push(ts.setTextRange(f.createExpressionStatement(f.createParenthesizedExpression(e)), s));
      }
    } else if (ts.isExportAssignment(s) && !s.isExportEquals) {
      const name = ctx.names.unique('__default');
      hoisted.push(name);
      exportSpecifiers.push(f.createExportSpecifier(false, name, 'default'));
      const e = inMain(s.expression);
      body.push(ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), e)), s));
    } else {
      body.push(inMain(s));
    }
  });

  // `var` inside top-level blocks and loops belongs to the module, not to the generator.
  const bodyVars: string[] = [];
  const liftedBody = body.map((s) => liftVars(f, s, bodyVars, rw));
  hoisted.push(...bodyVars.filter((n) => !hoisted.includes(n) && !exported.includes(n)));

  const out: ts.Statement[] = [...moduleScope];
  const letList = (names: string[]) =>
    f.createVariableDeclarationList(names.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let);
  if (exported.length > 0) {
    out.push(f.createVariableStatement([f.createModifier(ts.SyntaxKind.ExportKeyword)], letList(exported)));
  }
  if (hoisted.length > 0) out.push(f.createVariableStatement(undefined, letList(hoisted)));
  if (exportSpecifiers.length > 0) {
    out.push(f.createExportDeclaration(undefined, false, f.createNamedExports(exportSpecifiers)));
  }
  if (liftedBody.length > 0) {
    const gen = f.createFunctionExpression(
      undefined,
      f.createToken(ts.SyntaxKind.AsteriskToken),
      undefined,
      undefined,
      main.temps.map((t) => f.createParameterDeclaration(undefined, undefined, t)),
      undefined,
      f.createBlock(liftedBody, true),
    );
    out.push(
      f.createExpressionStatement(f.createAwaitExpression(f.createCallExpression(ctx.helper('runMain'), undefined, [gen]))),
    );
  }
  return out;
}

/** Does the statement contain a call or an iteration the analysis made green (outside nested functions)? */
export function mayBlock(a: FileAnalysis, s: ts.Node): boolean {
  let hit = false;
  const walk = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isFunctionLike(n) && !ts.isClassStaticBlockDeclaration(n)) return;
    const site = a.calls.get(n);
    if ((site !== undefined && site.kind !== 'plain') || (a.iterations.get(n) ?? 'plain') !== 'plain') {
      hit = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(s);
  return hit;
}

/** A class whose definition evaluates nothing but its own methods, and whose base (if any) is bound already. */
function isInertClass(c: ts.ClassDeclaration, moduleNames: Set<string>): boolean {
  if (ts.getDecorators(c)?.length) return false;
  for (const h of c.heritageClauses ?? []) {
    if (h.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    const base = h.types[0]?.expression;
    if (base === undefined || !ts.isIdentifier(base) || !moduleNames.has(base.text)) return false;
  }
  for (const m of c.members) {
    if (m.name !== undefined && ts.isComputedPropertyName(m.name)) return false;
    if (ts.isClassStaticBlockDeclaration(m)) return false;
    if (ts.isPropertyDeclaration(m) && (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) !== 0 && m.initializer !== undefined) return false;
    if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length) return false;
  }
  return true;
}

/** `using` / `await using` (their disposal is scoped to the body, so they stay inside it). */
function isUsing(l: ts.VariableDeclarationList): boolean {
  const k = l.flags & ts.NodeFlags.BlockScoped;
  return k === ts.NodeFlags.Using || k === ts.NodeFlags.AwaitUsing;
}

export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const e of name.elements) if (!ts.isOmittedExpression(e)) out.push(...boundNames(e.name));
  return out;
}

/** `{ a, b: [c = 1], ...d }` as a binding pattern → the same as an assignment target. */
export function toAssignmentTarget(f: ts.NodeFactory, name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return f.createIdentifier(name.text);
  if (ts.isObjectBindingPattern(name)) {
    return f.createObjectLiteralExpression(
      name.elements.map((e) => {
        const target = toAssignmentTarget(f, e.name);
        if (e.dotDotDotToken) return f.createSpreadAssignment(target);
        if (e.propertyName === undefined && ts.isIdentifier(e.name)) {
          return f.createShorthandPropertyAssignment(e.name.text, e.initializer);
        }
        const value = e.initializer !== undefined ? f.createAssignment(target, e.initializer) : target;
        return f.createPropertyAssignment(e.propertyName ?? (e.name as ts.Identifier).text, value);
      }),
    );
  }
  return f.createArrayLiteralExpression(
    name.elements.map((e) => {
      if (ts.isOmittedExpression(e)) return f.createOmittedExpression();
      const target = toAssignmentTarget(f, e.name);
      if (e.dotDotDotToken) return f.createSpreadElement(target);
      return e.initializer !== undefined ? f.createAssignment(target, e.initializer) : target;
    }),
  );
}

/** Turn `var` declarations (outside nested functions) into assignments, collecting their names. */
function liftVars(f: ts.NodeFactory, s: ts.Statement, names: string[], rw: Rewriter): ts.Statement {
  const isVar = (l: ts.Node): l is ts.VariableDeclarationList =>
    ts.isVariableDeclarationList(l) && (l.flags & ts.NodeFlags.BlockScoped) === 0;
  const declToExpr = (l: ts.VariableDeclarationList): ts.Expression | undefined => {
    const assigns: ts.Expression[] = [];
    for (const d of l.declarations) {
      names.push(...boundNames(d.name));
      if (d.initializer !== undefined) assigns.push(f.createAssignment(toAssignmentTarget(f, d.name), d.initializer));
    }
    return assigns.length === 0 ? undefined : assigns.reduce((a, b) => f.createComma(a, b));
  };
  const visit = (n: ts.Node): ts.Node | undefined => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return n;
    if (ts.isVariableStatement(n) && isVar(n.declarationList)) {
      const e = declToExpr(n.declarationList);
      return e === undefined ? f.createEmptyStatement() : ts.setTextRange(f.createExpressionStatement(e), n);
    }
    if ((ts.isForInStatement(n) || ts.isForOfStatement(n)) && isVar(n.initializer)) {
      const d = n.initializer.declarations[0];
      names.push(...boundNames(d.name));
      const target = toAssignmentTarget(f, d.name);
      const stmt = visit(n.statement) as ts.Statement;
      return ts.isForInStatement(n)
        ? f.updateForInStatement(n, target, n.expression, stmt)
        : f.updateForOfStatement(n, n.awaitModifier, target, n.expression, stmt);
    }
    if (ts.isForStatement(n) && n.initializer !== undefined && isVar(n.initializer)) {
      const e = declToExpr(n.initializer);
      return f.updateForStatement(
        n,
        e,
        n.condition,
        n.incrementor,
        visit(n.statement) as ts.Statement,
      );
    }
    return ts.visitEachChild(n, visit, rw.tctx);
  };
  return visit(s) as ts.Statement;
}
