/**
 * greenlets/local — the behaviours of gevent's test__local.py that have a JavaScript meaning: values per greenlet,
 * a subclass constructor re-run in each greenlet, class attributes as defaults, methods and getters seeing the
 * calling greenlet's values, and values that go away with their greenlet or their Local.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Greenlet, getHub, getcurrent, joinall, sleep, spawn } from '../../src/index.js';
import { Local, local } from '../../src/local.js';
import { G, M, gf, run } from '../helpers/green.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let reports: string[] = [];
let savedStream: ReturnType<typeof getHub>['exceptionStream'];
beforeEach(() => {
  reports = [];
  savedStream = getHub().exceptionStream;
  getHub().exceptionStream = { write: (s: string) => reports.push(s) };
});
afterEach(() => {
  getHub().exceptionStream = savedStream;
});

/** Collect garbage until FinalizationRegistry callbacks have had their chance (they run from a later task). */
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Run `fn` in a new greenlet and return what it returned. */
function* inGreenlet<T>(fn: () => T): Generator<unknown, T, unknown> {
  return (yield* M(spawn(fn), 'get')()) as T;
}

describe('Local', () => {
  it('keeps a value per greenlet: reads, writes, `in`, delete and keys (test_local_opts_not_subclassed)', async () => {
    await run(function* () {
      const l = new Local<{ attr?: number; other?: string }>();
      l.attr = 1;
      expect(l.attr).toBe(1);
      const seen = yield* inGreenlet(() => {
        const before = [l.attr, 'attr' in l, Object.keys(l)];
        l.attr = 2;
        l.other = 'x';
        delete l.attr;
        return [...before, 'attr' in l, Object.keys(l), l.other];
      });
      expect(seen).toEqual([undefined, false, [], false, ['other'], 'x']);
      expect(l.attr).toBe(1);
      expect('other' in l).toBe(false);
      expect(Object.keys(l)).toEqual(['attr']);
      expect({ ...l }).toEqual({ attr: 1 });
      expect(JSON.stringify(l)).toBe('{"attr":1}');
    });
  });

  it('interleaved greenlets each see their own value across suspensions', async () => {
    await run(function* () {
      const l = new Local<{ n?: number }>();
      const log: string[] = [];
      const worker = gf(function* worker(n: number) {
        l.n = n;
        for (let i = 0; i < 3; i++) {
          yield* G(sleep)(0);
          log.push(`${n}:${l.n}`);
          l.n = (l.n ?? 0) + 10;
        }
        return l.n;
      });
      const gs = [1, 2, 3].map((n) => spawn(worker, n));
      yield* G(joinall)(gs);
      expect(gs.map((g) => g.value)).toEqual([31, 32, 33]);
      expect(log).toEqual(['1:1', '2:2', '3:3', '1:11', '2:12', '3:13', '1:21', '2:22', '3:23']);
      expect(l.n).toBeUndefined();
    });
  });

  it('is also exported under gevent\'s spelling, local', () => {
    expect(local).toBe(Local);
  });

  it('refuses initialisation arguments to Local itself, saying to subclass it (test_create_local_subclass_init_args)', () => {
    expect(() => new (Local as new (...a: unknown[]) => object)('foo')).toThrow(TypeError);
    expect(() => new (Local as new (...a: unknown[]) => object)('foo')).toThrow(/initialization arguments are not supported.*subclass it/i);
  });

  it('re-runs a subclass constructor, with its arguments, in each greenlet that first touches it', async () => {
    const runs: string[] = [];
    class Session extends Local {
      declare user: string;
      visits = 0;
      constructor(readonly site: string) {
        super(site);
        runs.push(`${getcurrent().name}: ${site}`);
        this.user = `anonymous@${site}`;
      }
      visit(): number {
        return ++this.visits;
      }
    }
    await run(function* () {
      const s = new Session('example.org');
      expect(runs).toEqual(['MainGreenlet: example.org']);
      s.user = 'main user';
      s.visit();
      s.visit();
      const g = spawn(() => [s.user, s.site, s.visit(), s.visit(), s.visit()]);
      g.name = 'worker';
      expect(yield* M(g, 'get')()).toEqual(['anonymous@example.org', 'example.org', 1, 2, 3]);
      expect(runs).toEqual(['MainGreenlet: example.org', 'worker: example.org']);
      // back in main: main's values, and no third run
      expect([s.user, s.visits]).toEqual(['main user', 2]);
      expect(runs).toHaveLength(2);
      expect(s).toBeInstanceOf(Session);
      expect(s).toBeInstanceOf(Local);
      expect(Object.getPrototypeOf(s)).toBe(Session.prototype);
    });
  });

  it('a constructor that reads its own properties sees the dictionary being made, once (test_slot_and_type_attributes)', async () => {
    let runs = 0;
    class A extends Local {
      declare initialized?: number;
      declare obj: object;
      path = '';
      constructor(obj: object) {
        super(obj);
        runs++;
        if (!('initialized' in this)) this.obj = obj;
      }
    }
    await run(function* () {
      const shared = {};
      const a = new A(shared);
      a.initialized = 1;
      a.path = '123';
      const other = yield* inGreenlet(() => [a.initialized, a.obj === shared, a.path]);
      expect(other).toEqual([undefined, true, '']);
      expect(runs).toBe(2);
      expect([a.initialized, a.path]).toEqual([1, '123']);
    });
  });

  it('class attributes are defaults: readable, shadowed per greenlet by assignment, back after delete (test_class_attr)', async () => {
    class MyLocal extends Local {
      declare CLASS_PROP: number;
      get desc(): this {
        return this;
      }
    }
    MyLocal.prototype.CLASS_PROP = 42;
    class MyLocalSubclass extends MyLocal {}
    await run(function* () {
      for (const Kind of [MyLocal, MyLocalSubclass]) {
        const l = new Kind();
        expect(l.CLASS_PROP).toBe(42);
        l.CLASS_PROP = 1;
        expect(l.CLASS_PROP).toBe(1);
        expect(Object.keys(l)).toEqual(['CLASS_PROP']);
        expect(yield* inGreenlet(() => l.CLASS_PROP)).toBe(42);
        delete (l as { CLASS_PROP?: number }).CLASS_PROP;
        expect(l.CLASS_PROP).toBe(42);
        expect(MyLocal.prototype.CLASS_PROP).toBe(42);
        // a getter runs with `this` the Local itself, in every greenlet
        expect(l.desc).toBe(l);
        expect(yield* inGreenlet(() => l.desc === l)).toBe(true);
      }
    });
  });

  it('accessors and methods of a subclass work on the calling greenlet’s values', async () => {
    class Counter extends Local {
      private count = 0;
      get value(): number {
        return this.count;
      }
      set value(v: number) {
        if (v < 0) throw new RangeError('negative');
        this.count = v;
      }
      static describe(): string {
        return 'a counter per greenlet';
      }
    }
    await run(function* () {
      const c = new Counter();
      c.value = 5;
      const other = yield* inGreenlet(() => {
        const start = c.value;
        c.value = 7;
        return [start, c.value];
      });
      expect(other).toEqual([0, 7]);
      expect(c.value).toBe(5);
      expect(() => (c.value = -1)).toThrow(RangeError);
      expect(Counter.describe()).toBe('a counter per greenlet');
    });
  });

  it('two Locals are independent (test_objects), and a value unset in one greenlet is undefined (test_attribute_error)', async () => {
    await run(function* () {
      const a = new Local<{ path?: string; fizz?: number }>();
      const b = new Local<{ path?: string }>();
      a.path = '123';
      b.path = '123';
      b.path = '321';
      expect([a.path, b.path]).toEqual(['123', '321']);
      expect(a.fizz).toBeUndefined();
      yield* inGreenlet(() => {
        a.fizz = 1;
      });
      expect(a.fizz).toBeUndefined();
      expect('fizz' in a).toBe(false);
    });
  });

  it('a private field in a subclass is refused with a clear error when a second greenlet touches it', async () => {
    class WithPrivate extends Local {
      #secret = 1;
      peek(): number {
        return this.#secret;
      }
    }
    await run(function* () {
      const w = new WithPrivate();
      expect(w.peek()).toBe(1);
      const g = spawn(() => (w as { anything?: unknown }).anything);
      yield* M(g, 'join')();
      expect(g.exception).toBeInstanceOf(TypeError);
      expect((g.exception as Error).message).toMatch(/WithPrivate extends Local but has a private field .*Use an ordinary property/);
      expect(reports[0]).toMatch(/failed with TypeError: WithPrivate extends Local but has a private field/);
    });
  });

  it('a dead greenlet’s values are collected even while the Greenlet object is kept (gevent issue 387)', async () => {
    const finalized: string[] = [];
    const registry = new FinalizationRegistry<string>((tag) => finalized.push(tag));
    class WithSentinel extends Local {
      sentinel: object;
      constructor() {
        super();
        this.sentinel = {};
        registry.register(this.sentinel, getcurrent().name);
      }
    }
    let kept: Greenlet<unknown>[] = [];
    await run(function* () {
      const l = new WithSentinel();
      kept = Array.from({ length: 5 }, () => spawn(() => void l.sentinel));
      yield* G(joinall)(kept);
      expect(kept.every((g) => g.dead)).toBe(true);
      (globalThis as { __keepLocal?: unknown }).__keepLocal = l; // the Local itself stays alive
    });
    await collect();
    expect(finalized.sort()).toEqual(kept.map((g) => g.name).sort());
    expect(kept).toHaveLength(5); // still referenced
    delete (globalThis as { __keepLocal?: unknown }).__keepLocal;
  });

  it('a Local nobody references is collected while the greenlet that used it still runs (gevent issue 981)', async () => {
    let finalized = 0;
    const registry = new FinalizationRegistry<number>(() => finalized++);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    // Made and dropped in a plain helper, so no register of the suspended generator below keeps the last one.
    const useAndDrop = (i: number): void => {
      const x = new Local<{ sentinel?: object }>();
      x.sentinel = {};
      registry.register(x.sentinel, i);
    };
    const g = spawn(
      gf(function* longRunning() {
        for (let i = 0; i < 100; i++) useAndDrop(i);
        yield* G(sleep)(0.05);
        release();
        yield* G(sleep)(0.5); // still alive while the test collects
      }),
    );
    await done;
    await collect();
    expect(g.dead).toBe(false);
    expect(finalized).toBe(100);
    g.kill({ block: false });
    await g;
  });
});
