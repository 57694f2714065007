/**
 * Who is green: a worklist fixed point over the call graph the collector built. A value becomes green (roots
 * are green from the start); every call site that may target it becomes "hot" (after the TypeScript types
 * agree the target could be called there); a hot site or a blocking iteration makes its container block —
 * a function-like becomes green and its own value joins the worklist. Linear in sites x green targets.
 * Then each site inside blocking code gets its CallKind, and callbacks into untransformed code are checked.
 */
import ts from 'typescript';
import type { GreenletsDiagnostic } from '../api.js';
import type { CallKind, CallSite, IterationKind } from './types.js';
import { skipOuter, type Collector } from './collect.js';
import type { Container, Iteration, Reason, Site } from './model.js';
import { analysisDiagnostic, type AnalysisCode } from './codes.js';
import { higherOrderBuiltin, threadBlocker, type BuiltinCall } from './builtins.js';
import { acceptsGreen } from './tags.js';
import { containerName, location, valueName } from './names.js';
import type { PatchOptions } from '../api.js';

const BAD_CONTAINER_CODES: Partial<Record<Container['kind'], AnalysisCode>> = {
  getter: 'GL1010',
  setter: 'GL1011',
  ctor: 'GL1012',
  field: 'GL1013',
  async: 'GL1014',
  generator: 'GL1015',
  static: 'GL1016',
  default: 'GL1017',
  private: 'GL1018',
  script: 'GL1019',
};

export class Solver {
  readonly iterationKinds = new Map<Iteration, IterationKind>();
  readonly diagnostics = new Map<ts.SourceFile, GreenletsDiagnostic[]>();
  readonly spawnAdapted = new Map<ts.SourceFile, Set<ts.Expression>>();
  private queue: number[] = [];
  private rev = new Map<number, Site[]>();
  private revCallback = new Map<number, Site[]>();
  private typeCache = new Map<ts.Node, ts.Type | null>();
  private runtimeDirCache = new Map<string, boolean>();

  constructor(
    private col: Collector,
    private patch: boolean | PatchOptions | undefined,
  ) {}

  private get checker(): ts.TypeChecker {
    return this.col.checker;
  }

  isGreenValue(v: number): boolean {
    const val = this.col.values[v]!;
    if (val.kind === 'root') return true;
    const c = val.container;
    return c !== undefined && c.kind === 'fn' && c.blocks;
  }

  solve(): void {
    const { col } = this;
    for (const c of col.rootContainers) this.block(c, { kind: 'tagged' });
    for (let v = 0; v < col.values.length; v++) if (col.values[v]!.kind === 'root') this.queue.push(v);
    for (const it of col.iterations) {
      const k = col.iterables.kindOf(this.checker.getTypeAtLocation(it.iterable));
      this.iterationKinds.set(it, k);
      if (k === 'green') this.block(it.container, { kind: 'iteration', iteration: it });
    }
    for (const site of col.sites) {
      if (site.root) {
        this.heat(site, col.rootValue(site.root.symbol), 'call');
        continue;
      }
      if (site.collectsBlocking) {
        const arg0 = (site.node as ts.CallExpression).arguments[0]!;
        if (col.iterables.kindOf(this.checker.getTypeAtLocation(arg0)) === 'green') {
          site.builtin ??= higherOrderBuiltin('ArrayConstructor', 'from');
          site.hot = true;
          this.block(site.container, { kind: 'call', site, target: -1 });
        }
      }
      const targets = site.fixed ?? col.flow.values(site.callee);
      for (const t of targets) this.index(this.rev, t, site);
      if (site.builtin) for (const t of col.flow.values(site.args[site.builtin.callback] ?? -1)) this.index(this.revCallback, t, site);
    }
    while (this.queue.length > 0) {
      const v = this.queue.pop()!;
      for (const site of this.rev.get(v) ?? []) if (!site.hot && this.typeAllows(site, v)) this.heat(site, v, 'call');
      for (const site of this.revCallback.get(v) ?? []) if (!site.hot) this.heat(site, v, 'callback');
    }
    for (const c of col.containers) if (c.blocks && BAD_CONTAINER_CODES[c.kind]) this.reportBadContainer(c);
    this.checkCallbacks();
    this.checkThreadBlockers();
  }

  private index(map: Map<number, Site[]>, v: number, site: Site): void {
    let list = map.get(v);
    if (!list) map.set(v, (list = []));
    list.push(site);
  }

  private heat(site: Site, target: number, kind: 'call' | 'callback'): void {
    site.hot = true;
    site.hotTarget = target;
    this.block(site.container, { kind, site, target });
  }

  private block(c: Container, reason: Reason): void {
    if (c.blocks) return;
    c.blocks = true;
    c.reason = reason;
    if (c.kind === 'fn' && c.value >= 0) this.queue.push(c.value);
  }

  private typeAt(node: ts.Node): ts.Type | null {
    let t = this.typeCache.get(node);
    if (t === undefined) {
      t = this.checker.getTypeAtLocation(node);
      this.typeCache.set(node, t);
    }
    return t;
  }

  /** Field-based flow merges every `m` property; the callee's declared type narrows the targets back. */
  private typeAllows(site: Site, v: number): boolean {
    if (site.static || !site.calleeExpr || site.fixed) return true;
    const callee = this.typeAt(site.calleeExpr);
    if (!callee || callee.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    const calleeType = this.checker.getNonNullableType(callee);
    if (calleeType.getCallSignatures().length === 0) return true;
    const val = this.col.values[v]!;
    const targetType = val.kind === 'root' ? this.checker.getTypeOfSymbol(val.symbol) : this.typeAt(val.node);
    if (!targetType || targetType.getCallSignatures().length === 0) return true;
    return this.checker.isTypeAssignableTo(targetType, calleeType);
  }

  // ---- call kinds --------------------------------------------------------------------------------------

  /** The CallSite for a site in blocking code, or undefined when it stays plain. */
  callSite(site: Site): CallSite | undefined {
    if (!site.hot) {
      // Targets we cannot bound at all (`any`): correctness first, test [GREEN] at run time.
      if (site.calleeExpr && site.node.kind !== ts.SyntaxKind.NewExpression) {
        const t = this.typeAt(site.calleeExpr);
        if (t && t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'dynamic' };
        if (t && site.functionMethod === undefined && this.isUntypedFunction(t)) return { kind: 'dynamic' };
      }
      return undefined;
    }
    if (site.root) return { kind: site.root.kind };
    if (site.builtin) return { kind: this.callbackDefinitelyGreen(site, site.builtin) ? 'green' : 'dynamic', builtin: site.builtin.name };
    if (site.functionMethod) return { kind: 'dynamic', builtin: `Function.prototype.${site.functionMethod}` };
    if (site.static) {
      const targets = site.fixed ?? [...this.col.flow.values(site.callee)];
      const allGreen = targets.length > 0 && (site.fixed !== undefined || targets.length === 1) && targets.every((t) => this.isGreenValue(t));
      if (allGreen) {
        const kind: CallKind = 'green';
        const only = targets.length === 1 ? this.col.values[targets[0]!]! : undefined;
        if (only?.kind === 'fn' && ts.isFunctionDeclaration(only.node) && !site.fixed) return { kind, direct: only.node };
        return { kind };
      }
    }
    return { kind: 'dynamic' };
  }

  /** `Function` typed callees: no signature to bound them. */
  private isUntypedFunction(t: ts.Type): boolean {
    const s = t.getSymbol();
    return s !== undefined && (s.name === 'Function' || s.name === 'CallableFunction') && t.getCallSignatures().length === 0;
  }

  private callbackDefinitelyGreen(site: Site, b: BuiltinCall): boolean {
    if (site.collectsBlocking && site.hotTarget === undefined) return true;
    const arg = (site.node as ts.CallExpression).arguments?.[b.callback];
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
      target = r.target >= 0 ? valueName(this.col.values[r.target]!) : 'a blocking iterable';
    }
    let name = containerName(c);
    if (c.kind === 'ctor' || c.kind === 'static') name = name.replace(/^constructor of /, '');
    else if (c.kind === 'getter' || c.kind === 'setter' || c.kind === 'private') name = name.split('.').pop()!;
    else if (c.kind === 'script') name = c.sourceFile.fileName;
    this.report(analysisDiagnostic(at, code, { name, target, where: location(at) }), c.sourceFile);
  }

  private isRuntimeDir = (dir: string): boolean => {
    let r = this.runtimeDirCache.get(dir);
    if (r === undefined) {
      r = false;
      for (const f of ['convention.ts', 'convention.d.ts']) {
        const sf = this.col.program.getSourceFile(`${dir}/${f}`);
        if (sf && sf.text.includes('@blockingIterable')) r = true;
      }
      this.runtimeDirCache.set(dir, r);
    }
    return r;
  };

  /** Green values passed to untransformed code (design.md §4): spawn per call, or an error. */
  private checkCallbacks(): void {
    for (const site of this.col.sites) {
      if (!site.external || acceptsGreen(site.external, this.isRuntimeDir)) continue;
      const args = ts.isTaggedTemplateExpression(site.node) ? [] : (site.node.arguments ?? []);
      const reported = new Set<AnalysisCode>();
      for (let i = 0; i < args.length && i < site.args.length; i++) {
        if (site.builtin && i === site.builtin.callback) continue;
        const green = [...this.col.flow.values(site.args[i]!)].find((v) => this.isGreenValue(v));
        if (green === undefined) continue;
        const arg = args[i]!;
        if (ts.isSpreadElement(arg)) continue;
        const code = this.callbackCode(arg);
        if (code !== 'GL1001') {
          let set = this.spawnAdapted.get(site.container.sourceFile);
          if (!set) this.spawnAdapted.set(site.container.sourceFile, (set = new Set()));
          set.add(arg);
        }
        if (reported.has(code)) continue;
        reported.add(code);
        const callee = this.calleeText(site);
        this.report(analysisDiagnostic(arg, code, { fn: valueName(this.col.values[green]!), callee }), site.container.sourceFile);
      }
    }
  }

  private calleeText(site: Site): string {
    const e = ts.isCallExpression(site.node) ? site.node.expression : ts.isNewExpression(site.node) ? site.node.expression : site.node.tag;
    const text = e.getText(site.container.sourceFile);
    return ts.isNewExpression(site.node) ? `new ${text}` : text.length > 60 ? text.slice(0, 57) + '...' : text;
  }

  /** GL1002 (the callback's result is ignored: spawn per call), GL1003 (untyped), GL1001 (a result is used). */
  private callbackCode(arg: ts.Expression): AnalysisCode {
    const expected = this.checker.getContextualType(arg);
    if (!expected || expected.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'GL1003';
    const sigs = this.checker.getNonNullableType(expected).getCallSignatures();
    if (sigs.length === 0) return 'GL1003';
    return sigs.every((s) => this.isVoidish(s.getReturnType())) ? 'GL1002' : 'GL1001';
  }

  private isVoidish(t: ts.Type): boolean {
    if (t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return true;
    if (t.isUnion()) return t.types.every((u) => this.isVoidish(u));
    const name = (t.aliasSymbol ?? t.getSymbol())?.name;
    if (name === 'Promise' || name === 'PromiseLike') {
      const args = this.checker.getTypeArguments(t as ts.TypeReference);
      return args.length === 1 && this.isVoidish(args[0]!);
    }
    return false;
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
