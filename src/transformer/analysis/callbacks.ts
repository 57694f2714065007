/**
 * What untransformed code does with a callback it is given (design.md §4), read from the callee's declared
 * parameter type — the declaration's own, uninstantiated, so a library's generic mapper `(x: T) => U` counts
 * as result-using even where U is inferred as void at this call:
 *   'void'      the result is ignored (`emitter.on`, `setTimeout`, `server.on('request')`): spawn per call;
 *   'awaited'   the result may be a thenable that is awaited (`promise.then`, `() => void | Promise<void>`):
 *               spawn per call too — the adapter returns the Greenlet, which is a thenable;
 *   'result'    the result is used (a `sort` comparator, a `replace` callback, a mapper): an error;
 *   'untyped'   `any`, `Function`, `(...args: any[]) => any`: spawn per call, with a warning (a result typed `any`
 *               from a signature whose parameters are typed, as JSON.parse's reviver, is 'result');
 *   'executor'  the executor of `new Promise`: it runs inside the constructor, whose throw would be lost.
 * Where the declared type is not a function type (an overloaded conditional type such as EventEmitter's
 * Listener1<K, T>), the instantiated contextual type at the argument decides.
 */
import ts from 'typescript';

export type CallbackUse = 'void' | 'awaited' | 'result' | 'untyped' | 'executor';

const RANK: Record<Exclude<CallbackUse, 'executor'>, number> = { void: 0, awaited: 1, untyped: 2, result: 3 };

export function callbackUse(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, argIndex: number, arg: ts.Expression): CallbackUse {
  const decl = checker.getResolvedSignature(call)?.declaration;
  if (ts.isNewExpression(call) && argIndex === 0 && decl && isPromiseConstructor(decl)) return 'executor';
  const declared = decl && !ts.isJSDocSignature(decl) ? declaredParameterType(checker, decl, argIndex) : undefined;
  let use = declared !== undefined ? useOfType(checker, declared, 0) : undefined;
  if (use === undefined) {
    const ctx = checker.getContextualType(arg);
    if (ctx !== undefined) use = useOfType(checker, ctx, 0);
  }
  return use ?? 'untyped';
}

/**
 * The same question for a function given as property `name` of an object literal written as argument `argIndex`
 * (`configure({ onEvent })`), read from the property's type in the declared parameter type. Undefined when the
 * declaration does not make the property a function (a generic `Object.assign(t, u: U)`, `freeze<T>(o: T)`, an
 * `any`/`unknown` parameter or property such as a descriptor's `value`): the object is data the callee keeps or
 * hands back, and a function in it is called by whoever gets it — it is left as it is.
 */
export function propertyCallbackUse(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, argIndex: number, literal: ts.ObjectLiteralExpression, name: string): CallbackUse | undefined {
  const decl = checker.getResolvedSignature(call)?.declaration;
  const declared = decl && !ts.isJSDocSignature(decl) ? declaredParameterType(checker, decl, argIndex) : undefined;
  const t = declared !== undefined ? propertyType(checker, declared, name) : undefined;
  if (t === undefined || t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const use = useOfType(checker, t, 0);
  if (use !== undefined) return use;
  // A property typed by a conditional type: its instantiation at this literal says.
  const ctx = checker.getContextualType(literal);
  const inCtx = ctx !== undefined ? propertyType(checker, ctx, name) : undefined;
  return inCtx !== undefined && !(inCtx.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? useOfType(checker, inCtx, 0) : undefined;
}

/** The type of property `name` in an object type (a type parameter's constraint; the non-null part of an
 * optional parameter), or undefined where the type has no such property. */
function propertyType(checker: ts.TypeChecker, t: ts.Type, name: string): ts.Type | undefined {
  let o = checker.getNonNullableType(t);
  if (o.flags & ts.TypeFlags.TypeParameter) o = checker.getBaseConstraintOfType(o) ?? o;
  if (o.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return undefined;
  const prop = checker.getPropertyOfType(checker.getApparentType(o), name);
  if (prop !== undefined) return checker.getTypeOfSymbol(prop);
  return checker.getIndexInfoOfType(o, ts.IndexKind.String)?.type;
}

function isPromiseConstructor(decl: ts.Declaration): boolean {
  const p = decl.parent;
  return p !== undefined && ts.isInterfaceDeclaration(p) && p.name.text === 'PromiseConstructor';
}

/** The type of the parameter receiving argument `argIndex`, as the chosen overload declares it. */
export function declaredParameterType(checker: ts.TypeChecker, decl: ts.SignatureDeclaration, argIndex: number): ts.Type | undefined {
  const params = decl.parameters;
  let p: ts.ParameterDeclaration | undefined = params[argIndex];
  let rest = false;
  if (p === undefined || p.dotDotDotToken) {
    const last = params[params.length - 1];
    if (!last?.dotDotDotToken) return undefined;
    p = last;
    rest = true;
  }
  const sym = ts.isIdentifier(p.name) ? checker.getSymbolAtLocation(p.name) : undefined;
  const t = sym ? checker.getTypeOfSymbol(sym) : p.type ? checker.getTypeFromTypeNode(p.type) : undefined;
  if (t === undefined || !rest) return t;
  // `...listeners: Array<() => void>`: the element type.
  return checker.getIndexTypeOfType(t, ts.IndexKind.Number) ?? undefined;
}

function isThenable(checker: ts.TypeChecker, t: ts.Type): boolean {
  const then = checker.getPropertyOfType(t, 'then');
  return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
}

/** How a callback of type `t` has its result used; undefined: the type does not say (no call signatures). */
function useOfType(checker: ts.TypeChecker, t: ts.Type, depth: number): Exclude<CallbackUse, 'executor'> | undefined {
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'untyped';
  if (depth > 4) return undefined;
  const nn = checker.getNonNullableType(t);
  if (nn.flags & ts.TypeFlags.TypeParameter) {
    const c = checker.getBaseConstraintOfType(nn);
    return c && c !== nn ? useOfType(checker, c, depth + 1) : 'untyped';
  }
  let sigs = nn.getCallSignatures();
  if (sigs.length === 0 && nn.isUnion()) {
    // `((a: A) => void) | ((a: A, b: B) => void)`: the most demanding member decides.
    let worst: Exclude<CallbackUse, 'executor'> | undefined;
    for (const u of nn.types) {
      const k = useOfType(checker, u, depth + 1);
      if (k !== undefined && (worst === undefined || RANK[k] > RANK[worst])) worst = k;
    }
    return worst;
  }
  if (sigs.length === 0) {
    const name = nn.getSymbol()?.name;
    if (name === 'Function' || name === 'CallableFunction') return 'untyped';
    if (nn.flags & ts.TypeFlags.NonPrimitive) return 'untyped';
    return undefined;
  }
  let worst: Exclude<CallbackUse, 'executor'> = 'void';
  for (const s of sigs) {
    let k = useOfReturn(checker, s.getReturnType());
    // `(key: string, value: any) => any` in TypeScript's own lib (JSON.parse's reviver, JSON.stringify's
    // replacer): a built-in whose result is `any` uses it. Elsewhere an `any` result usually means "whatever you
    // return is ignored" (a test framework's `it(name, (ctx) => any)`), so it stays untyped.
    if (k === 'untyped' && s.getReturnType().flags & ts.TypeFlags.Any && inDefaultLib(s) && hasTypedParameter(checker, s)) k = 'result';
    if (RANK[k] > RANK[worst]) worst = k;
  }
  return worst;
}

function inDefaultLib(s: ts.Signature): boolean {
  return s.getDeclaration()?.getSourceFile().hasNoDefaultLib === true;
}

function hasTypedParameter(checker: ts.TypeChecker, s: ts.Signature): boolean {
  return s.getParameters().some((p) => !(checker.getTypeOfSymbol(p).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)));
}

function useOfReturn(checker: ts.TypeChecker, r: ts.Type): Exclude<CallbackUse, 'executor'> {
  if (r.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'untyped';
  const members = r.isUnion() ? r.types : [r];
  let thenable = false;
  let other = false;
  for (const m of members) {
    if (m.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) continue;
    if (m.flags & ts.TypeFlags.Object && isThenable(checker, m)) thenable = true;
    else other = true;
  }
  // `TResult | PromiseLike<TResult>` (Promise.then): whatever it returns is awaited as a thenable.
  if (thenable) return 'awaited';
  return other ? 'result' : 'void';
}
