/**
 * Where function values flow (design.md §2): rest and destructured parameters, apply/call/bind with bound
 * arguments, container built-ins; and what cannot be bounded — `any`, `Function`, values from untyped code —
 * which is called dynamically inside green code, and never makes code green by itself.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('flow of function values', () => {
  it('spread arguments into rest parameters, destructured parameters, defaults', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const slow = () => { sleep(0); };
function runAll(...fns: Array<() => void>) { for (const f of fns) f(); }
function run({ cb }: { cb: () => void }) { cb(); }
function withDefault(cb: () => void = slow) { cb(); }
export function a1() { runAll(slow, () => 1); }
export function a2() { const list = [slow]; runAll(...list); }
export function a3() { run({ cb: slow }); }
export function a4() { withDefault(); }
`,
    });
    expect(a.green('main.ts')).toEqual(['a1', 'a2', 'a3', 'a4', 'run', 'runAll', 'slow', 'withDefault']);
    expect(a.call('main.ts', 'f()')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', 'cb()')).toEqual({ kind: 'dynamic' });
  });

  it('bind with bound arguments shifts the parameters; call passes the receiver first; apply takes an array', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
const slow = () => { sleep(0); };
function withTag(tag: string, cb: () => void) { console.log(tag); cb(); }
export function viaBind() { const tagged = withTag.bind(null, 'x'); tagged(slow); }
export function viaCall() { withTag.call(null, 'y', slow); }
export function viaApply() { withTag.apply(null, ['z', slow]); }
export function plainBind() { const tagged = withTag.bind(null, 'p'); tagged(() => 1); }
`,
    });
    // calling a bound green function is an indirect call: its caller is green whatever it passes
    expect(a.green('main.ts')).toEqual(['plainBind', 'slow', 'viaApply', 'viaBind', 'viaCall', 'withTag']);
    expect(a.call('main.ts', 'tagged(slow)')).toEqual({ kind: 'dynamic' });
    expect(a.call('main.ts', "withTag.call(null, 'y', slow)")).toEqual({ kind: 'dynamic', builtin: 'Function.prototype.call' });
    expect(a.explain('main.ts', 'viaBind')).toEqual([
      'viaBind calls withTag (bound at main.ts:5:44) at main.ts:5:69 (an indirect call: withTag (bound at main.ts:5:44) is one of the functions that may be called there)',
      expect.stringMatching(/^withTag calls its parameter cb at main\.ts:4:67; it blocks only when its caller passes a green function as cb, such as slow$/),
      expect.stringMatching(/^slow calls sleep at main\.ts:3:22$/),
      expect.stringMatching(/^sleep is a blocking primitive \(@blocking, declared at .*index\.d\.ts:\d+:\d+\)$/),
    ]);
  });

  it('containers: find returns an element, Set.forEach and Array.from hand elements to their callbacks', () => {
    const a = analyze({
      'main.ts': `
import { sleep } from 'greenlets';
interface Job { name: string; run: () => void }
const jobs: Job[] = [{ name: 'a', run: () => sleep(0) }];
const thunks = new Set<() => void>([() => sleep(0)]);
export function byName(n: string) { jobs.find((j) => j.name === n)?.run(); }
export function each() { thunks.forEach((t) => t()); }
export function mapped() { return Array.from(thunks, (t) => t()); }
`,
    });
    expect(a.green('main.ts')).toEqual(expect.arrayContaining(['byName', 'each', 'mapped']));
    expect(a.call('main.ts', 'thunks.forEach((t) => t())')).toEqual({ kind: 'green', builtin: 'Set.prototype.forEach' });
    expect(a.call('main.ts', 'Array.from(thunks, (t) => t())')).toEqual({ kind: 'green', builtin: 'Array.from' });
  });
});

describe('what cannot be bounded', () => {
  const a = analyze({
    'main.ts': `
import { sleep } from 'greenlets';
import { lookup, handlers } from 'untyped-lib';
export function green(name: string, f: Function, x: any, s: string) {
  sleep(0);
  lookup(name)();
  handlers[name]!();
  f.call(null);
  (x as () => void)();
  JSON.parse(s).run();
  x.deep.method(1);
}
export function plain(name: string, f: Function, x: any) { lookup(name)(); f(); x(); }
`,
  });

  it('inside green code: dynamic calls (a [GREEN] test at run time)', () => {
    expect(a.green('main.ts')).toEqual(['green']);
    for (const call of ['lookup(name)()', 'handlers[name]!()', 'JSON.parse(s).run()', 'x.deep.method(1)']) {
      expect(a.call('main.ts', call), call).toEqual({ kind: 'dynamic' });
    }
    expect(a.call('main.ts', 'f.call(null)')).toEqual({ kind: 'dynamic', builtin: 'Function.prototype.call' });
    // a cast does not bound what an `any` really holds
    expect(a.call('main.ts', '(x as () => void)()')).toEqual({ kind: 'dynamic' });
    // the untyped library's own function is an ordinary call
    expect(a.call('main.ts', 'lookup(name)')).toBe('plain');
  });

  it('outside green code: they do not make a function green', () => {
    expect(a.green('main.ts')).not.toContain('plain');
    expect(a.explain('main.ts', 'plain')).toEqual(['plain is not green: nothing it calls or iterates can block']);
  });
});
