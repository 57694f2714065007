/**
 * Who is green: a worklist fixed point over the call graph the collector built. A value becomes green (roots
 * are green from the start; a bound function when what it binds is); every call site that may target it
 * becomes "hot" (after the TypeScript types agree the target could be called there); a hot site or a blocking
 * iteration makes its container block — a function-like becomes green and its own value joins the worklist.
 * Linear in sites x green targets. Then each site inside blocking code gets its CallKind, and callbacks into
 * untransformed code and thread-blocking calls are checked.
 */
import ts from 'typescript';
import type { GreenletsDiagnostic, PatchOptions } from '../api.js';
import type { CallKind, CallSite, FunctionLike, IterationKind } from './types.js';
import { skipOuter, type Collector } from './collect.js';
import { BLOCKING_ITERABLE, type Container, type Iteration, type Reason, type Site } from './model.js';
import { analysisDiagnostic, type AnalysisCode } from './codes.js';
import { higherOrderBuiltin, threadBlocker, type BuiltinCall } from './builtins.js';
import { callbackUse, propertyCallbackUse, type CallbackUse } from './callbacks.js';
import { findEscapingIterables } from './escaping-iterables.js';
import { containerName, location, valueName } from './names.js';
import type { Position } from './positions.js';

const BAD_CONTAINER_CODES: Partial<Record<Container['kind'], AnalysisCode>> = {
  getter: 'GL1010',
  setter: 'GL1011',
  ctor: 'GL1012',
  field: 'GL1013',
  async: 'GL1014',
  generator: 'GL1015',
  static: 'GL1016',
  default: 'GL1017',
  script: 'GL1019',
};

const CALLBACK_CODES: Record<CallbackUse, AnalysisCode> = {
  void: 'GL1002',
  awaited: 'GL1004',
  untyped: 'GL1003',
  result: 'GL1001',
  executor: 'GL1005',
};

export class Solver {
  readonly iterationKinds = new Map<Iteration, IterationKind>();
  readonly diagnostics = new Map<ts.SourceFile, GreenletsDiagnostic[]>();
  readonly spawnAdapted = new Map<ts.SourceFile, Set<ts.Expression>>();
  /** `f.bind(...)` calls whose receiver may be green, per file. */
  readonly greenBinds = new Map<ts.SourceFile, Set<ts.CallExpression>>();
  /** Sites to (re)evaluate: a target of theirs became green or blocks on more arguments. */
  private work: Site[] = [];
  private queued = new Set<Site>();
  /** value → sites that may reach it through the flow (callee, callback, or an argument at a blocking position). */
  private revValue = new Map<number, Site[]>();
  /** value → sites whose fixed (static) targets include it. */
  private revStatic = new Map<number, Site[]>();
  /** Argument positions per site whose values are already indexed in revValue. */
  private argIndexed = new Map<Site, Set<Position>>();
  private greenValues = new Set<number>();

  constructor(
    private col: Collector,
    private patch: boolean | PatchOptions | undefined,
  ) {}

  private get checker(): ts.TypeChecker {
    return this.col.checker;
  }

  /** Green: a root, a green function-like (whether it always blocks or only when given green callbacks), or a
   * bound function of one. Green values are what calls test for at run time. */
  isGreenValue(v: number): boolean {
    const val = this.col.values[v]!;
    if (val.kind === 'root' || val.kind === 'outside') return true;
    if (val.kind === 'bound') return this.isGreenValue(val.target);
    if (val.kind === 'iterable') return false;
    const c = val.container;
    return c !== undefined && c.kind === 'fn' && c.blocks;
  }

  /** What outside callers of a library pass (or a bound function of it): green only for greenlets callers. */
  private isOutside(v: number): boolean {
    const val = this.col.values[v]!;
    return val.kind === 'outside' || (val.kind === 'bound' && this.isOutside(val.target));
  }

  /**
   * A library's outside callers (design.md §2, "library builds"): what they pass is green only for callers
   * compiled by greenlets, and those see only the tags of the .d.ts. The only tag that can say "green when given
   * a green function" is `@blocking <param>` on a function, so `outside` makes a container block only through a
   * call of its own parameter in a function that can be green. Reaching a call any other way (stored in a
   * field, captured by a closure, called in an async function or a constructor) it changes nothing: the
   * consumer sees an untagged parameter and adapts its green function (spawn per call) or is told it cannot.
   */
  private outsideIgnored(c: Container, v: number, position: Position | undefined): boolean {
    return this.isOutside(v) && (position === undefined || c.kind !== 'fn');
  }

  solve(): void {
    const { col } = this;
    // Index first: making something green schedules the sites that may reach it.
    for (const site of col.sites) {
      if (site.root || site.functionMethod === 'bind') continue;
      for (const t of this.staticTargets(site)) index(this.revStatic, t, site);
      for (const t of this.flowTargets(site)) index(this.revValue, t, site);
      if (site.builtin) for (const t of col.flow.values(site.args[site.builtin.callback] ?? -1)) index(this.revValue, t, site);
    }
    for (const c of col.rootContainers) this.apply(c, undefined, { kind: 'tagged' });
    for (let v = 0; v < col.values.length; v++) {
      const k = col.values[v]!.kind;
      if (k === 'root' || k === 'outside') this.valueTurnedGreen(v);
    }
    for (const it of col.iterations) this.decideIteration(it);
    for (const site of col.sites) {
      if (site.root?.when) {
        // A root that blocks only when given green functions (a library's `@blocking cb`): as a static call.
        for (const q of site.root.when) for (const v of col.flow.values(this.argAt(site, q).node)) index(this.revValue, v, site);
        this.schedule(site);
      } else if (site.root) {
        site.hot = true;
        site.hotTarget = col.rootValue(site.root.symbol);
        this.apply(site.container, undefined, { kind: 'call', site, target: site.hotTarget });
      } else if (site.collectsBlocking) {
        const arg0 = (site.node as ts.CallExpression).arguments[0]!;
        const byType = this.isBlockingIterable(arg0);
        if (byType || this.receivesBlockingIterable(arg0, site.args[0] ?? -1)) {
          site.builtin ??= higherOrderBuiltin('ArrayConstructor', 'from');
          site.hot = true;
          this.apply(site.container, byType ? undefined : col.paramPosition(arg0, site.container), { kind: 'call', site, target: -1 });
        }
      }
    }
    while (this.work.length > 0) {
      const site = this.work.pop()!;
      this.queued.delete(site);
      this.evaluate(site);
    }
    for (const c of col.containers) if (c.blocks && BAD_CONTAINER_CODES[c.kind]) this.reportBadContainer(c);
    this.checkBinds();
    this.checkConstructs();
    this.checkCallbacks();
    findEscapingIterables(this.col, (site, arg) => {
      const text = arg.getText(site.container.sourceFile).replace(/\s+/g, ' ');
      const args = { arg: text.length <= 40 ? text : text.slice(0, 37) + '...', callee: this.calleeText(site) };
      this.report(analysisDiagnostic(arg, 'GL1006', args), site.container.sourceFile);
    });
    this.checkThreadBlockers();
  }

  /** Targets a site calls for sure (a function declaration, a const function, a class method and its overrides). */
  private staticTargets(site: Site): readonly number[] {
    if (site.fixed) return site.fixed;
    return site.static ? [...this.col.flow.values(site.callee)] : [];
  }

  /** Targets the field-based flow says a site may call (the callee's type filters them, see calleeAllows). */
  private flowTargets(site: Site): Iterable<number> {
    if (site.fixed && !site.reassignable) return [];
    if (!site.fixed && site.static) return [];
    const values = this.col.flow.values(site.callee);
    return site.outsideCallee ? [...values, this.col.outside] : values;
  }

  private schedule(site: Site): void {
    if (this.queued.has(site)) return;
    this.queued.add(site);
    this.work.push(site);
  }

  private valueTurnedGreen(v: number): void {
    if (this.greenValues.has(v)) return;
    this.greenValues.add(v);
    for (const s of this.revValue.get(v) ?? []) this.schedule(s);
    for (const s of this.revStatic.get(v) ?? []) this.schedule(s);
    for (const b of this.col.boundOf.get(v) ?? []) this.valueTurnedGreen(b);
  }

  /**
   * Record that `c` blocks: always (position undefined), or when its caller passes a green function at
   * argument `position`. Containers that cannot be green (constructors, getters …) take either as "blocks".
   */
  private apply(c: Container, position: Position | undefined, reason: Reason): void {
    if (position !== undefined && c.kind !== 'fn') position = undefined;
    if (position === undefined) {
      if (c.always) return;
      c.always = true;
      c.reason = reason;
    } else {
      if (c.always) return;
      c.condOn ??= new Map();
      if (c.condOn.has(position)) return;
      c.condOn.set(position, reason);
      c.reason ??= reason;
    }
    c.blocks = true;
    if (c.kind === 'fn' && c.value >= 0) {
      // Static callers re-check what they pass; indirect ones see a new green value.
      for (const s of this.revStatic.get(c.value) ?? []) this.schedule(s);
      this.valueTurnedGreen(c.value);
    }
  }

  /** Does this site make its container block, given what is green now? */
  private evaluate(site: Site): void {
    const c = site.container;
    const { col } = this;
    if (site.root?.when) {
      const root = col.rootValue(site.root.symbol);
      for (const q of site.root.when) {
        // `@blocking xs` of a library compiled by greenlets: it blocks when given a green function or a
        // blocking iterable there (it iterates xs).
        const given = this.givenAt(site, q, c, (x, expr) => x === BLOCKING_ITERABLE || !expr || col.typing.accepts(col.typing.typeAt(expr), x), true);
        if (given === undefined) continue;
        const { value: v, pos } = given;
        if (this.outsideIgnored(c, v, pos)) continue;
        if (pos !== undefined) this.hit(site, root, pos, { kind: 'param', site, position: pos, value: v });
        else this.hit(site, root, undefined, { kind: 'call', site, target: root, passes: { value: v, position: q } });
        if (c.always) return;
      }
      return;
    }
    if (site.builtin) {
      const cb = builtinArgument(site, site.builtin.callback);
      const v = this.firstGreen(col.flow.values(site.args[site.builtin.callback] ?? -1), (t) => this.callbackAllows(site, t));
      if (v === undefined) return;
      const pos = this.positionOf(cb, c, v);
      if (this.outsideIgnored(c, v, pos)) return;
      site.hot = true;
      site.hotTarget = v;
      this.apply(c, pos, pos === undefined ? { kind: 'callback', site, target: v } : { kind: 'param', site, position: pos, value: v });
      return;
    }
    for (const t of this.staticTargets(site)) {
      const tc = this.containerOfValue(t);
      if (tc === undefined || !tc.blocks) continue;
      if (this.isOutside(t)) {
        const pos = col.paramPosition(site.calleeExpr, c);
        if (!this.outsideIgnored(c, t, pos)) this.hit(site, t, pos, { kind: 'param', site, position: pos!, value: t });
        continue;
      }
      if (tc.always || col.values[t]!.kind === 'root') {
        this.hit(site, t, undefined, { kind: 'call', site, target: t });
        return;
      }
      // t blocks only when given green functions at some positions: does this call give it one?
      for (const [q] of tc.condOn ?? []) {
        const arg = this.argAt(site, q);
        if (arg.node < 0 && arg.holder === undefined) continue;
        let done = this.argIndexed.get(site);
        if (!done) this.argIndexed.set(site, (done = new Set()));
        if (!done.has(q) && arg.node >= 0) {
          done.add(q);
          for (const v of col.flow.values(arg.node)) index(this.revValue, v, site);
        }
        // What reaches the parameter narrows what the argument may pass (a property position: no parameter node).
        const pn = typeof q === 'number' ? col.paramNodeAt((tc.node as FunctionLike), q) : -1;
        const into = col.flow.values(pn);
        // A green function there (t calls its parameter), or a blocking iterable (t iterates it).
        const given = this.givenAt(site, q, c, (x) => pn < 0 || into.has(x));
        if (given === undefined) continue;
        const { value: v, pos } = given;
        if (this.outsideIgnored(c, v, pos)) continue;
        if (pos !== undefined) this.hit(site, t, pos, { kind: 'param', site, position: pos, value: v });
        else this.hit(site, t, undefined, { kind: 'call', site, target: t, passes: { value: v, position: q } });
        if (c.always) return;
      }
    }
    const v = this.firstGreen(this.flowTargets(site), (t) => this.calleeAllows(site, t));
    if (v !== undefined) {
      const pos = this.positionOf(site.calleeExpr, c, v);
      if (this.outsideIgnored(c, v, pos)) return;
      this.hit(site, v, pos, pos === undefined ? { kind: 'call', site, target: v } : { kind: 'param', site, position: pos, value: v });
    }
  }

  /**
   * The container's own position that `expr` (passing the blocking value `v` on) is, if the container blocks
   * only when its callers pass one there. A parameter whose own type is a blocking iterable (`q: Queue<T>`) is
   * one whatever the callers pass: the container blocks always.
   */
  private passedPosition(expr: ts.Expression | undefined, c: Container, v: number): Position | undefined {
    if (v === BLOCKING_ITERABLE && expr !== undefined && this.isBlockingIterable(expr)) return undefined;
    return this.positionOf(expr, c, v);
  }

  private hit(site: Site, target: number, position: Position | undefined, reason: Reason): void {
    site.hot = true;
    site.hotTarget ??= target;
    this.apply(site.container, position, reason);
  }

  private containerOfValue(v: number): Container | undefined {
    const val = this.col.values[v]!;
    if (val.kind === 'root' || val.kind === 'outside') return { blocks: true, always: true } as Container;
    if (val.kind === 'bound') return this.containerOfValue(val.target);
    return val.kind === 'iterable' ? undefined : val.container;
  }

  /**
   * A green function (or blocking iterable) this call may give its callee at position q (that `ok` accepts), and the position of c's it
   * comes from (undefined: c's own). `retry(fn, options)` passing on c's own parameter gives at `options.onRetry`
   * whatever c's caller put there: the property position of c's — also for what c's outside callers pass.
   */
  private givenAt(
    site: Site,
    q: Position,
    c: Container,
    ok: (v: number, expr?: ts.Expression) => boolean,
    iterableByType = false,
  ): { value: number; pos: Position | undefined } | undefined {
    const { col } = this;
    const arg = this.argAt(site, q);
    // A green function, or a blocking iterable (flowing there, or with `iterableByType`, typed as one).
    let value =
      this.firstGreen(col.flow.values(arg.node), (x) => ok(x, arg.expr), true) ??
      (iterableByType && arg.expr && this.isBlockingIterable(arg.expr) ? BLOCKING_ITERABLE : undefined);
    let pos = value === undefined ? undefined : this.passedPosition(arg.expr, c, value);
    if (arg.holder !== undefined && typeof q !== 'number') {
      const whole = col.paramPosition(arg.holder, c);
      if (typeof whole === 'number' && !col.propertyAssigned(q.prop)) {
        if (value === undefined && col.openToOutside(c)) value = col.outside;
        if (value !== undefined) pos = col.positions.get(whole, q.prop);
      }
    }
    return value === undefined ? undefined : { value, pos };
  }

  /**
   * Where `expr` (a callee, a callback, an argument passed on) comes from in `c` when it holds `v`: a position of
   * c's (an argument, or a property of one), or undefined — c's own value, which blocks whatever its caller
   * passes (also a binding's default value, `{ onRetry = blockingDefault }`).
   */
  private positionOf(expr: ts.Expression | undefined, c: Container, v: number): Position | undefined {
    const pos = this.col.paramPosition(expr, c);
    return pos !== undefined && typeof pos !== 'number' && this.col.defaultHolds(expr, v) ? undefined : pos;
  }

  /**
   * The argument a call passes at position q: its flow node and expression (a spread gives elements). For a
   * property position, the property of an object literal written there (`retry(f, { onRetry })`); of any other
   * argument, every `.onRetry` (field-based: more than it passes, never less).
   */
  private argAt(site: Site, q: Position): { node: number; expr?: ts.Expression; holder?: ts.Expression } {
    if (typeof q !== 'number') {
      const arg = this.argAt(site, q.index);
      if (arg.node < 0 && arg.expr === undefined) return { node: -1 }; // no such argument: it passes nothing
      const lit = arg.expr && skipOuter(arg.expr);
      if (lit && ts.isObjectLiteralExpression(lit) && lit.properties.every((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
        const p = site.objectArgs?.find((o) => o.literal === lit && o.name === q.prop);
        return p ? { node: p.node, expr: p.expr } : { node: -1 };
      }
      return { node: this.col.propertyNode(q.prop), holder: arg.expr };
    }
    if (site.spreadFrom !== undefined && q >= site.spreadFrom) return { node: site.args[site.spreadFrom] ?? this.col.elements.all };
    const args = ts.isCallExpression(site.node) || ts.isNewExpression(site.node) ? (site.node.arguments ?? []) : [];
    const shift = site.functionMethod === 'call' ? 1 : 0;
    return { node: site.args[q] ?? -1, expr: args[q + shift] };
  }

  /** A green value among `values` that `ok` accepts, a function of this program rather than `outside` when both;
   * with `iterables`, BLOCKING_ITERABLE counts too. */
  private firstGreen(values: Iterable<number>, ok: (v: number) => boolean, iterables = false): number | undefined {
    let outside: number | undefined;
    for (const v of values) {
      if (!(this.isGreenValue(v) || (iterables && v === BLOCKING_ITERABLE)) || !ok(v)) continue;
      if (!this.isOutside(v)) return v;
      outside ??= v;
    }
    return outside;
  }

  /** Field-based flow merges every `m` property; the callee's declared type narrows the targets back. */
  private calleeAllows(site: Site, v: number): boolean {
    if (!site.calleeExpr || (site.fixed && site.fixed.includes(v))) return true;
    return this.col.typing.accepts(this.col.typing.typeAt(site.calleeExpr), v);
  }

  private callbackAllows(site: Site, v: number): boolean {
    const arg = builtinArgument(site, site.builtin!.callback);
    return arg === undefined || this.col.typing.accepts(this.col.typing.typeAt(arg), v);
  }

  // ---- call kinds --------------------------------------------------------------------------------------

  /**
   * How a call inside green code is emitted (undefined: plain). Independent of whether this call makes its
   * container block: a call of a green function from green code goes through its generator even when the
   * arguments make it not suspend (cheaper than the plain protocol's runPlain).
   */
  callSite(site: Site): CallSite | undefined {
    const { col } = this;
    if (site.functionMethod === 'bind') {
      return this.bindIsGreen(site) ? { kind: 'green', builtin: 'Function.prototype.bind' } : undefined;
    }
    if (site.root) return { kind: site.root.kind };
    if (site.builtin) {
      if (site.collectsBlocking && site.hot && site.hotTarget === undefined) return { kind: 'green', builtin: site.builtin.name };
      const cb = this.firstGreen(col.flow.values(site.args[site.builtin.callback] ?? -1), (t) => this.callbackAllows(site, t));
      if (cb === undefined && !(site.collectsBlocking && site.hot)) return this.unbounded(site);
      const kind = this.callbackDefinitelyGreen(site, site.builtin) ? 'green' : 'dynamic';
      return site.applied ? { kind, builtin: site.builtin.name, applied: site.applied.how } : { kind, builtin: site.builtin.name };
    }
    const fixed = this.staticTargets(site);
    const anyGreen = fixed.some((t) => this.isGreenValue(t)) || this.firstGreen(this.flowTargets(site), (t) => this.calleeAllows(site, t)) !== undefined;
    if (!anyGreen) return this.unbounded(site);
    if (site.functionMethod) return { kind: 'dynamic', builtin: `Function.prototype.${site.functionMethod}` };
    if (site.static && !site.reassignable && fixed.length > 0 && (site.fixed !== undefined || fixed.length === 1) && fixed.every((t) => this.isGreenValue(t))) {
      const kind: CallKind = 'green';
      const only = fixed.length === 1 ? col.values[fixed[0]!]! : undefined;
      if (only?.kind === 'fn' && ts.isFunctionDeclaration(only.node) && !site.fixed && inScopeOf(only.node, site.node)) {
        return { kind, direct: only.node };
      }
      return { kind };
    }
    return { kind: 'dynamic' };
  }

  /** No green target known: plain, unless the callee cannot be bounded at all (`any`, `Function`) — then test
   * [GREEN] at run time, correctness first. */
  private unbounded(site: Site): CallSite | undefined {
    if (!site.calleeExpr || site.node.kind === ts.SyntaxKind.NewExpression || site.external || site.fixed) return undefined;
    const t = this.col.typing.typeAt(site.calleeExpr);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'dynamic' };
    if (isUntypedFunction(this.checker.getNonNullableType(t))) {
      return site.functionMethod ? { kind: 'dynamic', builtin: `Function.prototype.${site.functionMethod}` } : { kind: 'dynamic' };
    }
    return undefined;
  }

  /** May `f.bind(...)` bind a green function? What a library's outside callers pass counts only in green code:
   * plain code of a library keeps its own `bind` (its outside callers adapt what they pass, see outsideIgnored). */
  private bindIsGreen(site: Site): boolean {
    for (const t of this.col.flow.values(site.callee)) {
      if (this.isOutside(t) && !site.container.blocks) continue;
      if (this.isGreenValue(t) && this.calleeAllows(site, t)) return true;
    }
    return false;
  }

  private callbackDefinitelyGreen(site: Site, b: BuiltinCall): boolean {
    if (site.collectsBlocking && site.hot && site.hotTarget === undefined) return true;
    const arg = builtinArgument(site, b.callback);
    if (!arg) return true;
    const e = skipOuter(arg);
    if (!ts.isArrowFunction(e) && !ts.isFunctionExpression(e)) return false;
    const c = this.col.containerOf.get(e);
    return c !== undefined && c.kind === 'fn' && c.blocks;
  }

  iterationKind(it: Iteration): IterationKind {
    return this.iterationKinds.get(it) ?? 'plain';
  }

  // ---- diagnostics -------------------------------------------------------------------------------------

  private report(d: GreenletsDiagnostic, sf: ts.SourceFile): void {
    let list = this.diagnostics.get(sf);
    if (!list) this.diagnostics.set(sf, (list = []));
    list.push(d);
  }

  private reportBadContainer(c: Container): void {
    const code = BAD_CONTAINER_CODES[c.kind]!;
    const r = c.reason!;
    let at: ts.Node;
    let target: string;
    if (r.kind === 'iteration') {
      at = r.iteration.node;
      target = 'a blocking iterable';
    } else if (r.kind === 'tagged') {
      at = c.node;
      target = 'itself';
    } else {
      at = r.site.node;
      const t = r.kind === 'param' ? r.value : r.target;
      target = t >= 0 ? valueName(this.col.values[t]!) : 'a blocking iterable';
    }
    let name = containerName(c);
    if (c.kind === 'ctor' || c.kind === 'static') name = name.replace(/^constructor of /, '');
    else if (c.kind === 'getter' || c.kind === 'setter') name = name.split('.').pop()!;
    else if (c.kind === 'script') name = c.sourceFile.fileName;
    this.report(analysisDiagnostic(at, code, { name, target, where: location(at), ...this.fixArgs(c, r, target) }), c.sourceFile);
  }

  /** The parts of a bad container's fix that depend on what it calls and where (GL1014's call, GL1017's). */
  private fixArgs(c: Container, r: Reason, target: string): Record<string, string> {
    if (c.kind === 'async') {
      // waitFor itself: async code has its own way to wait for a promise.
      if (r.kind === 'call' && r.site.root && target === 'waitFor') return { fix: 'async code waits for a promise with `await`: write `await promise` instead of `waitFor(promise)`' };
      const spawnFix = (call: string) => ({ fix: `run it in a greenlet and await that: \`await spawn(() => ${call})\` (greenlets are thenables)` });
      // `spawn(() => fetchIt(...))` when the target has a callable name; else the call as written.
      if (/^[\w$]+$/.test(target)) return spawnFix(`${target}(...)`);
      if (r.kind === 'call' || r.kind === 'param' || r.kind === 'callback') {
        const n = r.site.node;
        const callee = ts.isCallExpression(n) || ts.isNewExpression(n) ? n.expression : n.tag;
        const text = callee.getText(c.sourceFile).replace(/\s+/g, ' ');
        return spawnFix(text.length <= 40 ? `${text}(...)` : 'the blocking call');
      }
      return spawnFix('{ the blocking loop }');
    }
    if (c.kind === 'default') {
      const p = c.node as ts.ParameterDeclaration;
      const fn = containerName(this.col.containerOf.get(p.parent) ?? c);
      if (ts.isIdentifier(p.name)) {
        const fnNode = p.parent as FunctionLike;
        const of = `of parameter ${p.name.text}`;
        const kind = this.col.containerOf.get(fnNode)?.kind;
        if (kind !== 'fn') {
          const what = kind === 'ctor' ? `the constructor of ${fn}` : fn;
          return { of, why: `${what} cannot be green, so its defaults cannot suspend`, fix: 'compute the value in green code before the call and pass it' };
        }
        const why = fnNode.parameters.every((q) => ts.isIdentifier(q.name))
          ? `it cannot move into the body of ${fn}, which declares a name the default uses`
          : `a default that blocks moves into the body of ${fn}, which needs every parameter to be a plain name`;
        return { of, why, fix: `default it in the body yourself (\`if (${p.name.text} === undefined) ${p.name.text} = ...;\`)` };
      }
      return {
        why: 'a destructured parameter\'s defaults cannot suspend',
        of: `in a destructured parameter of ${fn}`,
        fix: 'take the parameter whole and destructure it in the body (`const { a = ... } = options;`), where a default can block',
      };
    }
    return {};
  }

  /**
   * Does an iteration block, and how is it emitted? It blocks when what it iterates is a blocking iterable by
   * its type (or a union with one; a type-only wrapper does not hide it: `iwait(gs) as Iterable<Greenlet<T>>` is
   * still iwait's object, while an `any` under a cast keeps the cast's type, so `JSON.parse(s) as number[]`
   * stays plain) — or when its type is general (`Iterable<T>`, `unknown`, T) and a blocking iterable flows
   * there (collect.ts handOff). Through the function's own parameter, it blocks only for callers that pass
   * one. A maybe-blocking iteration goes through greenIterator, which also walks an ordinary iterable.
   */
  private decideIteration(it: Iteration): void {
    const kindAt = (e: ts.Expression) => this.col.iterables.kindOf(this.col.typing.typeAt(e));
    const typeKind = kindAt(it.iterable);
    if (typeKind === 'green' || this.isBlockingIterable(it.iterable)) {
      this.iterationKinds.set(it, typeKind === 'green' || kindAt(skipOuter(it.iterable)) === 'green' ? 'green' : 'dynamic');
      this.apply(it.container, undefined, { kind: 'iteration', iteration: it });
    } else if (this.receivesBlockingIterable(it.iterable, it.flow)) {
      this.iterationKinds.set(it, 'dynamic');
      const position = this.col.paramPosition(it.iterable, it.container);
      this.apply(it.container, position, position === undefined ? { kind: 'iteration', iteration: it } : { kind: 'iteration', iteration: it, position });
    } else {
      this.iterationKinds.set(it, typeKind);
    }
  }

  private isBlockingIterable(expr: ts.Expression): boolean {
    return this.col.iterables.containsExpr(expr, (n) => this.col.typing.typeAt(n));
  }

  /** Does a blocking iterable reach `expr` (flow node `node`) under a type that may hold one? */
  private receivesBlockingIterable(expr: ts.Expression, node: number): boolean {
    return this.col.flow.values(node).has(BLOCKING_ITERABLE) && this.col.iterables.mayHold(this.col.typing.typeAt(expr));
  }

  /** `new F()` of a green function: a construct call cannot be a green call (the generator has no [[Construct]]). */
  private checkConstructs(): void {
    for (const { node, callee, container } of this.col.constructs) {
      const v = this.firstGreen(this.col.flow.values(callee), (x) => !this.isOutside(x));
      if (v === undefined || this.isOutside(v)) continue;
      const text = skipOuter(node.expression).getText(container.sourceFile).replace(/\s+/g, ' ');
      this.report(analysisDiagnostic(node, 'GL1020', { fn: valueName(this.col.values[v]!), callee: text.length <= 40 ? text : valueName(this.col.values[v]!) }), container.sourceFile);
    }
  }

  private checkBinds(): void {
    for (const site of this.col.bindSites) {
      if (!this.bindIsGreen(site)) continue;
      const sf = site.container.sourceFile;
      let set = this.greenBinds.get(sf);
      if (!set) this.greenBinds.set(sf, (set = new Set()));
      set.add(site.node as ts.CallExpression);
    }
  }

  /** Green values passed to untransformed code (design.md §4): spawn per call, or an error. */
  private checkCallbacks(): void {
    for (const site of this.col.sites) {
      if (site.opaque && this.passesGreen(site)) this.col.resolveOpaque(site);
      if (!site.external || this.col.options.acceptsGreen?.(site.external)) continue;
      const args = ts.isTaggedTemplateExpression(site.node) ? [] : (site.node.arguments ?? []);
      const reported = new Set<AnalysisCode>();
      for (let i = 0; i < args.length && i < site.args.length; i++) {
        // A known higher-order built-in calls only its callback (a green call when the site is hot); its other
        // arguments are values it never calls (reduce's initial value, a thisArg), not callbacks to adapt.
        if (site.builtin) continue;
        if (site.storesFrom !== undefined && i >= site.storesFrom) continue; // stored, not called
        const arg = args[i]!;
        if (ts.isSpreadElement(arg)) continue;
        const green = this.greenAt(site.args[i]!, arg);
        if (green === undefined) continue;
        this.checkCallback(site, arg, green, () => callbackUse(this.checker, site.node, i, arg), this.calleeText(site), reported);
      }
      // Functions in an object literal written as an argument (`lib.configure({ onEvent })`): the same rules,
      // the property's declared type deciding; each property is reported on its own.
      for (const p of site.objectArgs ?? []) {
        if (site.builtin || (site.storesFrom !== undefined && p.arg >= site.storesFrom)) continue;
        const green = this.greenAt(p.node, p.expr);
        if (green === undefined) continue;
        const use = propertyCallbackUse(this.checker, site.node, p.arg, p.literal, p.name);
        if (use !== undefined) this.checkCallback(site, p.expr, green, () => use, `${this.calleeText(site)} (as property ${p.name})`, new Set());
      }
    }
  }

  /** A green function the flow node may hold that the expression's type accepts (a function of this program
   * rather than `outside` when both). */
  private greenAt(node: number, expr: ts.Expression): number | undefined {
    const { typing } = this.col;
    let green: number | undefined;
    for (const v of this.col.flow.values(node)) {
      if (this.isGreenValue(v) && typing.accepts(typing.typeAt(expr), v)) {
        green = v;
        if (!this.isOutside(v)) break; // prefer naming a function of this program
      }
    }
    return green;
  }

  /** The green function `green`, which `expr` passes to untransformed code: adapt it (spawn per call) or refuse it. */
  private checkCallback(site: Site, expr: ts.Expression, green: number, useOf: () => CallbackUse, callee: string, reported: Set<AnalysisCode>): void {
    // What an outside caller passes reaches untransformed code green only through a function tagged
    // `@blocking <param>` (it blocks): adapt it there. Plain code stays as written; its callers adapt.
    if (this.isOutside(green) && !site.container.blocks) return;
    const use = useOf();
    const code = CALLBACK_CODES[use];
    if (use !== 'result' && use !== 'executor') {
      let set = this.spawnAdapted.get(site.container.sourceFile);
      if (!set) this.spawnAdapted.set(site.container.sourceFile, (set = new Set()));
      set.add(expr);
    }
    // What an outside caller may pass is adapted (plain functions pass through adaptSpawn), not reported.
    if (this.isOutside(green)) return;
    if (reported.has(code)) return;
    reported.add(code);
    this.report(analysisDiagnostic(expr, code, { fn: valueName(this.col.values[green]!), callee }), site.container.sourceFile);
  }

  /** Does any argument of the site (or a property of an object literal argument) hold a green function its type accepts? */
  private passesGreen(site: Site): boolean {
    const args = ts.isTaggedTemplateExpression(site.node) ? [] : (site.node.arguments ?? []);
    for (let i = 0; i < args.length && i < site.args.length; i++) {
      const arg = args[i]!;
      if (ts.isSpreadElement(arg)) continue;
      if (this.firstGreen(this.col.flow.values(site.args[i]!), (v) => this.col.typing.accepts(this.col.typing.typeAt(arg), v)) !== undefined) return true;
    }
    for (const p of site.objectArgs ?? []) {
      if (this.firstGreen(this.col.flow.values(p.node), (v) => this.col.typing.accepts(this.col.typing.typeAt(p.expr), v)) !== undefined) return true;
    }
    return false;
  }

  /** The callee as a diagnostic names it: its text when short and simple (`em.on`, `fs.readFile`), else the
   * declaring type and the member (`Promise.catch` for `p.then(...).catch`). */
  private calleeText(site: Site): string {
    const e = ts.isCallExpression(site.node) ? site.node.expression : ts.isNewExpression(site.node) ? site.node.expression : site.node.tag;
    let text = e.getText(site.container.sourceFile).replace(/\s*\n\s*/g, '').replace(/\s+/g, ' ');
    if (text.length > 40 || /[()[\]]/.test(text)) {
      const member = ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
      const parent = site.external?.parent;
      const owner = parent && (ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)) ? parent.name?.text : undefined;
      if (member !== undefined) text = `${owner ?? '…'}.${member}`;
      else if (text.length > 40) text = text.slice(0, 37) + '...';
    }
    return ts.isNewExpression(site.node) ? `new ${text}` : text;
  }

  private checkThreadBlockers(): void {
    for (const site of this.col.sites) {
      if (!site.threadBlocker || !site.container.blocks) continue;
      if (site.container.kind !== 'fn' && site.container.kind !== 'top') continue;
      const tb = threadBlocker(site.threadBlocker.decl, site.threadBlocker.name, this.patch);
      if (!tb) continue;
      const callee = this.calleeText(site);
      this.report(
        analysisDiagnostic(site.node, 'GL3001', {
          callee,
          fix: tb.patch
            ? `use ${tb.fix}, or turn on the patch option (patch: { ${tb.patch}: true }) so the import points at the green module`
            : `use ${tb.fix}`,
        }),
        site.container.sourceFile,
      );
    }
  }
}

/** Argument `i` of a built-in as written: of the call, or of the built-in applied by `.call`/`.apply`. */
function builtinArgument(site: Site, i: number): ts.Expression | undefined {
  return site.applied ? site.applied.args[i] : (site.node as ts.CallExpression).arguments?.[i];
}

/**
 * Whether `node` lies inside the scope where `decl`'s generator (`f$green`, emitted beside it) is a name: a call
 * reaching the declaration through a namespace object (`Wire.send()` outside `namespace Wire`) must go through
 * `[GREEN]`. A declaration in a case clause is scoped to the whole case block.
 */
function inScopeOf(decl: ts.FunctionDeclaration, node: ts.Node): boolean {
  const scope = ts.isCaseOrDefaultClause(decl.parent) ? decl.parent.parent : decl.parent;
  for (let n: ts.Node | undefined = node; n !== undefined; n = n.parent) if (n === scope) return true;
  return false;
}

function index(map: Map<number, Site[]>, v: number, site: Site): void {
  let list = map.get(v);
  if (!list) map.set(v, (list = []));
  list.push(site);
}

/** `Function` typed callees: no signature to bound them. */
function isUntypedFunction(t: ts.Type): boolean {
  const s = t.getSymbol();
  return s !== undefined && (s.name === 'Function' || s.name === 'CallableFunction') && t.getCallSignatures().length === 0;
}
