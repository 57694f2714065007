/**
 * A blocking iterable written as a property of an object literal (`run({ items: q })`) reaches the function that
 * iterates that property of its parameter (`for (const x of opts.items)`, typed `Iterable<T>`): the iteration
 * goes through greenIterator, the function blocks only for callers that pass one there, and those callers are
 * green; a caller passing an array there stays plain.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';

describe('a blocking iterable in an object literal property', () => {
  const a = analyze({
    'main.ts': `
import { iwait, spawn, sleep, Queue } from 'greenlets';
interface Options { items: Iterable<number>; label: string }
export function run(opts: Options): number { let n = 0; for (const x of opts.items) n += x; return n; }
export function byQueue(q: Queue<number>): number { return run({ items: q, label: 'q' }); }
export function byShorthand(items: Queue<number>): number { return run({ items, label: 's' }); }
export function byIwait(): number { return run({ items: iwait([1, 2]), label: 'i' }); }
export function byArray(): number { return run({ items: [1, 2], label: 'a' }); }
const g = spawn(() => { sleep(0.01); return 1; });
void g;
`,
  });

  it('the property iteration is dynamic; run blocks only when given one as opts.items', () => {
    expect(a.iteration('main.ts', 'for (const x of opts.items)')).toBe('dynamic');
    expect(a.file('main.ts').conditional!.get(a.fn('main.ts', 'run') as never)).toEqual(['opts.items']);
  });

  it('callers passing a Queue or iwait() there are green, a caller passing an array is plain', () => {
    const green = a.green('main.ts');
    for (const f of ['run', 'byQueue', 'byShorthand', 'byIwait']) expect(green).toContain(f);
    expect(green).not.toContain('byArray');
    expect(a.call('main.ts', "run({ items: q, label: 'q' })")).toMatchObject({ kind: 'green' });
    expect(a.diagnostics('main.ts')).toEqual([]);
  });
});
