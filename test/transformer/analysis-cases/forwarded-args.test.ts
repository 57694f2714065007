/**
 * Runtime functions that call a function they are given with the call's other arguments (`spawn(fn, ...args)`,
 * `spawnLater`, `pool.spawn`, `group.spawn`, `pool.apply`, and `pool.map` over functions): a green function passed along as one of those arguments reaches
 * fn's parameter, so fn calls it as green code — before, fn stayed plain and threw BlockingSwitchOutError.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/helpers.js';
import { buildAndRun } from './build-and-run.js';

const src = `
import { spawn, spawnLater, sleep } from 'greenlets';
import { Group, Pool } from 'greenlets/pool';
export function call(name: string, block: () => unknown): string { block(); return name; }
export function twice(f: (n: number) => number, n: number): number { return f(f(n)); }
export function plainUser(f: () => number): number { return f(); }
const slowInc = (n: number): number => { sleep(0.005); return n + 1; };
console.log(spawn(call, 'spawn', () => sleep(0.01)).get());
console.log(spawnLater(0.01, call, 'later', () => sleep(0.01)).get());
console.log(new Pool(2).spawn(call, 'pool', () => sleep(0.01)).get());
console.log(spawn(twice, slowInc, 5).get());
console.log(spawn(plainUser, () => 7).get());
console.log(new Pool(2).apply(twice, [slowInc, 1]));
console.log(new Group().spawn(twice, slowInc, 10).get());
console.log(new Pool(2).map((f: () => number) => f(), [() => { sleep(0.01); return 1; }, () => 2]).join(','));
`;

describe('arguments forwarded by spawn and its relatives', () => {
  it('make the spawned function green when a green function is among them, and only then', () => {
    // the analysis helpers' stand-in runtime has spawn and sleep only
    const lines = src.split('\n').filter((l) => !/spawnLater\(|Pool|Group/.test(l));
    const a = analyze({ 'main.ts': lines.join('\n').replace('spawn, spawnLater, sleep', 'spawn, sleep') });
    const green = a.green('main.ts');
    expect(green).toContain('call');
    expect(green).toContain('twice');
    expect(green).not.toContain('plainUser');
  });

  it('runs', () => {
    const r = buildAndRun({ 'main.ts': src });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('spawn\nlater\npool\n7\n7\n3\n12\n1,2\n');
  });
});
