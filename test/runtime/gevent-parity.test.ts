/**
 * Behaviours found by the twins (fixtures/twins) where greenlets printed something else than gevent 22.10.2;
 * each case is the smallest program that showed the difference.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BlockingSwitchOutError, Greenlet, joinall, sleep, spawn } from '../../src/index.js';
import { Channel } from '../../src/queue.js';
import { Local } from '../../src/local.js';
import { G, M, gf, run } from '../helpers/green.js';

describe('Greenlet.spawn on a subclass (gevent: a classmethod, cls(*args))', () => {
  class Worker extends Greenlet<string> {
    constructor(
      readonly label: string,
      readonly delay: number,
    ) {
      super();
    }
    protected override _run(): string {
      return `${this.label} after ${this.delay}`;
    }
  }

  it('builds and starts an instance of the subclass from the constructor arguments', async () => {
    await run(function* () {
      const w = Worker.spawn('w1', 0.001);
      expect(w).toBeInstanceOf(Worker);
      expect(w.label).toBe('w1');
      expect(w.started).toBe(true);
      expect(yield* G(w.get).call(w)).toBe('w1 after 0.001');
    });
  });

  it('spawnLater on a subclass starts the subclass later', async () => {
    await run(function* () {
      const w = Worker.spawnLater(0.01, 'w2', 0);
      expect(w).toBeInstanceOf(Worker);
      yield* G(sleep)(0);
      expect(w.dead).toBe(false);
      expect(yield* G(w.get).call(w)).toBe('w2 after 0');
    });
  });

  it('on Greenlet itself (and detached) it still takes a function and its arguments', async () => {
    await run(function* () {
      const g = Greenlet.spawn((a: number, b: number) => a + b, 2, 3);
      const detached = Greenlet.spawn;
      const h = detached((s: string) => s.toUpperCase(), 'x');
      expect(yield* G(g.get).call(g)).toBe(5);
      expect(yield* G(h.get).call(h)).toBe('X');
    });
  });
});

describe('BlockingSwitchOutError for a function without a name', () => {
  it('says so instead of leaving the name out', () => {
    const arrow = gf(function* () {
      yield* G(sleep)(0.01);
    });
    Object.defineProperty(arrow, 'name', { value: '' });
    let caught: unknown;
    try {
      arrow();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BlockingSwitchOutError);
    expect((caught as Error).message).toMatch(/^An anonymous function would block, but it was called from code that cannot suspend/);
  });
});

describe('Channel serves getters strictly FIFO, from an unlock step (gevent Channel._unlock)', () => {
  it('a getter that comes back for more queues behind the getters already waiting', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const log: string[] = [];
      const sender = gf(function* sender(name: string, items: number[]) {
        for (const item of items) {
          yield* M(c, 'put')(`${name}:${item}`);
          log.push(`${name} sent ${item}`);
        }
      });
      const receiver = gf(function* receiver(name: string, n: number) {
        for (let i = 0; i < n; i++) log.push(`${name} got ${yield* M(c, 'get')()}`);
      });
      const gs = [spawn(sender, 's1', [1, 2]), spawn(sender, 's2', [3]), spawn(receiver, 'r1', 2), spawn(receiver, 'r2', 1)];
      yield* G(joinall)(gs);
      // what gevent 22.10.2 prints for the same program (fixtures/twins/queue_more)
      expect(log).toEqual(['r1 got s1:1', 's1 sent 1', 'r2 got s2:3', 's2 sent 3', 'r1 got s1:2', 's1 sent 2']);
    });
  });

  it('get() waits its turn even when a putter is already waiting', async () => {
    await run(function* () {
      const c = new Channel<number>();
      const log: string[] = [];
      spawn(gf(function* () {
        yield* M(c, 'put')(1);
        log.push('put returned');
      }));
      yield* G(sleep)(0);
      log.push('getting');
      log.push(`got ${yield* M(c, 'get')()}`);
      yield* G(sleep)(0);
      expect(log).toEqual(['getting', 'got 1', 'put returned']);
    });
  });

  it('an item handed by putNowait to a getter that is killed before it runs goes to the next getter', async () => {
    await run(function* () {
      const c = new Channel<string>();
      const log: string[] = [];
      const getter = gf(function* getter(name: string) {
        log.push(`${name} got ${yield* M(c, 'get')()}`);
      });
      const a = spawn(getter, 'a');
      const b = spawn(getter, 'b');
      yield* G(sleep)(0);
      c.putNowait('x');
      a.kill({ block: false });
      yield* G(joinall)([a, b]);
      expect(log).toEqual(['b got x']);
      expect(c.balance).toBe(0);
    });
  });
});

describe('Local subclass constructor arguments (gevent re-runs __init__ with the same arguments)', () => {
  it('a subclass that does not pass its required arguments on to super() is told so at once', () => {
    class Settings extends Local {
      user: string;
      constructor(user: string) {
        super();
        this.user = user;
      }
    }
    expect(() => new Settings('admin')).toThrow(/Settings extends Local: its constructor takes 1 argument but passes 0 to super\(\)/);
  });

  it('passed on, they are what the constructor runs with again in another greenlet', async () => {
    class Settings extends Local {
      user: string;
      constructor(user: string) {
        super(user);
        this.user = user;
      }
    }
    await run(function* () {
      const s = new Settings('admin');
      s.user = 'changed in main';
      const g = spawn(() => s.user);
      expect(yield* G(g.get).call(g)).toBe('admin');
    });
  });
});

describe("a program's first greenlet knows its spawner", () => {
  it('spawned before the hub exists, its spawningGreenlet is the main greenlet (a fresh node)', () => {
    const dist = new URL('../../dist/index.js', import.meta.url).href;
    const code = `
      const gl = await import(${JSON.stringify(dist)});
      const g = gl.spawn(() => 1);
      console.log(g.spawningGreenlet === gl.getcurrent(), g.spawningGreenlet?.name);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true MainGreenlet\n');
  });
});

describe('LoopExit at every blocking call that nothing can wake (gevent)', () => {
  it('main that caught one LoopExit and blocks forever again gets another, and finishes normally', () => {
    const dist = (f: string) => JSON.stringify(new URL(`../../dist/${f}`, import.meta.url).href);
    const code = `
      const { GREEN, LoopExit, runMain } = await import(${dist('index.js')});
      const { Event } = await import(${dist('event.js')});
      const { Queue } = await import(${dist('queue.js')});
      await runMain(function* () {
        for (const [what, block] of [['Event.wait', () => { const e = new Event(); return e.wait[GREEN].call(e); }],
                                     ['Queue.get', () => { const q = new Queue(); return q.get[GREEN].call(q); }]]) {
          try {
            yield* block();
          } catch (e) {
            console.log(what, e instanceof LoopExit);
          }
        }
        console.log('main continues');
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Event.wait true\nQueue.get true\nmain continues\n');
    expect(r.status).toBe(0);
  });
});
