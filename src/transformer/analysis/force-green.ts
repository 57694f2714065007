/**
 * The trivial analysis behind `forceGreen` (differential testing): every function that can be green is green,
 * every call inside green code is dynamic (the run-time GREEN test picks the protocol), every for-of, spread and
 * array destructuring is 'dynamic'. Needs no checker, so it also serves the single-file paths.
 */
import ts from 'typescript';
import type { FileAnalysis, FunctionLike, IterationKind, ProgramAnalysis } from './types.js';

/** Function-likes the rewrite can turn into generator form: not async, not generators, not accessors or
 * constructors (those stay plain; code inside them calls green functions plainly, which is correct unless
 * something actually blocks). */
export function canBeGreen(node: ts.Node): node is FunctionLike {
  if (
    !ts.isFunctionDeclaration(node) &&
    !ts.isFunctionExpression(node) &&
    !ts.isArrowFunction(node) &&
    !ts.isMethodDeclaration(node)
  ) {
    return false;
  }
  if (node.body === undefined) return false;
  if ((node as ts.FunctionLikeDeclarationBase).asteriskToken !== undefined) return false;
  if (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Async) return false;
  return true;
}

export function forceGreenAnalysis(sourceFile: ts.SourceFile): FileAnalysis {
  const result: FileAnalysis = {
    sourceFile,
    green: new Set(),
    calls: new Map(),
    iterations: new Map(),
    spawnAdapted: new Set(),
    topLevelBlocks: false,
    diagnostics: [],
  };
  const dynamic: IterationKind = 'dynamic';

  /** `inGreen`: the nearest enclosing function-like is green (or we are at the top level). */
  const visit = (node: ts.Node, inGreen: boolean, atTop: boolean): void => {
    if (ts.isFunctionLike(node)) {
      const green = canBeGreen(node);
      if (green) result.green.add(node);
      // Parameters (defaults cannot yield) and computed names (evaluated outside the body) stay plain.
      ts.forEachChild(node, (c) => visit(c, green && !ts.isParameter(c) && !ts.isComputedPropertyName(c), false));
      return;
    }
    if (ts.isComputedPropertyName(node) || ts.isDecorator(node)) {
      ts.forEachChild(node, (c) => visit(c, false, false));
      return;
    }
    // Class bodies: field initialisers and static blocks run in constructor-like contexts, never green.
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) {
      ts.forEachChild(node, (c) => visit(c, false, false));
      return;
    }
    if (inGreen) {
      if (ts.isCallExpression(node) && isRewritableCall(node)) {
        result.calls.set(node, { kind: 'dynamic' });
        if (atTop) result.topLevelBlocks = true;
      } else if (ts.isTaggedTemplateExpression(node)) {
        result.calls.set(node, { kind: 'dynamic' });
        if (atTop) result.topLevelBlocks = true;
      } else if (ts.isForOfStatement(node) && node.awaitModifier === undefined) {
        result.iterations.set(node, dynamic);
      } else if (ts.isSpreadElement(node)) {
        result.iterations.set(node, dynamic);
      } else if (ts.isArrayBindingPattern(node) && ts.isVariableDeclaration(node.parent) && node.parent.initializer) {
        if (!ts.isForOfStatement(node.parent.parent.parent)) result.iterations.set(node, dynamic);
      }
    }
    ts.forEachChild(node, (c) => visit(c, inGreen, atTop));
  };
  // Top-level code counts as green only in modules (it needs top-level await to run in the main greenlet).
  const isModule = ts.isExternalModule(sourceFile);
  ts.forEachChild(sourceFile, (c) => visit(c, isModule, true));
  return result;
}

/** `super(...)`, `import(...)` and direct `eval(...)` keep their meaning only when left alone. */
export function isRewritableCall(node: ts.CallExpression): boolean {
  const e = node.expression;
  if (e.kind === ts.SyntaxKind.SuperKeyword || e.kind === ts.SyntaxKind.ImportKeyword) return false;
  if (ts.isIdentifier(e) && e.text === 'eval') return false;
  return true;
}

/** The forceGreen program analysis: every file's forced analysis, made once per file. */
export function forcedProgramAnalysis(program: ts.Program): ProgramAnalysis {
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
