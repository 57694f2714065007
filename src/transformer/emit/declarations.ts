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
    const tag = <T extends ts.Node>(n: T): T => {
      ts.addSyntheticLeadingComment(n, ts.SyntaxKind.MultiLineCommentTrivia, '* @blocking ', true);
      return n;
    };
    const visit = (n: ts.Node): ts.Node => {
      const o = ts.getOriginalNode(n);
      if (ts.isFunctionDeclaration(n) && isGreen(o)) return tag(n);
      if ((ts.isMethodDeclaration(n) || ts.isMethodSignature(n)) && isGreen(o)) return tag(n);
      if ((ts.isPropertyDeclaration(n) || ts.isPropertySignature(n)) && ts.isPropertyDeclaration(o) && o.initializer && isGreen(o.initializer)) return tag(n);
      if (ts.isVariableStatement(n) && ts.isVariableStatement(o) && o.declarationList.declarations.some(greenValue)) return tag(n);
      if (ts.isClassDeclaration(n) || ts.isModuleDeclaration(n) || ts.isModuleBlock(n)) return ts.visitEachChild(n, visit, tctx);
      return n;
    };
    return ts.visitEachChild(node, visit, tctx);
  };
}
