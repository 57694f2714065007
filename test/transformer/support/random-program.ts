/**
 * A seeded generator of random, terminating, deterministic TypeScript programs over the constructs of
 * design.md §3: nested functions and closures, loops with labels and break/continue, try/catch/finally (with
 * returns in finally), conditionals, short-circuits, comma and conditional expressions, destructuring with
 * defaults and rest, calls with spread, optional calls (`a?.b()`, `f?.()`, `o?.box!.m`), methods and getters
 * with `this`, setters calling plain code, a class hierarchy with super calls (in methods, static methods,
 * constructors and arrows inside methods), `new.target` (in a function and an arrow in it), default
 * parameters, `arguments` (also read from an arrow), tagged templates (a function and a method as tag),
 * array callbacks (every built-in of design.md §4), Map/Set forEach, f.call/apply/bind, closures made in
 * loops, return inside try/catch/finally, user generators, and exceptions crossing frames.
 *
 * Every program prints a trace. Termination: loops have constant bounds, functions only call functions defined
 * before them (plus one recursive function with a depth counter), and every function entry and loop iteration
 * spends one unit of fuel (`tick()` throws when it runs out), so the call tree is bounded too. Programs only
 * throw `Error`s they create themselves and only print their messages, so engine-specific messages never reach
 * the output.
 */

/** mulberry32: small, fast, good enough, and the same everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export interface GenOptions {
  /** Top-level functions besides main (default 5). */
  functions?: number;
  /** Statements per block at the top of a function (default 5). */
  statements?: number;
  /** Fuel units (function entries + loop iterations) before tick() throws (default 300). */
  fuel?: number;
}

interface Callable {
  name: string;
  arity: number;
  /** How to call it: `name(args)` or a method call on an object. */
  kind: 'fn' | 'method' | 'rec';
}

interface Ctx {
  /** Variables readable here (parameters, lets, consts, loop variables). */
  vars: string[];
  /** Variables that may be assigned (lets and parameters). */
  mutable: string[];
  callables: Callable[];
  /** Enclosing loop labels, innermost last; null for an unlabelled loop. */
  loops: Array<string | null>;
  inSwitch: boolean;
  /** Inside a function body (return allowed). */
  inFunction: boolean;
  /** Inside a function declaration/expression (not an arrow) where `arguments` is its own. */
  hasArguments: boolean;
  depth: number;
}

const PRELUDE = `import { pause } from './pause.mjs';
const __trace: string[] = [];
function I(x: any): any {
  return x;
}
let __fuel = __FUEL__;
// tick() also pauses: a no-op plainly, sleep(0) in the green run, so every construct is also resumed from a
// real suspension. tick0() is for the places that run plainly in the green run too (a user generator, a
// construct call).
function tick(): void {
  if (--__fuel < 0) throw new Error('out of fuel');
  pause();
}
function tick0(): void {
  if (--__fuel < 0) throw new Error('out of fuel');
}
function show(x: any): string {
  if (typeof x === 'function') return 'fn';
  if (typeof x === 'object' && x !== null) {
    try {
      return JSON.stringify(x, (_k, v) => (typeof v === 'function' ? 'fn' : v));
    } catch {
      return 'object';
    }
  }
  return String(x);
}
function log(...xs: any[]): void {
  __trace.push(xs.map(show).join(' '));
}
function msg(e: any): string {
  return e instanceof Error ? e.message : 'non-error ' + show(e);
}
const __sites: any[] = [];
function tag(strings: TemplateStringsArray, ...vals: any[]): string {
  let i = __sites.indexOf(strings);
  if (i < 0) i = __sites.push(strings) - 1;
  return 'site' + i + '[' + strings.raw.join('|') + '](' + vals.map(show).join(',') + ')';
}
class Box {
  n: any;
  constructor(n: any) {
    this.n = n;
  }
  add(x: any): any {
    tick();
    this.n = this.n + x;
    return this.n;
  }
  get twice(): any {
    return this.n * 2;
  }
  static of(n: any): Box {
    return new this(n);
  }
}
class Box2 extends Box {
  override add(x: any): any {
    const r = super.add(x * 2);
    log('Box2.add', x, r);
    return r + 1;
  }
}
class Box3 extends Box2 {
  static made = 0;
  constructor(n: any, readonly label: any = 'b3') {
    super(n);
    Box3.made++;
  }
  override add(x: any): any {
    const viaArrow = (y: any) => super.add(y) + (arguments.length as number);
    log('Box3.add', x);
    return viaArrow(x) + 1;
  }
  set twiceSetter(v: any) {
    this.n = show(v).length;
  }
  static override of(n: any): Box3 {
    const b = super.of(n) as Box3;
    return b;
  }
}
function Made(this: any, v: any): any {
  tick0();
  const kind = new.target === undefined ? 'call' : 'new';
  const later = () => (new.target === undefined ? 'arrow-call' : 'arrow-new');
  if (new.target !== undefined) this.v = v;
  return new.target === undefined ? kind + ':' + later() + ':' + show(v) : undefined;
}
const tags = {
  p: '#',
  t(strings: TemplateStringsArray, ...vals: any[]): string {
    tick();
    return this.p + strings.join('_') + vals.map(show).join('.');
  },
};
function* gen3(a: any): Generator<any, any, any> {
  tick0();
  const b = yield a;
  yield (b ?? 0) + 1;
  return a + 2;
}
`;

export class ProgramGenerator {
  private readonly rng: Rng;
  private n = 0;
  private readonly out: string[] = [];
  private readonly opts: Required<GenOptions>;

  constructor(readonly seed: number, opts: GenOptions = {}) {
    this.rng = new Rng(seed * 2654435761 + 12345);
    this.opts = { functions: opts.functions ?? 4, statements: opts.statements ?? 4, fuel: opts.fuel ?? 300 };
  }

  private id(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  generate(): string {
    const r = this.rng;
    this.out.push(`// random program, seed ${this.seed}`);
    this.out.push(PRELUDE.replace('__FUEL__', String(this.opts.fuel)));
    const callables: Callable[] = [];
    // One recursive function with an explicit depth counter.
    const rec = this.id('rec');
    const recCtx = this.fnCtx(['d', 'x'], callables, true);
    this.out.push(`function ${rec}(d: any, x: any): any {`);
    this.out.push(`  tick();`);
    this.out.push(`  if (d <= 0) return x;`);
    this.block(recCtx, 2, 1);
    this.out.push(`  return ${rec}(d - 1, ${this.expr(recCtx, 1)}) + ${this.expr(recCtx, 1)};`);
    this.out.push(`}`);
    callables.push({ name: rec, arity: 2, kind: 'rec' });

    for (let i = 0; i < this.opts.functions; i++) {
      const name = this.id('f');
      const arity = r.int(0, 3);
      const params = Array.from({ length: arity }, (_, k) => `p${k}`);
      const ctx = this.fnCtx(params, callables, true);
      const paramText = params
        .map((p, k) => (k > 0 && r.chance(0.3) ? `${p}: any = ${this.expr({ ...ctx, vars: params.slice(0, k), callables: [] }, 1)}` : `${p}: any`))
        .join(', ');
      const rest = r.chance(0.2) ? `${params.length ? ', ' : ''}...rest: any[]` : '';
      if (rest) ctx.vars.push('rest.length');
      this.out.push(`function ${name}(${paramText}${rest}): any {`);
      this.out.push(`  tick();`);
      this.block(ctx, this.opts.statements, 1);
      this.out.push(`  return ${this.expr(ctx, 2)};`);
      this.out.push(`}`);
      callables.push({ name, arity, kind: 'fn' });
    }

    this.out.push(`function main(): any {`);
    const ctx = this.fnCtx([], callables, true);
    for (const c of callables) {
      if (c.kind === 'fn') this.out.push(`  try { log('call ${c.name}', ${this.call(ctx, c, 1)}); } catch (e) { log('${c.name} threw', msg(e)); }`);
    }
    this.block(ctx, this.opts.statements, 1);
    this.out.push(`}`);
    this.out.push(`try {`);
    this.out.push(`  main();`);
    this.out.push(`} catch (e) {`);
    this.out.push(`  log('main threw', msg(e));`);
    this.out.push(`}`);
    this.out.push(`console.log(__trace.join('\\n'));`);
    this.out.push(`console.log('fuel left', __fuel);`);
    return this.out.join('\n') + '\n';
  }

  private fnCtx(params: string[], callables: Callable[], hasArguments: boolean): Ctx {
    return {
      vars: [...params],
      mutable: [...params],
      callables: [...callables],
      loops: [],
      inSwitch: false,
      inFunction: true,
      hasArguments,
      depth: 0,
    };
  }

  private emit(indent: number, line: string): void {
    this.out.push('  '.repeat(indent) + line);
  }

  /** A block of `count` statements; declarations stay local to it. */
  private block(ctx: Ctx, count: number, indent: number): void {
    const saved = { vars: ctx.vars.length, mutable: ctx.mutable.length, callables: ctx.callables.length };
    for (let i = 0; i < count; i++) this.statement(ctx, indent);
    ctx.vars.length = saved.vars;
    ctx.mutable.length = saved.mutable;
    ctx.callables.length = saved.callables;
  }

  private sub(ctx: Ctx, patch: Partial<Ctx> = {}): Ctx {
    return {
      ...ctx,
      vars: [...ctx.vars],
      mutable: [...ctx.mutable],
      callables: [...ctx.callables],
      loops: [...ctx.loops],
      depth: ctx.depth + 1,
      ...patch,
    };
  }

  private statement(ctx: Ctx, indent: number): void {
    const r = this.rng;
    const deep = ctx.depth >= 3;
    const choices: Array<[number, () => void]> = [
      [4, () => this.letStmt(ctx, indent)],
      [3, () => this.assignStmt(ctx, indent)],
      [4, () => this.emit(indent, `log('${this.id('s')}', ${this.expr(ctx, 2)});`)],
      [deep ? 0 : 3, () => this.ifStmt(ctx, indent)],
      [deep ? 0 : 3, () => this.forStmt(ctx, indent)],
      [deep ? 0 : 1, () => this.whileStmt(ctx, indent)],
      [deep ? 0 : 1, () => this.doWhileStmt(ctx, indent)],
      [deep ? 0 : 2, () => this.forOfStmt(ctx, indent)],
      [deep ? 0 : 3, () => this.tryStmt(ctx, indent)],
      [deep ? 0 : 1, () => this.switchStmt(ctx, indent)],
      [deep ? 0 : 2, () => this.closureStmt(ctx, indent)],
      [deep ? 0 : 1, () => this.nestedFunctionStmt(ctx, indent)],
      [2, () => this.objectStmt(ctx, indent)],
      [2, () => this.destructureStmt(ctx, indent)],
      [2, () => this.higherOrderStmt(ctx, indent)],
      [1, () => this.generatorStmt(ctx, indent)],
      [deep ? 0 : 1, () => this.loopClosuresStmt(ctx, indent)],
      [1, () => this.hierarchyStmt(ctx, indent)],
      [1, () => this.newTargetStmt(ctx, indent)],
      [1, () => this.functionMethodsStmt(ctx, indent)],
      [deep || !ctx.inFunction ? 0 : 1, () => this.tryReturnStmt(ctx, indent)],
      [1, () => this.emit(indent, `if (${this.cond(ctx)}) throw new Error('${this.id('t')}');`)],
      [ctx.loops.length ? 2 : 0, () => this.jumpStmt(ctx, indent)],
      [ctx.inFunction ? 1 : 0, () => this.emit(indent, `if (${this.cond(ctx)}) return ${this.expr(ctx, 1)};`)],
    ];
    const total = choices.reduce((a, [w]) => a + w, 0);
    let x = r.next() * total;
    for (const [w, f] of choices) {
      if ((x -= w) < 0) return f();
    }
    choices[0][1]();
  }

  private letStmt(ctx: Ctx, indent: number): void {
    const v = this.id('v');
    this.emit(indent, `let ${v}: any = ${this.expr(ctx, 2)};`);
    ctx.vars.push(v);
    ctx.mutable.push(v);
  }

  private assignStmt(ctx: Ctx, indent: number): void {
    if (!ctx.mutable.length) return this.letStmt(ctx, indent);
    const v = this.rng.pick(ctx.mutable);
    const op = this.rng.pick(['=', '+=', '-=', '||=', '??=', '&&=']);
    this.emit(indent, `${v} ${op} ${this.expr(ctx, 2)};`);
  }

  private ifStmt(ctx: Ctx, indent: number): void {
    this.emit(indent, `if (${this.cond(ctx)}) {`);
    this.block(this.sub(ctx), this.rng.int(1, 3), indent + 1);
    if (this.rng.chance(0.5)) {
      if (this.rng.chance(0.3)) {
        this.emit(indent, `} else if (${this.cond(ctx)}) {`);
        this.block(this.sub(ctx), this.rng.int(1, 2), indent + 1);
      }
      this.emit(indent, `} else {`);
      this.block(this.sub(ctx), this.rng.int(1, 3), indent + 1);
    }
    this.emit(indent, `}`);
  }

  private label(): string | null {
    return this.rng.chance(0.6) ? this.id('L') : null;
  }

  private forStmt(ctx: Ctx, indent: number): void {
    const label = this.label();
    const i = this.id('i');
    this.emit(indent, `${label ? label + ': ' : ''}for (let ${i} = 0; ${i} < ${this.rng.int(1, 4)}; ${i}++) {`);
    this.emit(indent + 1, `tick();`);
    const inner = this.sub(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push(i);
    this.block(inner, this.rng.int(1, 4), indent + 1);
    this.emit(indent, `}`);
  }

  private whileStmt(ctx: Ctx, indent: number): void {
    const label = this.label();
    const w = this.id('w');
    this.emit(indent, `let ${w} = 0;`);
    this.emit(indent, `${label ? label + ': ' : ''}while (${w}++ < ${this.rng.int(1, 3)}) {`);
    this.emit(indent + 1, `tick();`);
    const inner = this.sub(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push(w);
    this.block(inner, this.rng.int(1, 3), indent + 1);
    this.emit(indent, `}`);
  }

  private doWhileStmt(ctx: Ctx, indent: number): void {
    const label = this.label();
    const w = this.id('w');
    this.emit(indent, `let ${w} = 0;`);
    this.emit(indent, `${label ? label + ': ' : ''}do {`);
    this.emit(indent + 1, `tick();`);
    const inner = this.sub(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push(w);
    this.block(inner, this.rng.int(1, 3), indent + 1);
    this.emit(indent, `} while (++${w} < ${this.rng.int(1, 3)});`);
  }

  private forOfStmt(ctx: Ctx, indent: number): void {
    const label = this.label();
    const a = this.id('a');
    const b = this.id('b');
    const inner = this.sub(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    const kind = this.rng.int(0, 3);
    let head: string;
    if (kind === 0) {
      head = `const ${a} of [${this.exprList(ctx, this.rng.int(0, 3), 1)}]`;
      inner.vars.push(a);
    } else if (kind === 1) {
      head = `const [${a}, ${b} = ${this.expr(ctx, 1)}] of [[${this.expr(ctx, 1)}], [${this.exprList(ctx, 2, 1)}]] as any[]`;
      inner.vars.push(a, b);
    } else if (kind === 2) {
      head = `const [${a}, ${b}] of new Map<any, any>([[${this.expr(ctx, 1)}, ${this.expr(ctx, 1)}], ['k', ${this.expr(ctx, 1)}]])`;
      inner.vars.push(a, b);
    } else {
      head = `let ${a} of gen3(${this.expr(ctx, 1)})`;
      inner.vars.push(a);
      inner.mutable.push(a);
    }
    this.emit(indent, `${label ? label + ': ' : ''}for (${head}) {`);
    this.emit(indent + 1, `tick();`);
    this.block(inner, this.rng.int(1, 3), indent + 1);
    this.emit(indent, `}`);
  }

  private tryStmt(ctx: Ctx, indent: number): void {
    const e = this.id('e');
    this.emit(indent, `try {`);
    this.block(this.sub(ctx), this.rng.int(1, 4), indent + 1);
    const hasCatch = this.rng.chance(0.75);
    const hasFinally = !hasCatch || this.rng.chance(0.5);
    if (hasCatch) {
      this.emit(indent, `} catch (${e}) {`);
      this.emit(indent + 1, `log('${this.id('c')}', msg(${e}));`);
      const inner = this.sub(ctx);
      if (this.rng.chance(0.3)) this.emit(indent + 1, `if (${this.cond(ctx)}) throw ${e};`);
      this.block(inner, this.rng.int(0, 2), indent + 1);
    }
    if (hasFinally) {
      this.emit(indent, `} finally {`);
      this.emit(indent + 1, `log('${this.id('fin')}');`);
      const inner = this.sub(ctx);
      this.block(inner, this.rng.int(0, 2), indent + 1);
      if (ctx.inFunction && this.rng.chance(0.15)) this.emit(indent + 1, `if (${this.cond(ctx)}) return ${this.expr(ctx, 1)};`);
    }
    this.emit(indent, `}`);
  }

  private switchStmt(ctx: Ctx, indent: number): void {
    this.emit(indent, `switch (${this.expr(ctx, 1)} % 3) {`);
    for (const c of [0, 1, 'default']) {
      this.emit(indent + 1, c === 'default' ? 'default: {' : `case ${c}: {`);
      this.block(this.sub(ctx, { inSwitch: true }), this.rng.int(1, 2), indent + 2);
      if (this.rng.chance(0.7)) this.emit(indent + 2, 'break;');
      this.emit(indent + 1, '}');
    }
    this.emit(indent, `}`);
  }

  private jumpStmt(ctx: Ctx, indent: number): void {
    const labelled = ctx.loops.filter((l): l is string => l !== null);
    const useLabel = labelled.length > 0 && this.rng.chance(0.6);
    const kw = this.rng.chance(0.5) ? 'break' : 'continue';
    let target = '';
    if (useLabel) target = ' ' + this.rng.pick(labelled);
    else if (kw === 'break' && ctx.inSwitch) {
      // An unlabelled break here ends the switch: still fine, just a different jump.
    }
    if (!useLabel && ctx.loops.length === 0) return;
    this.emit(indent, `if (${this.cond(ctx)}) { log('${this.id('j')}'); ${kw}${target}; }`);
  }

  /** An arrow or function expression closing over (and mutating) locals. */
  private closureStmt(ctx: Ctx, indent: number): void {
    const name = this.id('g');
    const isArrow = this.rng.chance(0.6);
    const inner = this.sub(ctx, { loops: [], inSwitch: false, inFunction: true, hasArguments: isArrow ? ctx.hasArguments : true });
    inner.vars.push('x');
    inner.mutable.push('x');
    inner.callables = ctx.callables.filter((c) => c.kind !== 'method');
    // Default values cannot block (GL1017): no calls of the program's (pausing) functions in them.
    const outer = { ...ctx, vars: ctx.vars.filter((v) => v !== 'x'), callables: [] };
    const dflt = this.rng.chance(0.3) ? ` = ${this.expr(outer, 1)}` : '';
    this.emit(indent, isArrow ? `const ${name} = (x: any${dflt}): any => {` : `const ${name} = function (this: any, x: any${dflt}): any {`);
    this.emit(indent + 1, `tick();`);
    if (ctx.mutable.length && this.rng.chance(0.6)) {
      const captured = this.rng.pick(ctx.mutable);
      this.emit(indent + 1, `${captured} = ${this.expr(inner, 1)};`);
    }
    this.block(inner, this.rng.int(1, 3), indent + 1);
    this.emit(indent + 1, `return ${this.expr(inner, 2)};`);
    this.emit(indent, `};`);
    ctx.callables.push({ name, arity: 1, kind: 'fn' });
    ctx.vars.push(`${name}.length`);
    this.emit(indent, `log('${this.id('cl')}', ${name}(${this.expr(ctx, 1)}));`);
  }

  private nestedFunctionStmt(ctx: Ctx, indent: number): void {
    const name = this.id('h');
    const inner = this.sub(ctx, { loops: [], inSwitch: false, inFunction: true, hasArguments: true });
    inner.vars.push('y', 'z');
    inner.mutable.push('y');
    const outer = { ...ctx, vars: ctx.vars.filter((v) => v !== 'y' && v !== 'z'), callables: [] };
    this.emit(indent, `function ${name}(y: any, z: any = ${this.expr(outer, 1)}): any {`);
    this.emit(indent + 1, `tick();`);
    this.emit(indent + 1, `log('${name} args', arguments.length, y, z);`);
    this.block(inner, this.rng.int(1, 3), indent + 1);
    this.emit(indent + 1, `return ${this.expr(inner, 2)};`);
    this.emit(indent, `}`);
    ctx.callables.push({ name, arity: 2, kind: 'fn' });
    this.emit(indent, `log('${this.id('nf')}', ${name}(${this.expr(ctx, 1)}));`);
  }

  private objectStmt(ctx: Ctx, indent: number): void {
    const o = this.id('o');
    const k = this.rng.int(0, 2);
    if (k === 0) {
      const inner = this.sub(ctx, { loops: [], inSwitch: false, inFunction: true, hasArguments: true });
      inner.vars.push('this.n', 'q');
      this.emit(indent, `const ${o} = {`);
      this.emit(indent + 1, `n: ${this.expr(ctx, 1)} as any,`);
      this.emit(indent + 1, `m(q: any): any {`);
      this.emit(indent + 2, `tick();`);
      this.emit(indent + 2, `this.n = ${this.expr(inner, 2)};`);
      this.emit(indent + 2, `return this;`);
      this.emit(indent + 1, `},`);
      this.emit(indent + 1, `get g(): any {`);
      this.emit(indent + 2, `return this.n + 1;`);
      this.emit(indent + 1, `},`);
      this.emit(indent + 1, `opt: ${this.rng.chance(0.5) ? 'undefined' : '(z: any) => z'} as ((z: any) => any) | undefined,`);
      this.emit(indent, `};`);
      this.emit(indent, `log('${this.id('ob')}', ${o}.m(${this.expr(ctx, 1)}).m(${this.expr(ctx, 1)}).g, ${o}.opt?.(${this.expr(ctx, 1)}));`);
      ctx.vars.push(`${o}.n`);
    } else {
      const cls = this.rng.pick(['Box', 'Box2']);
      const via = this.rng.chance(0.5) ? `new ${cls}(${this.expr(ctx, 1)})` : `${cls}.of(${this.expr(ctx, 1)})`;
      this.emit(indent, `const ${o} = ${via};`);
      this.emit(indent, `log('${this.id('bx')}', ${o}.add(${this.expr(ctx, 1)}), ${o}.twice, ${o} instanceof Box2);`);
      ctx.vars.push(`${o}.n`);
      ctx.callables.push({ name: `${o}.add`, arity: 1, kind: 'method' });
    }
  }

  private destructureStmt(ctx: Ctx, indent: number): void {
    const a = this.id('d');
    const b = this.id('d');
    const c = this.id('d');
    if (this.rng.chance(0.5)) {
      this.emit(indent, `const { k1: ${a}, k2: ${b} = ${this.expr(ctx, 1)}, ...${c} } = { k1: ${this.expr(ctx, 1)}, ${this.rng.chance(0.5) ? `k2: ${this.expr(ctx, 1)}, ` : ''}k3: ${this.expr(ctx, 1)} } as any;`);
      ctx.vars.push(a, b, `${c}.k3`);
    } else {
      this.emit(indent, `let [${a}, , ${b} = ${this.expr(ctx, 1)}, ...${c}]: any[] = [${this.exprList(ctx, this.rng.int(0, 5), 1)}];`);
      ctx.vars.push(a, b, `${c}.length`);
      ctx.mutable.push(a, b);
      if (this.rng.chance(0.4)) this.emit(indent, `[${a}, ${b}] = [${b}, ${a}];`);
    }
  }

  private higherOrderStmt(ctx: Ctx, indent: number): void {
    const fns = ctx.callables.filter((c) => c.kind !== 'method');
    const f = fns.length ? this.rng.pick(fns) : undefined;
    const body = f ? this.call({ ...ctx, vars: [...ctx.vars, 'el', 'ix'] }, f, 1, ['el', 'ix']) : 'el * 2';
    const arr = `[${this.exprList(ctx, this.rng.int(0, 4), 1)}]`;
    const kind = this.rng.int(0, 9);
    const id = this.id('ho');
    switch (kind) {
      case 0: this.emit(indent, `log('${id}', ${arr}.map((el: any, ix: number) => ${body}));`); break;
      case 1: this.emit(indent, `log('${id}', ${arr}.filter((el: any, ix: number) => ${body}));`); break;
      case 2: this.emit(indent, `log('${id}', ${arr}.reduce((acc: any, el: any, ix: number) => acc + ${body}, 0));`); break;
      case 3: this.emit(indent, `${arr}.forEach((el: any, ix: number) => { log('${id}', ${body}); });`); break;
      case 4: this.emit(indent, `log('${id}', ${arr}.some((el: any, ix: number) => ${body}), ${arr}.find((el: any, ix: number) => ${body}));`); break;
      case 5: this.emit(indent, `new Map<any, any>([[1, ${this.expr(ctx, 1)}], [2, ${this.expr(ctx, 1)}]]).forEach((el: any, ix: any) => { log('${id}', ${body}); });`); break;
      case 6: this.emit(indent, `log('${id}', [${this.exprList(ctx, 4, 1)}].sort((x: any, y: any) => (Number(x) || 0) - (Number(y) || 0)));`); break;
      case 7: this.emit(indent, `log('${id}', ${arr}.every((el: any, ix: number) => ${body}), ${arr}.findLast((el: any, ix: number) => ${body}), ${arr}.findLastIndex((el: any, ix: number) => ${body}), ${arr}.reduceRight((acc: any, el: any, ix: number) => acc + ${body}, ''));`); break;
      case 8: this.emit(indent, `new Set<any>([${this.exprList(ctx, 2, 1)}]).forEach((el: any, ix: any) => { log('${id}', ${body}); });`); break;
      default: this.emit(indent, `log('${id}', Array.from([${this.exprList(ctx, 3, 1)}], (el: any, ix: number) => ${body}), [${this.exprList(ctx, 2, 1)}].flatMap((el: any, ix: number) => [el, ${body}]));`);
    }
  }

  /** Closures made in a loop, called after it: each sees its own iteration's binding. */
  private loopClosuresStmt(ctx: Ctx, indent: number): void {
    const fs = this.id('fs');
    const i = this.id('i');
    this.emit(indent, `const ${fs}: Array<() => any> = [];`);
    this.emit(indent, `for (let ${i} = 0; ${i} < ${this.rng.int(1, 3)}; ${i}++) {`);
    this.emit(indent + 1, `tick();`);
    const inner = this.sub(ctx, { loops: [...ctx.loops, null] });
    inner.vars.push(i);
    this.emit(indent + 1, `const c = ${this.expr(inner, 1)};`);
    this.emit(indent + 1, `${fs}.push(() => [${i}, c, ${this.expr(inner, 1)}]);`);
    this.emit(indent, `}`);
    this.emit(indent, `log('${this.id('lc')}', ${fs}.map((f) => f()));`);
  }

  /** A class hierarchy: constructor super(...) with computed arguments, super calls in methods and arrows,
   * static super, a setter calling plain code. */
  private hierarchyStmt(ctx: Ctx, indent: number): void {
    const o = this.id('o');
    const via = this.rng.chance(0.5) ? `new Box3(${this.expr(ctx, 1)}, ${this.expr(ctx, 1)})` : `Box3.of(${this.expr(ctx, 1)})`;
    this.emit(indent, `const ${o} = ${via};`);
    this.emit(indent, `${o}.twiceSetter = ${this.expr(ctx, 1)};`);
    this.emit(indent, `log('${this.id('h')}', ${o}.add(${this.expr(ctx, 1)}), ${o}.twice, ${o}.label, Box3.made > 0, ${o} instanceof Box2);`);
    ctx.vars.push(`${o}.n`);
  }

  private newTargetStmt(ctx: Ctx, indent: number): void {
    const m = this.id('m');
    this.emit(indent, `const ${m} = new (Made as any)(${this.expr(ctx, 1)});`);
    this.emit(indent, `log('${this.id('nt')}', Made(${this.expr(ctx, 1)}), show(${m}.v), ${m} instanceof Made);`);
  }

  /** f.call / f.apply / f.bind, a tag that is a method, optional member calls. */
  private functionMethodsStmt(ctx: Ctx, indent: number): void {
    const fns = ctx.callables.filter((c) => c.kind === 'fn');
    const id = this.id('fm');
    if (fns.length && this.rng.chance(0.7)) {
      const c = this.rng.pick(fns);
      const args = Array.from({ length: c.arity }, () => this.expr(ctx, 1));
      const b = this.id('bd');
      this.emit(indent, `const ${b} = ${c.name}.bind(null${args.slice(0, 1).map((a) => ', ' + a).join('')});`);
      this.emit(indent, `log('${id}', ${c.name}.apply(undefined, [${args.join(', ')}]), ${b}(${args.slice(1).join(', ')}), ${b}.length);`);
    } else {
      const o = this.id('ob');
      this.emit(indent, `const ${o}: { box?: Box } | undefined = I(${this.expr(ctx, 1)}) ? { box: new Box(${this.expr(ctx, 1)}) } : undefined;`);
      this.emit(indent, `log('${id}', ${o}?.box?.add(${this.expr(ctx, 1)}), ${o}?.box!.twice, tags.t\`x\${${this.expr(ctx, 1)}}y\`);`);
    }
  }

  /** return inside try and catch, with a finally that runs (and may log) on the way out. */
  private tryReturnStmt(ctx: Ctx, indent: number): void {
    const e = this.id('e');
    this.emit(indent, `try {`);
    this.emit(indent + 1, `if (${this.cond(ctx)}) return ${this.expr(ctx, 1)};`);
    this.emit(indent + 1, `if (${this.cond(ctx)}) throw new Error('${this.id('tr')}');`);
    this.emit(indent, `} catch (${e}) {`);
    this.emit(indent + 1, `if (${this.cond(ctx)}) return 'caught ' + msg(${e});`);
    this.emit(indent, `} finally {`);
    this.emit(indent + 1, `log('${this.id('fr')}');`);
    this.emit(indent, `}`);
  }

  private generatorStmt(ctx: Ctx, indent: number): void {
    const g = this.id('gn');
    this.emit(indent, `const ${g} = gen3(${this.expr(ctx, 1)});`);
    this.emit(indent, `log('${this.id('gv')}', ${g}.next().value, ${g}.next(${this.expr(ctx, 1)}).value, ${g}.next().value, [...gen3(${this.expr(ctx, 1)})]);`);
  }

  private cond(ctx: Ctx): string {
    const r = this.rng;
    // I(...) wherever a literal would make the checker call the condition constant (TS2872/2873/2869).
    const a = `I(${this.expr(ctx, 1)})`;
    switch (r.int(0, 4)) {
      case 0: return `${a} > ${r.int(-2, 10)}`;
      case 1: return `${a} % 2 === ${r.int(0, 1)}`;
      case 2: return `${a} && I(${this.expr(ctx, 1)})`;
      case 3: return `!(${a})`;
      // `>` only: `a < (b > c)` can parse as a call with type arguments in TypeScript.
      default: return `${this.expr(ctx, 1)} > ${a}`;
    }
  }

  private exprList(ctx: Ctx, n: number, depth: number): string {
    return Array.from({ length: n }, () => this.expr(ctx, depth)).join(', ');
  }

  private call(ctx: Ctx, c: Callable, depth: number, preset: string[] = []): string {
    if (c.kind === 'rec') return `${c.name}(${this.rng.int(0, 3)}, ${this.expr(ctx, depth)})`;
    const args = Array.from({ length: c.arity }, (_, k) => preset[k] ?? this.expr(ctx, depth));
    const r = this.rng;
    if (args.length >= 1 && r.chance(0.2)) {
      const split = r.int(0, args.length);
      return `${c.name}(${[...args.slice(0, split), `...[${args.slice(split).join(', ')}]`].join(', ')})`;
    }
    if (r.chance(0.1)) return `(${c.name} as any)(${[...args, this.expr(ctx, depth)].join(', ')})`;
    if (c.kind === 'fn' && r.chance(0.1)) return `${c.name}.call(undefined${args.map((x) => ', ' + x).join('')})`;
    return `${c.name}(${args.join(', ')})`;
  }

  expr(ctx: Ctx, depth: number): string {
    const r = this.rng;
    const leaf = (): string => {
      const k = r.int(0, 9);
      if (k <= 3 && ctx.vars.length) return r.pick(ctx.vars);
      if (k <= 6) return String(r.int(-3, 12));
      if (k === 7) return `(${r.pick(["'s'", "'ab'", "''", 'null', 'undefined', 'true', 'false'])} as any)`;
      if (k === 8 && ctx.hasArguments) return 'arguments.length';
      return String(r.int(0, 5));
    };
    if (depth <= 0) return leaf();
    const d = depth - 1;
    const callables = ctx.callables;
    const k = r.int(0, 16);
    switch (k) {
      case 0:
      case 1:
        return `(${this.expr(ctx, d)} ${r.pick(['+', '-', '*', '+', '%'])} ${this.expr(ctx, d)})`;
      case 2:
        return `((I(${this.expr(ctx, d)}) ${r.pick(['>=', '>', '===', '!=='])} ${this.expr(ctx, d)}) as any)`;
      case 3:
      case 4:
        if (callables.length) return this.call(ctx, r.pick(callables), d);
        return leaf();
      case 5:
        if (callables.length) return `(I(${this.expr(ctx, d)}) ${r.pick(['&&', '||', '??'])} ${this.call(ctx, r.pick(callables), d)})`;
        return `(I(${this.expr(ctx, d)}) && ${this.expr(ctx, d)})`;
      case 6:
        return `(${this.cond(ctx)} ? ${this.expr(ctx, d)} : ${this.expr(ctx, d)})`;
      case 7:
        return `(log('${this.id('cm')}'), ${this.expr(ctx, d)})`;
      case 8:
        return `(tag\`${r.pick(['a', 'x', ''])}\${${this.expr(ctx, d)}}${r.pick(['b', ''])}\` as any)`;
      case 9: {
        const fns = callables.filter((c) => c.kind === 'fn');
        if (!fns.length) return leaf();
        const c = r.pick(fns);
        return `(${this.cond(ctx)} ? ${c.name} : undefined)?.(${this.exprList(ctx, c.arity, d)})`;
      }
      case 10:
        return `(\`t\${${this.expr(ctx, d)}}\` as any)`;
      case 11:
        return `[${this.exprList(ctx, r.int(0, 3), d)}].length`;
      case 12:
        return `((${this.expr(ctx, d)}) | 0)`;
      default:
        return leaf();
    }
  }
}

export function generateProgram(seed: number, opts?: GenOptions): string {
  return new ProgramGenerator(seed, opts).generate();
}
