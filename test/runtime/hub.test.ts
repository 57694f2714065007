/**
 * The hub: error reports, the blocking monitor, formatRunInfo, and LoopExit (in real child processes, since it
 * needs Node's loop to run dry). Compare gevent's test__hub.py / test___monitor.py behaviours.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Timeout, config, formatRunInfo, getHub, sleep, spawn, spawnLater, withTimeout } from '../../src/index.js';
import { Pool } from '../../src/pool.js';
import { Queue } from '../../src/queue.js';
import { G, M, caught, gf, run } from '../helpers/green.js';

let reports: string[] = [];
let savedStream: ReturnType<typeof getHub>['exceptionStream'];
beforeEach(() => {
  reports = [];
  savedStream = getHub().exceptionStream;
  getHub().exceptionStream = { write: (s: string) => reports.push(s) };
});
afterEach(() => {
  getHub().exceptionStream = savedStream;
  config.maxBlockingTime = null;
  config.trackSpawnSites = false;
});

/** The line of this file that carries `marker` in a comment (1-based), for asserting reported locations. */
const thisFile = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
function lineOf(marker: string): number {
  const i = thisFile.findIndex((l) => l.includes(`// ${marker}`));
  if (i < 0) throw new Error(`no line marked ${marker}`);
  return i + 1;
}
const HERE = String.raw`\S*hub\.test\.ts`;

describe('uncaught errors in greenlets', () => {
  it('are reported as `<Greenlet "name" at file:line> failed with Error: message` plus the stack', async () => {
    await run(function* () {
      const g = spawn(function failingWork() {
        throw new Error('message of the failure'); // @plain-throw
      });
      g.name = 'worker';
      yield* M(g, 'join')();
      expect(reports).toHaveLength(1);
      const report = reports[0];
      expect(report).toMatch(new RegExp(`^<Greenlet "worker" at ${HERE}:${lineOf('@plain-throw')}> failed with Error: message of the failure\n`));
      expect(report).toMatch(/at failingWork .*hub\.test\.ts/);
      // the stack as ordinary calls would show it: the first frames are the error's own, and none is the runtime's
      const own = (g.exception as Error).stack!.split('\n').slice(0, 2).join('\n');
      expect(report).toContain(own);
      expect(report).not.toMatch(/[\\/]src[\\/]runtime[\\/]|\(node:/);
    });
  });

  it('name the line of the greenlet’s own function, below the green functions it called', async () => {
    await run(function* () {
      const inner = gf(function* inner() {
        yield* G(sleep)(0);
        throw new TypeError('deep down');
      });
      const g = spawn(
        gf(function* outerWork() {
          yield* G(inner)(); // @outer-call
        }),
      );
      yield* M(g, 'join')();
      expect(reports[0]).toMatch(new RegExp(`^<Greenlet "${g.name}" at ${HERE}:${lineOf('@outer-call')}> failed with TypeError: deep down\n\\s+at .*inner`));
      // green callers follow each other as plain calls do: no generator-resume frames in between
      expect(reports[0]).toMatch(/\n\s+at inner [^\n]*\n\s+at outerWork /);
      expect(reports[0]).not.toMatch(/<anonymous>\)/);
      // an error made elsewhere (here: in main) and thrown in by kill() does not lend its location
      const k = spawn(gf(function* victim() { yield* G(sleep)(10); }));
      yield* G(sleep)(0);
      yield* M(k, 'kill')({ exception: new RangeError('from main') });
      expect(reports[1]).toMatch(new RegExp(`^<Greenlet "${k.name}": victim> failed with RangeError: from main\n`));
    });
  });

  it('do not reach the spawner: it keeps running, and the error waits in g.exception', async () => {
    const log: string[] = [];
    const result = await run(function* () {
      const g = spawn(() => {
        throw new TypeError('lost?');
      });
      yield* G(sleep)(0.01);
      log.push('spawner still running');
      expect(g.exception).toBeInstanceOf(TypeError);
      return 'main finished';
    });
    expect(result).toBe('main finished');
    expect(log).toEqual(['spawner still running']);
    expect(reports.join('')).toMatch(/failed with TypeError: lost\?/);
  });

  it('a thrown non-Error value is reported for what it is', async () => {
    await run(function* () {
      const g = spawn(function throwsString() {
        throw 'just a string'; // eslint-disable-line no-throw-literal
      });
      yield* M(g, 'join')();
      expect(reports[0]).toMatch(/^<Greenlet "Greenlet-\d+": throwsString> failed with "just a string" \(a thrown non-Error value\)/);
    });
  });

  it('are reported once, and a killed greenlet (GreenletExit) is not reported at all', async () => {
    await run(function* () {
      const g = spawn(() => {
        throw new Error('once');
      });
      yield* M(g, 'join')();
      yield* M(g, 'join')();
      g.link(() => {});
      yield* G(sleep)(0.01);
      expect(reports).toHaveLength(1);
      const k = spawn(gf(function* () { yield* G(sleep)(10); }));
      yield* G(sleep)(0);
      yield* M(k, 'kill')();
      expect(reports).toHaveLength(1);
    });
  });

  it('with config.trackSpawnSites, the report also says where the greenlet was spawned', async () => {
    config.trackSpawnSites = true;
    await run(function* () {
      const g = spawn(function spawnedHere() { // @spawn-site
        throw new Error('with site');
      });
      yield* M(g, 'join')();
      expect(reports[0]).toMatch(new RegExp(`^<Greenlet "Greenlet-\\d+" at ${HERE}:${lineOf('@spawn-site') + 1}> failed with Error: with site`));
      expect(reports[0]).toMatch(new RegExp(`it was spawned at:\n\\s+at .*hub\\.test\\.ts:${lineOf('@spawn-site')}:\\d+`));
      // no frames to go by (a Timeout skips its stack capture): the spawn site names it
      const t = spawn(gf(function* timedOut() { yield* G(withTimeout)(0.001, gf(function* () { yield* G(sleep)(1); })); })); // @timeout-site
      yield* M(t, 'join')();
      expect(reports[1]).toMatch(new RegExp(`^<Greenlet "${t.name}" at ${HERE}:${lineOf('@timeout-site')}> failed with Timeout: 0.001 seconds \\(running timedOut\\)`));
    });
  });

  it('nothing is written when exceptionStream is null', async () => {
    getHub().exceptionStream = null;
    await run(function* () {
      const g = spawn(() => {
        throw new Error('silent');
      });
      yield* M(g, 'join')();
      expect(g.exception).toBeInstanceOf(Error);
    });
  });

  it('a stream or handleError that throws does not break the hub: links still fire, a Pool keeps its slots (test_stderr_raising)', async () => {
    const hub = getHub();
    const stderr: string[] = [];
    const realWrite = process.stderr.write;
    process.stderr.write = ((s: string) => stderr.push(String(s))) as never;
    try {
      hub.exceptionStream = {
        write() {
          throw new Error('the stream is broken');
        },
      };
      await run(function* () {
        const pool = new Pool(1);
        const crash = function crash() {
          throw new RangeError('Whoa');
        };
        const waiter = yield* M(pool, 'spawn')(crash);
        expect(yield* caught(() => M(waiter, 'get')())).toBeInstanceOf(RangeError);
        yield* G(sleep)(0);
        expect(pool.freeCount()).toBe(1);
        const t = Timeout.startNew(1);
        try {
          yield* M(pool, 'apply')(G(sleep) as never, [0]);
        } finally {
          t.cancel();
        }
        // gevent's TestHandleError: a custom handleError that throws
        hub.handleError = () => {
          throw new TypeError('bad handler');
        };
        const g = spawn(function raises() {
          throw new SyntaxError('mine');
        });
        const linked: unknown[] = [];
        g.rawlink((x) => linked.push(x));
        expect(yield* caught(() => M(g, 'get')())).toBeInstanceOf(SyntaxError);
        yield* G(sleep)(0);
        expect(linked).toEqual([g]);
      });
    } finally {
      process.stderr.write = realWrite;
      delete (hub as { handleError?: unknown }).handleError; // back to the prototype's
    }
    const text = stderr.join('');
    expect(text).toMatch(/hub\.handleError failed \(Error: the stream is broken/);
    expect(text).toMatch(/while reporting: RangeError: Whoa/);
    expect(text).toMatch(/hub\.handleError failed \(TypeError: bad handler[\s\S]*while reporting: SyntaxError: mine/);
  });
});

describe('the blocking monitor (config.maxBlockingTime)', () => {
  const hog = gf(function* cpuHog(ms: number) {
    yield* G(sleep)(0); // @hog-resumed
    const end = performance.now() + ms;
    while (performance.now() < end); // holds the loop
    yield* G(sleep)(0); // @hog-suspends
  });

  it('reports a greenlet that held the loop too long, naming it and the line it was resumed at', async () => {
    config.maxBlockingTime = 0.05;
    expect(getHub().monitoring).toBe(true);
    await run(function* () {
      const g = spawn(hog, 150);
      g.name = 'hog';
      yield* M(g, 'join')();
    });
    // (only reports about the hog: on a busy machine a stall elsewhere can be reported too)
    const blocked = reports.filter((r) => r.includes('appears to be blocked') && r.includes('"hog"'));
    expect(blocked).toHaveLength(1);
    const report = blocked[0];
    expect(report).toMatch(new RegExp(
      `^greenlets: Greenlet <Greenlet "hog" at ${HERE}:${lineOf('@hog-resumed')}> appears to be blocked: it held the event loop for 0\\.\\d+ seconds without yielding \\(config\\.maxBlockingTime = 0\\.05\\)`,
    ));
    expect(report).toMatch(new RegExp(`it was resumed at \\(where it had suspended\\):\n\\s+at cpuHog \\(${HERE}:${lineOf('@hog-resumed')}:\\d+\\)`));
    expect(report).toMatch(new RegExp(`until it suspended again at:\n\\s+at cpuHog \\(${HERE}:${lineOf('@hog-suspends')}:\\d+\\)`));
  });

  it('reports a hub callback or a greenlet that blocks before it ever suspended', async () => {
    config.maxBlockingTime = 0.05;
    await run(function* () {
      const g = spawn(function busyFromStart() {
        const end = performance.now() + 100;
        while (performance.now() < end);
      });
      yield* M(g, 'join')();
      getHub().runCallback(function slowCallback() {
        const end = performance.now() + 100;
        while (performance.now() < end);
      });
      yield* G(sleep)(0.01);
    });
    const blocked = reports.filter((r) => r.includes('appears to be blocked'));
    expect(blocked.find((r) => r.includes('busyFromStart'))).toMatch(/^greenlets: Greenlet <Greenlet "Greenlet-\d+": busyFromStart> appears to be blocked[^\n]*\n  it ran from its start \(it had not suspended before\)\n  until it finished/);
    expect(blocked.find((r) => r.includes('slowCallback'))).toMatch(/^greenlets: the hub callback slowCallback\(\) appears to be blocked/);
  });

  it('times a greenlet that a queue resumes in turn on its own, not as the queue’s work', async () => {
    config.maxBlockingTime = 0.05;
    await run(function* () {
      const q = new Queue<number>();
      const g = spawn(gf(function* getsThenHogs() {
        yield* M(q, 'get')(); // @queue-resumed
        const end = performance.now() + 100;
        while (performance.now() < end);
      }));
      g.name = 'hogger';
      yield* G(sleep)(0);
      q.put(1);
      yield* M(g, 'join')();
    });
    const blocked = reports.filter((r) => r.includes('appears to be blocked'));
    expect(blocked.find((r) => r.includes('"hogger"'))).toMatch(new RegExp(`^greenlets: Greenlet <Greenlet "hogger" at ${HERE}:${lineOf('@queue-resumed')}> appears to be blocked`));
    expect(blocked.filter((r) => r.includes("the hub's work for <Queue"))).toEqual([]);
  });

  it('says nothing about greenlets that switch often, nor when it is off', async () => {
    config.maxBlockingTime = 0.5;
    const named = (ms: number, name: string) => {
      const g = spawn(hog, ms);
      g.name = name;
      return g;
    };
    await run(function* () {
      yield* M(named(20, 'switcher'), 'join')();
    });
    config.maxBlockingTime = 0.05; // a limit the next hog would pass...
    config.maxBlockingTime = null; // ...but the monitor is off again
    expect(getHub().monitoring).toBe(false);
    await run(function* () {
      yield* M(named(100, 'unmonitored'), 'join')();
    });
    expect(reports.filter((r) => /appears to be blocked/.test(r) && /"(switcher|unmonitored)"/.test(r))).toEqual([]);
  });

  it('monitorThread turns it on with gevent’s default limit of 0.1 seconds', () => {
    config.monitorThread = true;
    expect(config.maxBlockingTime).toBe(0.1);
    expect(getHub().monitoring).toBe(true);
    config.monitorThread = false;
    expect(getHub().monitoring).toBe(false);
    expect(() => (config.maxBlockingTime = -1)).toThrow(/non-negative number of seconds or null/);
  });
});

describe('formatRunInfo', () => {
  it('lists the live greenlets as a tree by spawner, with spawn sites and states', async () => {
    config.trackSpawnSites = true;
    await run(function* () {
      const child = gf(function* childWork() {
        yield* G(sleep)(1);
      });
      const parent = spawn(
        gf(function* parentWork() {
          spawn(child); // @child-1
          spawn(child); // @child-2
          yield* G(sleep)(1);
        }),
      ); // @parent
      parent.name = 'parent';
      const later = spawnLater(1, function laterWork() {}); // @later
      yield* G(sleep)(0.01);
      const fresh = spawn(function freshWork() {}); // @fresh
      const lines = formatRunInfo();
      const text = lines.join('\n');
      expect(lines[0]).toMatch(/^Greenlets: \d+ live$/);
      expect(lines[1]).toBe('<Greenlet "MainGreenlet": main> (current: yes)');
      const site = (m: string) => `, spawned at ${HERE}:${lineOf(m)}`;
      // spawn(...) spanning lines: V8 names the line where the call ends
      expect(text).toContain('\n |--- <Greenlet "parent": parentWork> suspended');
      expect(text).toMatch(new RegExp(String.raw`\n \|--- <Greenlet "parent": parentWork> suspended, spawned at ${HERE}:\d+\n` +
        String.raw` \|    \|--- <Greenlet "Greenlet-\d+": childWork> suspended${site('@child-1')}\n` +
        String.raw` \|    \+--- <Greenlet "Greenlet-\d+": childWork> suspended${site('@child-2')}\n`));
      expect(text).toMatch(new RegExp(String.raw`<Greenlet "${later.name}": laterWork> waiting to start \(startLater\)${site('@later')}`));
      expect(text).toMatch(new RegExp(String.raw`\+--- <Greenlet "${fresh.name}": freshWork> scheduled to start${site('@fresh')}$`));
      yield* G(sleep)(0);
      for (const g of [parent, later]) yield* M(g, 'kill')();
    });
    // the children outlive their killed parent: they hang from main now
    const text = formatRunInfo().join('\n');
    expect(text).toMatch(new RegExp(String.raw`\n \|--- <Greenlet "Greenlet-\d+": childWork> suspended, spawned at ${HERE}:${lineOf('@child-1')}`));
  });

  it('with the monitor on, says where each greenlet is suspended', async () => {
    config.maxBlockingTime = 10;
    await run(function* () {
      const g = spawn(gf(function* napping() {
        yield* G(sleep)(1); // @napping
      }));
      yield* G(sleep)(0);
      expect(formatRunInfo().join('\n')).toMatch(new RegExp(String.raw`<Greenlet "${g.name}": napping> suspended at ${HERE}:${lineOf('@napping')}`));
      yield* M(g, 'kill')();
    });
  });

  it('without spawn-site tracking says how to turn it on; a dead greenlet is not listed', async () => {
    await run(function* () {
      const g = spawn(function shortLived() {});
      yield* M(g, 'join')();
      const text = formatRunInfo().join('\n');
      expect(text).toMatch(/set config\.trackSpawnSites = true or GREENLETS_TRACK_SPAWN_SITES=1/);
      expect(text).not.toContain('shortLived');
      const h = spawn(
        gf(function* runningOne() {
          return formatRunInfo().join('\n');
        }),
      );
      expect(yield* M(h, 'get')()).toMatch(/<Greenlet "Greenlet-\d+": runningOne> running/);
      expect(yield* M(h, 'get')()).toMatch(/"MainGreenlet": main> \(current: no\)/);
    });
  });
});

// ---- real child processes -----------------------------------------------------------------------------------

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = join(root, 'test', 'runtime', 'process');

function newestMtime(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir)) if (f.endsWith('.ts')) t = Math.max(t, statSync(join(dir, f)).mtimeMs);
  return t;
}

/** The scripts import the built package (dist/): build it if it is missing or older than the runtime sources
 * (`npm test` builds first anyway). */
function ensureBuilt(): void {
  const out = join(root, 'dist', 'index.js');
  const src = Math.max(newestMtime(join(root, 'src', 'runtime')), newestMtime(join(root, 'src')));
  if (existsSync(out) && statSync(out).mtimeMs >= src && statSync(join(root, 'dist', 'runtime', 'hub.js')).mtimeMs >= src) return;
  spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (!existsSync(out)) throw new Error('npm run build did not produce dist/index.js');
}

function node(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(scripts, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('in a real process', () => {
  beforeAll(ensureBuilt, 200_000);

  it('blocking forever in the main greenlet with nothing left to run raises LoopExit', () => {
    const r = node('loopexit.mjs', ['uncaught']);
    expect(r.stdout).not.toContain('not reached');
    expect(r.stderr).toMatch(/LoopExit: This operation would block forever/);
    // the stack starts at the user's blocking call, not in the hub's beforeExit handler
    expect(r.stderr).toMatch(/LoopExit: This operation would block forever[^\n]*\n\s+at \S.*loopexit\.mjs:39:\d+\)?\n/);
    expect(r.stderr).not.toMatch(/onBeforeExit|[\\/](?:src|dist)[\\/]runtime[\\/]/);
    expect(r.code).toBe(1);
  });

  it("LoopExit's stack shows the green calls the main greenlet was suspended in, innermost first", () => {
    const r = node('loopexit.mjs', ['nested']);
    expect(r.stderr).toMatch(
      /LoopExit: This operation would block forever[^\n]*\n\s+at (?:\S+\.)?waitForever \(\S*loopexit\.mjs:13:\d+\)\n\s+at \S.*loopexit\.mjs:18:\d+\)?\n/,
    );
    expect(r.code).toBe(1);
  });

  it('LoopExit can be caught, and main carries on', () => {
    const r = node('loopexit.mjs', ['catch']);
    expect(r.stdout).toContain('caught LoopExit: This operation would block forever');
    expect(r.stdout).toContain('main continues');
    expect(r.code).toBe(0);
  });

  it('main joining a greenlet that can never finish gets LoopExit too', () => {
    const r = node('loopexit.mjs', ['greenlet']);
    expect(r.stderr).toMatch(/LoopExit/);
    expect(r.stdout).not.toContain('not reached');
    expect(r.code).toBe(1);
  });

  it('wait() with no objects returns true once the loop has nothing left to do, false at its timeout (gevent hub.join)', () => {
    const r = node('wait-loop.mjs');
    expect(r.stdout).toBe(
      'sleep0: 1A 2A 1B 2B -> true\n' +
        'blocked forever: true, stuck dead: false\n' +
        'timeout: false, within a second: true\n' +
        'from a greenlet: InvalidSwitchError: wait() with no objects waits for the whole loop to finish, which only ' +
        'the main greenlet can do (gevent: "only possible from the MAIN greenlet"); Greenlet-' +
        r.stdout.match(/Greenlet-(\d+) called it/)?.[1] +
        ' called it: pass the objects to wait for\n' +
        'again: true\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('GREENLETS_MAX_BLOCKING_TIME turns the monitor on from the environment', () => {
    const r = node('monitor-env.mjs', [], { GREENLETS_MAX_BLOCKING_TIME: '0.05' });
    expect(r.stdout).toContain('maxBlockingTime=0.05');
    expect(r.stderr).toMatch(/^greenlets: Greenlet <Greenlet "hog" at \S*monitor-env\.mjs:7> appears to be blocked: it held the event loop for 0\.\d+ seconds/);
    expect(r.stderr).toMatch(/it was resumed at \(where it had suspended\):\n\s+at cpuHog \(\S*monitor-env\.mjs:7:\d+\)/);
    expect(r.code).toBe(0);
    const off = node('monitor-env.mjs');
    expect(off.stderr).not.toContain('blocked the event loop');
  });

  it('a bad GREENLETS_MAX_BLOCKING_TIME is refused with the variable named', () => {
    const r = node('monitor-env.mjs', [], { GREENLETS_MAX_BLOCKING_TIME: 'soon' });
    expect(r.stderr).toMatch(/GREENLETS_MAX_BLOCKING_TIME="soon" is not a non-negative number of seconds/);
    expect(r.code).not.toBe(0);
  });

  it('an uncaught error in a greenlet is reported on stderr and does not reach the spawner', () => {
    const r = node('failure.mjs');
    expect(r.stderr).toMatch(/^<Greenlet "Greenlet-\d+" at \S*[\\/]test[\\/]runtime[\\/]process[\\/]failure\.mjs:6> failed with Error: boom in a greenlet\n\s+at failingJob \(\S*failure\.mjs:6:\d+\)/);
    expect(r.stdout).toBe('main continues; g.exception: boom in a greenlet\n');
    expect(r.code).toBe(0);
  });

  it('(differs from gevent) a greenlet still sleeping when the main module ends keeps the process alive', () => {
    const r = node('pending-at-exit.mjs');
    expect(r.stdout).toBe('main module done\nlate greenlet ran\n');
    expect(r.code).toBe(0);
  });
});
