/**
 * Greenlet lifecycle, links, join/get/kill and promise interop — the behaviours of gevent's test__greenlet.py
 * and the kill cases of test__api.py, checked case by case against gevent 22.10.2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Greenlet,
  GreenletExit,
  InvalidSwitchError,
  Timeout,
  getHub,
  getcurrent,
  joinall,
  killall,
  sleep,
  spawn,
  spawnLater,
  spawnRaw,
  withTimeout,
} from '../../src/index.js';
import { AsyncResult, Event } from '../../src/event.js';
import { Channel, Queue } from '../../src/queue.js';
import { G, M, gf, run } from '../helpers/green.js';

class ExpectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectedError';
  }
}

/** Swap the hub's exception stream so reports can be asserted on (and do not clutter the test output). */
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

const sleepy = gf(function* sleepy(seconds: number, value?: unknown) {
  yield* G(sleep)(seconds);
  return value;
});

describe('state flags (test_simple_exit / test_error_exit)', () => {
  it('go from new to started to dead, with value or exception at the end', async () => {
    await run(function* () {
      const rawlinked: Greenlet<any>[] = [];
      const g = new Greenlet(sleepy, 0.01, 5);
      g.rawlink((s) => rawlinked.push(s));
      expect([g.dead, g.started, g.ready(), g.successful(), g.value, g.exception]).toEqual([
        false, false, false, false, undefined, undefined,
      ]);
      g.start();
      expect([g.dead, g.started, g.ready(), g.successful()]).toEqual([false, true, false, false]);
      yield* G(sleep)(0.001);
      expect([g.dead, g.started, g.ready(), g.successful(), g.value]).toEqual([false, true, false, false, undefined]);
      expect(rawlinked).toEqual([]);
      yield* G(sleep)(0.1);
      expect([g.dead, g.started, g.ready(), g.successful(), g.value, g.exception]).toEqual([
        true, false, true, true, 5, undefined,
      ]);
      expect(rawlinked).toEqual([g]);
    });
  });

  it('a failure keeps the error in exception and leaves value undefined', async () => {
    await run(function* () {
      const err = new ExpectedError('test_error_exit');
      const g = spawn(
        gf(function* () {
          yield* G(sleep)(0.001);
          throw err;
        }),
      );
      yield* M(g, 'join')();
      expect([g.dead, g.started, g.ready(), g.successful(), g.value]).toEqual([true, false, true, false, undefined]);
      expect(g.exception).toBe(err);
    });
  });

  it('start() twice and start() after death do nothing', async () => {
    await run(function* () {
      let runs = 0;
      const g = spawn(() => ++runs);
      g.start();
      yield* M(g, 'join')();
      g.start();
      yield* G(sleep)(0.01);
      expect(runs).toBe(1);
      expect(g.value).toBe(1);
    });
  });

  it('plain (non-green) functions run to completion in their greenlet', async () => {
    await run(function* () {
      const g = spawn((a: number, b: number) => a + b, 2, 3);
      expect(yield* M(g, 'get')()).toBe(5);
    });
  });
});

describe('names and idents', () => {
  it('name is Greenlet-N from minimalIdent, settable, and shows in toString', async () => {
    await run(function* () {
      const g = spawn(function work() {});
      expect(g.minimalIdent).toBeGreaterThanOrEqual(0);
      expect(g.name).toBe(`Greenlet-${g.minimalIdent}`);
      expect(String(g)).toBe(`<Greenlet "${g.name}": work>`);
      g.name = 'Foo';
      expect(String(g)).toBe('<Greenlet "Foo": work>');
      yield* M(g, 'join')();
      expect(String(g)).toBe('<Greenlet "Foo": work>');
      const h = spawn(() => {});
      expect(h.minimalIdent).not.toBe(g.minimalIdent);
      expect(getcurrent().minimalIdent).toBeGreaterThanOrEqual(0);
    });
  });

  it('spawn tree: spawningGreenlet and spawnTreeLocals shared down a tree (test_tree_locals)', async () => {
    await run(function* () {
      const seen: unknown[] = [];
      const func = () => {
        const child = new Greenlet(() => {});
        seen.push(child.spawningGreenlet === getcurrent(), child.spawnTreeLocals === getcurrent().spawnTreeLocals);
      };
      const g = new Greenlet(func);
      const g2 = new Greenlet(func);
      // each greenlet of the main greenlet starts a tree of its own
      expect(g.spawnTreeLocals).not.toBe(g2.spawnTreeLocals);
      expect(g.spawnTreeLocals).not.toBe(getcurrent().spawnTreeLocals);
      g.start();
      yield* M(g, 'join')();
      expect(seen).toEqual([true, true]);
      expect(g.spawningGreenlet).toBe(getcurrent());
      const raw = spawnRaw(func);
      expect(raw.spawnTreeLocals).not.toBe(g.spawnTreeLocals);
      expect(raw.spawningGreenlet).toBe(getcurrent());
      yield* M(raw, 'join')();
      expect(seen).toEqual([true, true, true, true]);
      // a value put in the tree by the root is seen by its grandchildren
      const grand = yield* M(spawn(gf(function* root() {
        getcurrent().spawnTreeLocals.requestId = 'r-1';
        const child = spawn(gf(function* () {
          return yield* M(spawn(() => getcurrent().spawnTreeLocals.requestId), 'get')();
        }));
        return yield* M(child, 'get')();
      })), 'get')();
      expect(grand).toBe('r-1');
    });
  });
});

describe('links', () => {
  it('link, linkValue, rawlink fire once after a successful death; linkException does not', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => 25);
      g.link((s) => log.push(`link ${s.value}`));
      g.linkValue((s) => log.push(`value ${s.value}`));
      g.linkException(() => log.push('exception'));
      g.rawlink((s) => log.push(`raw ${s.value}`));
      yield* G(sleep)(0.02);
      expect(log).toEqual(['link 25', 'value 25', 'raw 25']);
      yield* G(sleep)(0.02);
      expect(log).toHaveLength(3);
    });
  });

  it('on failure link and linkException fire, linkValue does not', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => {
        throw new ExpectedError('test_raise');
      });
      g.link(() => log.push('link'));
      g.linkValue(() => log.push('value'));
      g.linkException((s) => log.push(`exception ${(s.exception as Error).message}`));
      yield* G(sleep)(0.02);
      expect(log).toEqual(['link', 'exception test_raise']);
    });
  });

  it('fire in the order they were added, link and rawlink interleaved, each link starting at once', async () => {
    // gevent: a link callback runs in its own greenlet, started immediately; so a blocking one lets the next
    // links run and resumes later.
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => 1);
      g.link(
        gf(function* () {
          log.push('A');
          yield* G(sleep)(0.01);
          log.push('A2');
        }),
      );
      g.rawlink(() => log.push('B'));
      g.link(() => log.push('C'));
      g.linkValue(() => log.push('V'));
      g.linkException(() => log.push('E'));
      yield* M(g, 'join')();
      log.push('joined');
      yield* G(sleep)(0.05);
      expect(log).toEqual(['A', 'B', 'C', 'V', 'joined', 'A2']);
    });
  });

  it('keep their order for many links (test__order)', async () => {
    await run(function* () {
      for (const count of [2, 3, 4, 1000]) {
        const lst: number[] = [];
        const g = spawn(() => lst.push(0));
        for (let i = 1; i < count; i++) g.link(() => lst.push(i));
        yield* M(g, 'join')();
        yield* G(sleep)(0);
        expect(lst).toEqual(Array.from({ length: count }, (_, i) => i));
      }
    });
  });

  it('a link added after death fires once, from the hub, not synchronously', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => 1);
      yield* M(g, 'join')();
      g.link(() => log.push('late'));
      g.rawlink(() => log.push('lateraw'));
      log.push('after-link');
      yield* G(sleep)(0.01);
      expect(log).toEqual(['after-link', 'late', 'lateraw']);
      for (let i = 0; i < 3; i++) {
        const got: unknown[] = [];
        g.link((s) => got.push(s.value));
        yield* G(sleep)(0.01);
        expect(got).toEqual([1]);
      }
    });
  });

  it('unlink removes a link before death', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(() => 1);
      const cb = () => log.push('x');
      for (const how of ['link', 'linkValue', 'linkException', 'rawlink'] as const) {
        g[how](cb);
        expect(g._hasLinks()).toBe(true);
        g.unlink(cb);
        expect(g._hasLinks()).toBe(false);
      }
      yield* M(g, 'join')();
      yield* G(sleep)(0.01);
      expect(log).toEqual([]);
    });
  });

  it('a link that unlinks a later one during notification stops it (link and rawlink)', async () => {
    await run(function* () {
      for (const how of ['link', 'rawlink'] as const) {
        const results: number[] = [];
        const g = spawn(() => 5);
        const l1 = (p: Greenlet<any>) => {
          p.unlink(l2);
          results.push(1);
          throw new ExpectedError('listener1');
        };
        const l2 = (p: Greenlet<any>) => {
          p.unlink(l1);
          results.push(2);
          throw new ExpectedError('listener2');
        };
        const l3 = () => {
          throw new ExpectedError('listener3');
        };
        g[how](l1);
        g[how](l2);
        g[how](l3);
        yield* G(sleep)(0.02);
        expect(results, how).toEqual([1]);
      }
    });
  });

  it('an error in one listener does not stop the others, and each is reported', async () => {
    await run(function* () {
      const results: number[] = [];
      const g = spawn(() => 5);
      g.link(() => {
        results.push(10);
        throw new ExpectedError('listener1');
      });
      g.rawlink(() => {
        results.push(20);
        throw new ExpectedError('listener2');
      });
      g.link(() => {
        throw new ExpectedError('listener3');
      });
      yield* G(sleep)(0.02);
      expect(results).toEqual([10, 20]);
      const text = reports.join('');
      for (const m of ['listener1', 'listener2', 'listener3']) expect(text).toContain(`ExpectedError: ${m}`);
    });
  });

  it('a green function can be a link: a Queue or Channel put receives the dead greenlet (test_link_to_queue/channel)', async () => {
    await run(function* () {
      const p = spawn(() => 100);
      const q = new Queue<Greenlet<number>>();
      // Python passes the bound method q.put; a green closure is the TypeScript way
      const toQueue = gf(function* toQueue(g: Greenlet<number>) {
        yield* M(q, 'put')(g);
      });
      p.link(toQueue);
      expect((yield* M(q, 'get')()).value).toBe(100);
      for (let i = 0; i < 3; i++) {
        p.link(toQueue);
        expect(yield* M(yield* M(q, 'get')(), 'get')()).toBe(100);
      }
      const ch = new Channel<Greenlet<number>>();
      const toChannel = gf(function* toChannel(g: Greenlet<number>) {
        yield* M(ch, 'put')(g); // blocks in the link's greenlet until main takes it
      });
      const ps = [101, 102, 103].map((v) => spawn(() => v));
      for (const g of ps) g.link(toChannel);
      const results: number[] = [];
      for (let i = 0; i < 3; i++) results.push((yield* M(ch, 'get')()).value!);
      expect(results.sort()).toEqual([101, 102, 103]);
    });
  });

  it('a killed greenlet fires link and linkValue with its GreenletExit; linkException never (TestReturn_link*.test_kill)', async () => {
    await run(function* () {
      const p = spawn(sleepy, 10);
      yield* G(sleep)(0);
      const byLink = new AsyncResult<unknown>();
      const byValue = new AsyncResult<unknown>();
      const byException = new AsyncResult<unknown>();
      p.link(byLink);
      p.linkValue(byValue);
      p.linkException(byException);
      const flags: string[] = [];
      p.link(() => flags.push('link'));
      p.linkValue(() => flags.push('value'));
      p.linkException(() => flags.push('exception'));
      yield* M(p, 'kill')();
      expect(yield* M(byLink, 'get')()).toBeInstanceOf(GreenletExit);
      expect(yield* M(byValue, 'get')()).toBeInstanceOf(GreenletExit);
      const getException = gf(function* () {
        return yield* M(byException, 'get')();
      });
      expect(yield* G(withTimeout)(0.02, getException, { timeoutValue: 'nothing' })).toBe('nothing');
      yield* G(sleep)(0.01);
      expect(flags).toEqual(['link', 'value']);
    });
  });

  it('link() rejects what is not a function or a link target', () => {
    const g = new Greenlet(() => {});
    expect(() => g.link(42 as never)).toThrow(/link\(\) needs a function or a link target.*number 42/);
  });
});

describe('join and get', () => {
  it('join(timeout) returns after the timeout without raising; get(timeout) raises Timeout', async () => {
    await run(function* () {
      const g = spawn(sleepy, 10);
      const t0 = performance.now();
      yield* M(g, 'join')(0.02);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
      expect(g.dead).toBe(false);
      let caught: unknown;
      try {
        yield* M(g, 'get')({ timeout: 0.02 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Timeout);
      expect((caught as Timeout).message).toBe('0.02 seconds');
      yield* M(g, 'kill')();
    });
  });

  it('join of a greenlet that was never started waits for the timeout', async () => {
    await run(function* () {
      const g = new Greenlet(() => {});
      yield* M(g, 'join')(0.01);
      expect(g.ready()).toBe(false);
      const r = yield* G(joinall)([g], { timeout: 0.01 });
      expect(r).toEqual([]);
    });
  });

  it('get() returns the value, rethrows the error; get({block:false}) on an unfinished greenlet throws Timeout', async () => {
    await run(function* () {
      const ok = spawn(() => 'v');
      const err = new ExpectedError('bad');
      const bad = spawn(() => {
        throw err;
      });
      expect(() => ok.get({ block: false })).toThrow(Timeout);
      let caught: unknown;
      try {
        yield* M(ok, 'get')({ block: false });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Timeout);
      expect((caught as Timeout).pending).toBe(false);
      expect(yield* M(ok, 'get')()).toBe('v');
      try {
        yield* M(bad, 'get')();
        expect.unreachable();
      } catch (e) {
        expect(e).toBe(err);
      }
      // once finished, get works plainly too
      expect(ok.get()).toBe('v');
      expect(ok.get({ block: false })).toBe('v');
      expect(() => bad.get()).toThrow(err);
    });
  });

  it('a greenlet cannot join or get itself', async () => {
    await run(function* () {
      const g: Greenlet<unknown> = spawn(
        gf(function* () {
          yield* M(g, 'join')();
        }),
      );
      yield* M(g, 'join')();
      expect(g.exception).toBeInstanceOf(InvalidSwitchError);
      expect((g.exception as Error).message).toMatch(/cannot join itself/);
    });
  });
});

describe('kill', () => {
  const victimBody = (log: string[]) =>
    gf(function* () {
      try {
        log.push('start');
        yield* G(sleep)(10);
        log.push('not reached');
      } finally {
        log.push('finally');
      }
    });

  it('runs the victim’s finally before returning; successful() with a GreenletExit value (test_killing_dormant)', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(victimBody(log));
      yield* G(sleep)(0.01);
      expect(log).toEqual(['start']);
      yield* M(g, 'kill')();
      expect(log).toEqual(['start', 'finally']);
      expect([g.dead, g.started, g.ready(), g.successful(), g.exception]).toEqual([true, false, true, true, undefined]);
      expect(g.value).toBeInstanceOf(GreenletExit);
      expect(reports).toEqual([]); // GreenletExit is not a failure: nothing reported
    });
  });

  it('a victim that catches GreenletExit and returns keeps running to its return', async () => {
    await run(function* () {
      const g = spawn(
        gf(function* () {
          try {
            yield* G(sleep)(10);
          } catch (e) {
            if (!(e instanceof GreenletExit)) throw e;
          }
          return 'finished';
        }),
      );
      yield* G(sleep)(0);
      yield* M(g, 'kill')();
      expect(g.value).toBe('finished');
    });
  });

  for (const when of ['never started', 'started, not yet run', 'startLater', 'running'] as const) {
    for (const how of ['kill', 'kill({block:false})', 'killall', 'killall({block:false})'] as const) {
      it(`${how} of a greenlet ${when}: dead, successful, GreenletExit value, links fire once`, async () => {
        await run(function* () {
          const log: string[] = [];
          const links: Greenlet<any>[] = [];
          const g = new Greenlet(when === 'running' ? victimBody(log) : () => log.push('ran'));
          g.link((s) => links.push(s));
          if (when === 'started, not yet run' || when === 'running') g.start();
          if (when === 'startLater') g.startLater(0.05);
          if (when === 'running') yield* G(sleep)(0);
          const killer = function* () {
            if (how === 'kill') yield* M(g, 'kill')();
            else if (how === 'kill({block:false})') yield* M(g, 'kill')({ block: false });
            else if (how === 'killall') yield* G(killall)([g]);
            else yield* G(killall)([g], { block: false });
          };
          yield* killer();
          if (how.includes('block:false')) yield* G(sleep)(0.01);
          const check = () => {
            expect([g.dead, g.started, g.ready(), g.successful(), g.exception]).toEqual([
              true, false, true, true, undefined,
            ]);
            expect(g.value).toBeInstanceOf(GreenletExit);
          };
          check();
          yield* killer(); // a second kill does no harm
          check();
          yield* G(sleep)(0.1); // past the startLater delay: it must not run
          check();
          expect(log).toEqual(when === 'running' ? ['start', 'finally'] : []);
          expect(links).toEqual([g]);
        });
      });
    }
  }

  it('with a custom exception (instance or class): the victim fails with it and it is reported', async () => {
    await run(function* () {
      const err = new ExpectedError('custom');
      const g = spawn(sleepy, 10);
      yield* G(sleep)(0);
      yield* M(g, 'kill')({ exception: err });
      expect(g.successful()).toBe(false);
      expect(g.exception).toBe(err);
      expect(g.value).toBeUndefined();
      expect(reports.join('')).toMatch(/failed with ExpectedError: custom/);

      const h = spawn(() => 1); // never ran: dies at once with the error
      yield* M(h, 'kill')({ exception: ExpectedError });
      expect(h.exception).toBeInstanceOf(ExpectedError);
    });
  });

  it('a custom exception the victim catches lets it finish normally', async () => {
    await run(function* () {
      const g = spawn(
        gf(function* () {
          try {
            yield* G(sleep)(1);
          } catch (e) {
            if (e instanceof ExpectedError) return 'caught';
            throw e;
          }
        }),
      );
      yield* G(sleep)(0);
      yield* M(g, 'kill')({ exception: ExpectedError });
      expect(g.value).toBe('caught');
      expect(g.successful()).toBe(true);
    });
  });

  it('kill({timeout}) returns after the timeout if the victim will not die', async () => {
    await run(function* () {
      const mayDie = new Event();
      const g = spawn(
        gf(function* () {
          try {
            yield* G(sleep)(10);
          } finally {
            yield* M(mayDie, 'wait')(); // its cleanup takes until the test allows it
          }
        }),
      );
      yield* G(sleep)(0);
      yield* M(g, 'kill')({ timeout: 0.02 });
      expect(g.dead).toBe(false); // kill() returned at its timeout, with the victim still in its finally
      mayDie.set();
      yield* M(g, 'join')();
      expect(g.dead).toBe(true);
    });
  });

  it('a greenlet killing itself raises at once', async () => {
    await run(function* () {
      const log: string[] = [];
      const g: Greenlet<unknown> = spawn(
        gf(function* () {
          try {
            yield* M(g, 'kill')();
          } finally {
            log.push('finally');
          }
          log.push('not reached');
        }),
      );
      yield* M(g, 'join')();
      expect(log).toEqual(['finally']);
      expect(g.value).toBeInstanceOf(GreenletExit);
    });
  });
});

describe('promise interop', () => {
  it('async code can await a greenlet: value, and rejection with its exception', async () => {
    const ok = spawn(sleepy, 0.01, 42);
    expect(await ok).toBe(42);
    const err = new ExpectedError('rejected');
    const bad = spawn(() => {
      throw err;
    });
    await expect(bad).rejects.toBe(err);
    const killed = spawn(sleepy, 10);
    killed.kill({ block: false });
    expect(await killed).toBeInstanceOf(GreenletExit);
    // a greenlet that already finished
    expect(await ok).toBe(42);
    expect(await Promise.all([spawn(() => 1), spawn(() => 2)])).toEqual([1, 2]);
  });
});

describe('spawnLater and startLater', () => {
  it('spawnLater starts after its delay; started is true in between', async () => {
    await run(function* () {
      const g = spawnLater(0.03, () => 'late');
      expect([g.started, g.dead]).toEqual([true, false]);
      yield* G(sleep)(0.005);
      expect(g.ready()).toBe(false);
      expect(yield* M(g, 'get')()).toBe('late');
    });
  });
});

describe('gevent ordering of kill, links and the main greenlet', () => {
  it('kill() returns as the victim dies; its links fire at the next turn of the hub (gevent twin kill_links)', async () => {
    await run(function* () {
      const log: string[] = [];
      const g = spawn(sleepy, 10);
      yield* G(sleep)(0);
      g.link(() => log.push('link fired'));
      yield* M(g, 'kill')();
      log.push('kill returned');
      yield* G(sleep)(0);
      expect(log).toEqual(['kill returned', 'link fired']);
    });
  });

  it('runMain starts the module body at once: greenlets spawned before it wait until it blocks', async () => {
    const log: string[] = [];
    spawn(() => log.push('spawned greenlet'));
    const done = run(function* () {
      log.push('main body');
      yield* G(sleep)(0);
      log.push('main after sleep(0)');
    });
    expect(log).toEqual(['main body']); // ran synchronously, up to its first suspension
    await done;
    expect(log).toEqual(['main body', 'spawned greenlet', 'main after sleep(0)']);
  });
});
