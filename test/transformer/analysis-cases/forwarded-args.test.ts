/**
 * Runtime functions that call a function they are given with the call's other arguments (`spawn(fn, ...args)`,
 * `spawnLater`, `pool.spawn`, `group.spawn`, `pool.apply`, and `pool.map` over functions, `new Greenlet(fn,
 * ...args)` and the constructors and static spawns of its subclasses): a green function passed along as one of
 * those arguments reaches fn's parameter, so fn calls it as green code — before, fn stayed plain and threw
 * BlockingSwitchOutError.
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
    // the analysis helpers' stand-in runtime has no greenlets/pool
    const lines = src.split('\n').filter((l) => !/Pool|Group/.test(l));
    const a = analyze({ 'main.ts': lines.join('\n') });
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

const greenletSrc = `
import { Greenlet, sleep } from 'greenlets';
export function direct(name: string, block: () => unknown): string { block(); return name; }
export function inherited(name: string, block: () => unknown): string { block(); return name; }
export function viaSuper(name: string, block: () => unknown): string { block(); return name; }
export function viaStatic(name: string, block: () => unknown): string { block(); return name; }
export function later(name: string, block: () => unknown): string { block(); return name; }
export function plainUser(f: () => number): number { return f(); }
/** Passes its arguments to Greenlet's constructor as they are. */
class Worker extends Greenlet<string> {}
/** Builds its own: the label is both a field and run's first argument. */
class Labelled extends Greenlet<string> {
  constructor(readonly label: string, run: (label: string, block: () => unknown) => string, block: () => unknown) {
    super(run, label, block);
  }
}
const g = new Greenlet(direct, 'new Greenlet', () => sleep(0.01));
g.start();
console.log(g.get());
const w = new Worker(inherited, 'new Worker', () => sleep(0.01));
w.start();
console.log(w.get());
const l = new Labelled('new Labelled', viaSuper, () => sleep(0.01));
l.start();
console.log(l.get(), l.label);
console.log(Labelled.spawn('Labelled.spawn', viaStatic, () => sleep(0.01)).get());
console.log(Worker.spawnLater(0.01, later, 'Worker.spawnLater', () => sleep(0.01)).get());
const p = new Greenlet(plainUser, () => 7);
p.start();
console.log(p.get());
`;

describe('arguments of a Greenlet construction', () => {
  // The stand-in declares the constructor and static spawns as dist does: both must decide alike.
  it.each(['real', 'stand-in'] as const)('reach the function it runs, through subclasses, super(...) and static spawns on a subclass (%s runtime declarations)', (greenlets) => {
    const a = analyze({ 'main.ts': greenletSrc }, { greenlets });
    const green = a.green('main.ts');
    for (const name of ['direct', 'inherited', 'viaSuper', 'viaStatic', 'later']) expect(green).toContain(name);
    expect(green).not.toContain('plainUser');
  });

  it('runs', () => {
    const r = buildAndRun({ 'main.ts': greenletSrc });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('new Greenlet\nnew Worker\nnew Labelled new Labelled\nLabelled.spawn\nWorker.spawnLater\n7\n');
    expect(r.status).toBe(0);
  });
});
