/**
 * `greenlets check --explain` (design.md §2): ProgramAnalysis.explain(fn) gives the chain of reasons from a
 * function to a root, one readable line per step with the place of the call, paths relative to the project.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('explain', () => {
  const a = analyze({
    'main.ts': `
import { sleep, iwait, spawn, type Greenlet } from 'greenlets';
import { Queue } from 'greenlets/queue';
const handlers = new Map<string, (x: number) => void>();
handlers.set('slow', (x) => sleep(x));
export function dispatch(name: string) { handlers.get(name)?.(1); }
export function viaMap(xs: number[]) { xs.forEach((x) => sleep(x)); }
export function drain(q: Queue<number>) { for (const item of q) console.log(item); }
export function collect(gs: Array<Greenlet<number>>) { return Array.from(iwait(gs)); }
function twice(fn: () => void) { fn(); fn(); }
export function useTwice() { twice(() => sleep(0)); }
export class Account {
  get balance() { dispatch('slow'); return 1; }
}
export function plain() { return spawn(() => 1); }
`,
  }, { greenlets: 'real' });

  it('an indirect call through a Map, down to the blocking primitive', () => {
    expect(a.explain('main.ts', 'dispatch')).toEqual([
      `dispatch calls <arrow function at main.ts:5:22> at main.ts:6:42 (an indirect call: <arrow function at main.ts:5:22> is one of the functions that may be called there)`,
      '<arrow function at main.ts:5:22> calls sleep at main.ts:5:29',
      expect.stringMatching(/^sleep is a blocking primitive \(@blocking, declared at .*dist\/runtime\/sleep\.d\.ts:\d+:\d+\)$/),
    ]);
  });

  it('a green callback of a built-in, a blocking iteration, Array.from of a blocking iterable', () => {
    expect(a.explain('main.ts', 'viaMap')[0]).toBe(
      'viaMap passes the green function <arrow function at main.ts:7:51> to Array.prototype.forEach at main.ts:7:40, which calls it',
    );
    expect(a.explain('main.ts', 'drain')).toEqual(['drain iterates a blocking iterable (Queue<number>) at main.ts:8:43']);
    expect(a.explain('main.ts', 'collect')).toEqual(['collect collects a blocking iterable with Array.from at main.ts:9:63']);
  });

  it('a function green only through its callback, and the caller that gives it one', () => {
    expect(a.explain('main.ts', 'useTwice')).toEqual([
      'useTwice calls twice at main.ts:11:30, passing the green function <arrow function at main.ts:11:36> as fn (twice blocks only when given one)',
      '<arrow function at main.ts:11:36> calls sleep at main.ts:11:42',
      expect.stringMatching(/^sleep is a blocking primitive/),
    ]);
    expect(a.explain('main.ts', 'twice')[0]).toBe(
      'twice calls its parameter fn at main.ts:10:40; it blocks only when its caller passes a green function as fn, such as <arrow function at main.ts:11:36>',
    );
  });

  it('a construct that cannot be green says so first; a plain function says why not', () => {
    const lines = a.analysis.explain(a.fnAt('main.ts', 'get balance') as never).map((l) => l.split(a.dir + '/').join(''));
    expect(lines[0]).toBe('Account.balance is a getter, which cannot suspend (GL1010), but would block:');
    expect(lines[1]).toBe('Account.balance calls dispatch at main.ts:13:19');
    expect(lines[2]).toMatch(/^dispatch calls <arrow function at main\.ts:5:22>/);
    expect(a.explain('main.ts', 'plain')).toEqual(['plain is not green: nothing it calls or iterates can block']);
  });
});
