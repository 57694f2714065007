/**
 * The hub: error reports, the blocking monitor, formatRunInfo, and LoopExit (in real child processes, since it
 * needs Node's loop to run dry). Compare gevent's test__hub.py / test___monitor.py behaviours.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { config, formatRunInfo, getHub, sleep, spawn, spawnLater, Greenlet } from '../../src/index.js';
import { G, M, gf, run } from '../helpers/green.js';

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

describe('uncaught errors in greenlets', () => {
  it('are reported on hub.exceptionStream as `<Greenlet "name" fn> failed with Error: message` plus the stack', async () => {
    await run(function* () {
      const g = spawn(function failingWork() {
        throw new Error('message of the failure');
      });
      g.name = 'worker';
      yield* M(g, 'join')();
      expect(reports).toHaveLength(1);
      const report = reports[0];
      expect(report.startsWith('<Greenlet "worker" failingWork> failed with Error: message of the failure\n')).toBe(true);
      expect(report).toContain((g.exception as Error).stack!);
      expect(report).toMatch(/at failingWork .*hub\.test\.ts/);
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
      const g = spawn(() => {
        throw 'just a string'; // eslint-disable-line no-throw-literal
      });
      yield* M(g, 'join')();
      expect(reports[0]).toMatch(/failed with "just a string" \(a thrown non-Error value\)/);
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

  it('with config.trackSpawnSites, the report names where the greenlet was spawned', async () => {
    config.trackSpawnSites = true;
    await run(function* () {
      const g = spawn(function spawnedHere() {
        throw new Error('with site');
      });
      yield* M(g, 'join')();
      expect(reports[0]).toMatch(/^<Greenlet "Greenlet-\d+" spawnedHere at \S*hub\.test\.ts:\d+> failed with Error: with site/);
      expect(reports[0]).toMatch(/it was spawned at:\n\s+at .*hub\.test\.ts:\d+:\d+/);
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
});

describe('the blocking monitor (config.maxBlockingTime)', () => {
  const hog = gf(function* cpuHog(ms: number) {
    yield* G(sleep)(0);
    const end = performance.now() + ms;
    while (performance.now() < end); // holds the loop
    yield* G(sleep)(0);
  });

  it('reports a greenlet that held the loop too long, with where it was resumed and where it stopped', async () => {
    config.maxBlockingTime = 0.05;
    expect(getHub().monitoring).toBe(true);
    await run(function* () {
      const g = spawn(hog, 150);
      g.name = 'hog';
      yield* M(g, 'join')();
    });
    const report = reports.find((r) => r.includes('blocked the event loop'));
    expect(report).toBeDefined();
    expect(report).toMatch(/^greenlets: <Greenlet "hog" cpuHog> blocked the event loop for 0\.\d+ seconds \(config\.maxBlockingTime = 0\.05\)/);
    expect(report).toMatch(/from where it was resumed:\n\s+at cpuHog \(.*hub\.test\.ts:\d+:\d+\)/);
    expect(report).toMatch(/until it suspended again at:\n\s+at cpuHog \(.*hub\.test\.ts:\d+:\d+\)/);
    expect(reports.filter((r) => r.includes('blocked the event loop'))).toHaveLength(1);
  });

  it('says nothing about greenlets that switch often, nor when it is off', async () => {
    config.maxBlockingTime = 0.2;
    await run(function* () {
      yield* M(spawn(hog, 20), 'join')();
    });
    config.maxBlockingTime = null;
    expect(getHub().monitoring).toBe(false);
    await run(function* () {
      yield* M(spawn(hog, 100), 'join')();
    });
    expect(reports.filter((r) => r.includes('blocked the event loop'))).toEqual([]);
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
          spawn(child);
          spawn(child);
          yield* G(sleep)(1);
        }),
      );
      parent.name = 'parent';
      const later = spawnLater(1, function laterWork() {});
      yield* G(sleep)(0.01);
      const fresh = spawn(function freshWork() {});
      const lines = formatRunInfo();
      const text = lines.join('\n');
      expect(lines[0]).toMatch(/^Greenlets: \d+ live$/);
      expect(lines[1]).toBe('<Greenlet "MainGreenlet" main> (current: yes)');
      const site = String.raw`at \S*hub\.test\.ts:\d+>`;
      expect(text).toMatch(new RegExp(String.raw`\n \|--- <Greenlet "parent" parentWork ${site} suspended\n` +
        String.raw` \|    \|--- <Greenlet "Greenlet-\d+" childWork ${site} suspended\n` +
        String.raw` \|    \+--- <Greenlet "Greenlet-\d+" childWork ${site} suspended\n`));
      expect(text).toMatch(new RegExp(String.raw`<Greenlet "${later.name}" laterWork ${site} waiting to start \(startLater\)`));
      expect(text).toMatch(new RegExp(String.raw`\+--- <Greenlet "${fresh.name}" freshWork ${site} scheduled to start$`));
      yield* G(sleep)(0);
      for (const g of [parent, later]) yield* M(g, 'kill')();
    });
    // the children outlive their killed parent: they hang from main now
    const text = formatRunInfo().join('\n');
    expect(text).toMatch(/\n \|--- <Greenlet "Greenlet-\d+" childWork at \S+> suspended/);
  });

  it('without spawn-site tracking says how to turn it on; a dead greenlet is not listed', async () => {
    await run(function* () {
      const g = spawn(function shortLived() {});
      yield* M(g, 'join')();
      const text = formatRunInfo().join('\n');
      expect(text).toMatch(/set GREENLETS_TRACK_SPAWN_SITES=1/);
      expect(text).not.toContain('shortLived');
      const h = spawn(
        gf(function* runningOne() {
          return formatRunInfo().join('\n');
        }),
      );
      expect(yield* M(h, 'get')()).toMatch(/<Greenlet "Greenlet-\d+" runningOne> running/);
      expect(yield* M(h, 'get')()).toMatch(/"MainGreenlet" main> \(current: no\)/);
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

  it('GREENLETS_MAX_BLOCKING_TIME turns the monitor on from the environment', () => {
    const r = node('monitor-env.mjs', [], { GREENLETS_MAX_BLOCKING_TIME: '0.05' });
    expect(r.stdout).toContain('maxBlockingTime=0.05');
    expect(r.stderr).toMatch(/<Greenlet "hog" cpuHog> blocked the event loop for 0\.\d+ seconds/);
    expect(r.stderr).toMatch(/at cpuHog \(.*monitor-env\.mjs:\d+:\d+\)/);
    expect(r.code).toBe(0);
    const off = node('monitor-env.mjs');
    expect(off.stderr).not.toContain('blocked the event loop');
  });

  it('a bad GREENLETS_MAX_BLOCKING_TIME is refused with the variable named', () => {
    const r = node('monitor-env.mjs', [], { GREENLETS_MAX_BLOCKING_TIME: 'soon' });
    expect(r.stderr).toMatch(/GREENLETS_MAX_BLOCKING_TIME="soon" is not a non-negative number of seconds/);
    expect(r.code).not.toBe(0);
  });

  it('(differs from gevent) a greenlet still sleeping when the main module ends keeps the process alive', () => {
    const r = node('pending-at-exit.mjs');
    expect(r.stdout).toBe('main module done\nlate greenlet ran\n');
    expect(r.code).toBe(0);
  });
});
