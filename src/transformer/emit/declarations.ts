/**
 * `afterDeclarations`: exported green declarations get `/** @blocking *\/` in the emitted .d.ts, so a package
 * compiled by greenlets against this one sees which of its functions may block (the same tag the runtime's
 * own primitives carry).
 */
import ts from 'typescript';
import type { FunctionLike } from '../analysis/types.js';
import type { AnalysisLookup } from './transformer.js';

export function createDeclarationsTransformer(getAnalysis: AnalysisLookup): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
  return (tctx) => (node) => {
    if (!ts.isSourceFile(node)) return node;
    const original = ts.getOriginalNode(node);
    const sf = ts.isSourceFile(original) ? original : node;
    const analysis = getAnalysis(sf);
    if (analysis === undefined || analysis.green.size === 0) return node;
    const isGreen = (n: ts.Node): boolean => analysis.green.has(n as FunctionLike);
    const greenValue = (d: ts.VariableDeclaration): boolean => {
      let e = d.initializer;
      while (e !== undefined && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
      return e !== undefined && isGreen(e);
    };
    // `@blocking cb`: green only through the callbacks it is given (analysis.conditional), so consumers passing
    // plain ones stay plain.
    const tag = <T extends ts.Node>(n: T, fn: ts.Node | undefined): T => {
      const names = fn !== undefined ? analysis.conditional?.get(fn as FunctionLike) : undefined;
      ts.addSyntheticLeadingComment(n, ts.SyntaxKind.MultiLineCommentTrivia, `* @blocking ${names ? names.join(' ') + ' ' : ''}`, true);
      return n;
    };
    const initializerOf = (d: ts.VariableDeclaration | ts.PropertyDeclaration): ts.Node | undefined => {
      let e = d.initializer;
      while (e !== undefined && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
      return e;
    };
    const visit = (n: ts.Node): ts.Node => {
      const o = ts.getOriginalNode(n);
      if (ts.isFunctionDeclaration(n) && isGreen(o)) return tag(n, o);
      if ((ts.isMethodDeclaration(n) || ts.isMethodSignature(n)) && isGreen(o)) return tag(n, o);
      if ((ts.isPropertyDeclaration(n) || ts.isPropertySignature(n)) && ts.isPropertyDeclaration(o) && o.initializer && isGreen(o.initializer)) return tag(n, initializerOf(o));
      if (ts.isVariableStatement(n) && ts.isVariableStatement(o) && o.declarationList.declarations.some(greenValue)) {
        return tag(n, o.declarationList.declarations.length === 1 ? initializerOf(o.declarationList.declarations[0]!) : undefined);
      }
      if (ts.isClassDeclaration(n) || ts.isModuleDeclaration(n) || ts.isModuleBlock(n)) return ts.visitEachChild(n, visit, tctx);
      return n;
    };
    return ts.visitEachChild(node, visit, tctx);
  };
}
