/** State shared by the pieces of the rewrite for one source file. */
import ts from 'typescript';
import type { FileAnalysis, FunctionLike } from '../analysis/types.js';
import type { GreenletsDiagnostic, TransformOptions } from '../api.js';
import { diagnosticAt } from '../diagnostics.js';
import { Names } from './names.js';

export const DEFAULT_RUNTIME_MODULE = 'greenlets/emitted';

/** The green function whose generator body is being written. */
export class GenState {
  readonly temps: string[] = [];
  /** Inside a green arrow: what `arguments` is renamed to (the enclosing function's, captured). */
  argumentsAlias: string | undefined;
  argumentsUsed = false;
  constructor(
    private readonly prefix: string,
    readonly node: ts.Node,
  ) {}
  /** A fresh temporary of this function (declared as a trailing parameter, so no line is added). */
  temp(): ts.Identifier {
    const name = `${this.prefix}${this.temps.length}`;
    this.temps.push(name);
    return ts.factory.createIdentifier(name);
  }
}

export class EmitContext {
  readonly factory = ts.factory;
  readonly names: Names;
  readonly diagnostics: GreenletsDiagnostic[] = [];
  /** `__gl`: the namespace the runtime helpers are imported under. */
  readonly rt: string;
  readonly tempPrefix: string;
  /** Set when a helper was referenced, so the import is added. */
  usedRuntime = false;
  private readonly genNames = new Map<ts.FunctionDeclaration, string>();

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly analysis: FileAnalysis,
    readonly options: TransformOptions,
    readonly esm: boolean,
  ) {
    this.names = new Names(sourceFile);
    this.rt = this.names.unique('__gl');
    this.tempPrefix = this.names.prefix('__t');
  }

  get runtimeModule(): string {
    return this.options.runtimeModule ?? DEFAULT_RUNTIME_MODULE;
  }

  /** `__gl.name` */
  helper(name: string): ts.Expression {
    this.usedRuntime = true;
    return this.factory.createPropertyAccessExpression(this.factory.createIdentifier(this.rt), name);
  }

  /** `x[__gl.GREEN]` */
  greenOf(x: ts.Expression): ts.Expression {
    return this.factory.createElementAccessExpression(x, this.helper('GREEN'));
  }

  isGreen(node: ts.Node): boolean {
    return this.analysis.green.has(node as FunctionLike);
  }

  /** The generator's name beside a green function declaration (`f$green`). */
  genName(decl: ts.FunctionDeclaration): string {
    let n = this.genNames.get(decl);
    if (n === undefined) {
      n = this.names.unique(`${decl.name?.text ?? 'default'}$green`);
      this.genNames.set(decl, n);
    }
    return n;
  }

  report(node: ts.Node, code: string, category: 'error' | 'warning' | 'info', message: string): void {
    this.diagnostics.push(diagnosticAt(node, code, category, message, this.sourceFile));
  }
}

export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Parentheses and TypeScript-only wrappers (`as`, `satisfies`, `!`, `<T>x`): none of them changes the value,
 * and a call through `(o.m as any)(x)` still passes `o` as `this`. */
export function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else if (ts.isExpressionWithTypeArguments(e)) {
      e = e.expression;
    } else return e;
  }
}

/** `(yield* e)`: parenthesised, so it can stand anywhere an expression can. */
export function yieldStar(e: ts.Expression): ts.Expression {
  const f = ts.factory;
  return f.createParenthesizedExpression(f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), e));
}
