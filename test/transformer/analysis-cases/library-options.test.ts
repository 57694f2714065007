/**
 * Callbacks inside an options object across the library boundary (design.md §2, "library builds"): a library
 * function that blocks only through `options.onRetry` (or a destructured `{ onRetry }`) is conditional on that
 * property — `@blocking options.onRetry` — and a consumer reading the tag calls it green exactly when it passes a
 * green function there.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/helpers.js';

const LIB = `
import { sleep } from 'greenlets';
export interface RetryOptions { attempts?: number; onRetry?: (n: number) => void }
const noop = (_n: number): void => {};
export function retry<T>(fn: () => T, options: RetryOptions = {}): T {
  for (let i = 1; ; i++) {
    try { return fn(); } catch (e) { if (i >= (options.attempts ?? 3)) throw e; options.onRetry?.(i); }
  }
}
export function retryPattern<T>(fn: () => T, { attempts = 3, onRetry }: RetryOptions = {}): T {
  for (let i = 1; ; i++) {
    try { return fn(); } catch (e) { if (i >= attempts) throw e; onRetry?.(i); }
  }
}
export function retryConst<T>(fn: () => T, options: RetryOptions): T {
  const { onRetry = noop } = options;
  for (let i = 1; ; i++) {
    try { return fn(); } catch (e) { if (i >= 3) throw e; onRetry(i); }
  }
}
export function retryTwice<T>(fn: () => T, options: RetryOptions): T { return retry(() => retry(fn, options), options); }
export function pause(s: number): void { sleep(s); }
`;

const lib = { declaration: true } as const;

function conditional(a: ReturnType<typeof analyze>, file: string): string[] {
  return [...a.file(file).conditional!].map(([fn, names]) => `${(fn as { name?: { getText(): string } }).name?.getText()}(${names.join(',')})`).sort();
}

describe('a library build: callbacks read from an options parameter', () => {
  it('is conditional on the property: options.onRetry, a destructured onRetry, onRetry of a const pattern, passed on', () => {
    const a = analyze({ 'lib.ts': LIB }, { compilerOptions: lib });
    expect(conditional(a, 'lib.ts')).toEqual([
      'retry(fn,options.onRetry)',
      'retryConst(fn,options.onRetry)',
      'retryPattern(fn,onRetry)',
      // fn is captured by the arrow (the consumer adapts a green one); options is passed on whole
      'retryTwice(options.onRetry)',
    ]);
    // the calls through the property may reach what an outside caller passed: tested at run time
    expect(a.call('lib.ts', 'options.onRetry?.(i)')).toEqual({ kind: 'dynamic' });
    expect(a.call('lib.ts', 'onRetry?.(i)')).toEqual({ kind: 'dynamic' });
    expect(a.call('lib.ts', 'onRetry(i)')).toEqual({ kind: 'dynamic' });
    expect(a.explain('lib.ts', 'retryPattern')[0]).toMatch(/calls its parameter onRetry at lib\.ts:\d+:\d+; it is exported/);
    expect(a.diagnostics()).toEqual([]);
  });

  it('a blocking default is the function\'s own: it blocks whatever the caller passes', () => {
    const src = LIB.replace('const noop = (_n: number): void => {};', 'const noop = (_n: number): void => { sleep(0); };');
    const a = analyze({ 'lib.ts': src }, { compilerOptions: lib });
    // only retryConst's onRetry has the blocking default; the other two stay conditional on theirs
    expect(conditional(a, 'lib.ts')).toEqual(['retry(fn,options.onRetry)', 'retryPattern(fn,onRetry)', 'retryTwice(options.onRetry)']);
    expect(a.green('lib.ts')).toContain('retryConst');
  });
});

describe('in one program: the options object decides', () => {
  it('callers passing a green onRetry in an object literal are green, callers passing plain ones stay plain', () => {
    const main = `
import { retry, retryPattern, pause } from './lib.js';
export function slow(): number { return retry(() => 1, { onRetry: (n) => pause(n) }); }
export function quick(): number { return retry(() => 2, { attempts: 2, onRetry: (n) => console.log(n) }); }
export function slowPattern(): number { const onRetry = (n: number) => pause(n); return retryPattern(() => 3, { onRetry }); }
export function none(): number { return retry(() => 4); }
export function viaVariable(): number { const opts = { onRetry: (n: number) => pause(n) }; return retry(() => 5, opts); }
`;
    const a = analyze({ 'lib.ts': LIB, 'main.ts': main });
    expect(a.green('main.ts')).toContain('slow');
    expect(a.green('main.ts')).toContain('slowPattern');
    // not a literal at the call: every green onRetry counts (more than it passes, never less)
    expect(a.green('main.ts')).toContain('viaVariable');
    expect(a.green('main.ts')).not.toContain('quick');
    expect(a.green('main.ts')).not.toContain('none');
    expect(a.diagnostics()).toEqual([]);
  });
});
