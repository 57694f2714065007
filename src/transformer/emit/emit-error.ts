/**
 * A failure of the rewrite on one construct: carries the node, so the diagnostic (GL9004) names the construct
 * and its line instead of surfacing as a crash of the whole build.
 */
import ts from 'typescript';

export class EmitError extends Error {
  constructor(
    readonly node: ts.Node,
    readonly construct: string,
    override readonly cause: unknown,
  ) {
    super(`${construct}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'EmitError';
  }
}

/** What a node is, for messages: "the method run", "the arrow function", "a for-of loop", … */
export function describeNode(node: ts.Node): string {
  const name = (node as { name?: ts.Node }).name;
  const named = name !== undefined && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) ? ` ${name.text}` : '';
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) return `the function${named}`;
  if (ts.isArrowFunction(node)) return 'the arrow function';
  if (ts.isMethodDeclaration(node)) return `the method${named}`;
  if (ts.isConstructorDeclaration(node)) return 'the constructor';
  if (ts.isGetAccessor(node)) return `the getter${named}`;
  if (ts.isSetAccessor(node)) return `the setter${named}`;
  if (ts.isForOfStatement(node)) return 'a for-of loop';
  if (ts.isCallExpression(node)) return 'a call';
  if (ts.isSourceFile(node)) return 'the top level of the module';
  return `a ${ts.SyntaxKind[node.kind]}`;
}
