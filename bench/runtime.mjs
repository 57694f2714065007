#!/usr/bin/env node
/**
 * Runtime micro-benchmarks: greenlets vs async/await vs gevent (design.md §7).
 *
 *   npm run build && node bench/runtime.mjs [--no-gevent] [--no-write] [--only=<case,...>] [--runs=N]
 *
 * Every measurement runs in its own child process (`node --expose-gc bench/runtime.mjs --child <case>`), so
 * one benchmark's heap, JIT state and timers never leak into another's. Timing cases warm up once, then run
 * RUNS times with a gc() before each run; the median is reported. Memory cases run in MEM_PROCS separate
 * processes (RSS only means something in a fresh process); the median is reported.
 *
 * Green code is written by hand exactly as the transform will emit it: `yield* sleep[GREEN](0)`,
 * `yield* q.get[GREEN].call(q)`. The package is imported BUILT, from ../dist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
// GREENLETS_BENCH_DIST points the greenlets side at another build (a scratch copy when trying a change).
const DIST = process.env.GREENLETS_BENCH_DIST ? path.resolve(process.env.GREENLETS_BENCH_DIST) : path.join(ROOT, 'dist');
const SHARED = path.resolve(ROOT, '..', 'shared');
const GEVENT_MICRO = path.join(SHARED, 'anchors', 'gevent_micro.py');
const PYTHON = '/usr/bin/python3';

const N = 100_000; // greenlets / round trips, as gevent_micro.py
const SWITCH_N = 200_000; // sleep(0) per greenlet, as gevent_micro.py
const CALL_N = 5_000_000; // non-suspending calls per run
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const MEM_PROCS = 3;
const WARMUPS = 2;
// Timing cases run in ROUNDS rounds, each round every case once in its own process, greenlets and its
// baselines one after the other: load from other work drifts over a run, and pairing keeps it out of ratios.
// Five: a process's code and heap layout (V8 randomises both) moves the queue ping-pong between two steady speeds
// as far apart as 1.8x, so fewer processes per side would report whichever mode happened to come up.
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);

// ---------------------------------------------------------------------------------------------------------
// Child side: one case per process. Each case returns { value, unit, extra? } per run.
// ---------------------------------------------------------------------------------------------------------

const distUrl = (f) => pathToFileURL(path.join(DIST, f)).href;
const gl = () => import(distUrl('index.js'));
/** dist/<name>.js (the public entry), or dist/runtime/<name>.js while the entry is not written yet. */
const entryFile = (name) =>
  existsSync(path.join(DIST, `${name}.js`)) ? `${name}.js` : existsSync(path.join(DIST, 'runtime', `${name}.js`)) ? `runtime/${name}.js` : null;
const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const gc = () => {
  if (typeof globalThis.gc !== 'function') throw new Error('run children with --expose-gc');
  globalThis.gc();
  globalThis.gc();
};
const mem = () => {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};

/**
 * Time cases: warm up (a small run, then WARMUPS runs of the full size, so the JIT has settled for both sides:
 * greenlets' code is JavaScript that V8 tiers up over the first full runs, while async/await runs mostly in
 * built-ins), then RUNS measured runs with a gc before each.
 */
async function timed(run, warmArg, arg) {
  await run(warmArg);
  for (let i = 0; i < WARMUPS; i++) {
    gc();
    await run(arg);
  }
  const xs = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    gc();
    const c0 = process.cpuUsage();
    const w0 = now();
    const v = await run(arg);
    const w = now() - w0;
    const c = process.cpuUsage(c0);
    xs.push(v);
    // The same figure scaled by this process's CPU time over wall time: steadier when other work shares the
    // machine (time spent descheduled does not count; GC helper threads do).
    cpu.push((v * (c.user + c.system)) / 1000 / w);
  }
  return { value: median(xs), runs: xs, cpu, cpuValue: median(cpu) };
}

/** A minimal promise-based async queue: the async/await analogue of gevent.queue.Queue (unbounded). */
class AsyncQueue {
  constructor() {
    this.items = [];
    this.getters = [];
  }
  put(item) {
    if (this.getters.length > 0) this.getters.shift()(item);
    else this.items.push(item);
  }
  get() {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    return new Promise((resolve) => this.getters.push(resolve));
  }
}

const CASES = {
  // 1. spawn + join ------------------------------------------------------------------------------------
  async 'spawn-join:greenlets'() {
    const { spawn, joinall, runMain, GREEN } = await gl();
    const nop = () => undefined; // gevent_micro spawns `lambda: None`: a plain function
    const run = (n) =>
      runMain(function* () {
        const t0 = now();
        const gs = new Array(n);
        for (let i = 0; i < n; i++) gs[i] = spawn(nop);
        yield* joinall[GREEN](gs);
        return ((now() - t0) * 1e6) / n;
      });
    return timed(run, 10_000, N);
  },
  async 'spawn-join:greenlets-green-body'() {
    const { spawn, joinall, runMain, green, GREEN } = await gl();
    // eslint-disable-next-line require-yield
    const gnop = green(function* gnop() {
      return undefined;
    });
    const run = (n) =>
      runMain(function* () {
        const t0 = now();
        const gs = new Array(n);
        for (let i = 0; i < n; i++) gs[i] = spawn(gnop);
        yield* joinall[GREEN](gs);
        return ((now() - t0) * 1e6) / n;
      });
    return timed(run, 10_000, N);
  },
  async 'spawn-join:async'() {
    const nop = async () => undefined;
    const run = async (n) => {
      const t0 = now();
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = nop();
      await Promise.all(ps);
      return ((now() - t0) * 1e6) / n;
    };
    return timed(run, 10_000, N);
  },

  // 2. sleep(0) switch between two greenlets -------------------------------------------------------------
  async 'switch:greenlets'() {
    const { spawn, joinall, runMain, green, sleep, GREEN } = await gl();
    const run = (n) => {
      const worker = green(function* worker() {
        for (let i = 0; i < n; i++) yield* sleep[GREEN](0);
      });
      return runMain(function* () {
        const t0 = now();
        yield* joinall[GREEN]([spawn(worker), spawn(worker)]);
        return ((now() - t0) * 1e6) / (2 * n);
      });
    };
    return timed(run, 20_000, SWITCH_N);
  },
  async 'switch:setImmediate'() {
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const run = async (n) => {
      const worker = async () => {
        for (let i = 0; i < n; i++) await tick();
      };
      const t0 = now();
      await Promise.all([worker(), worker()]);
      return ((now() - t0) * 1e6) / (2 * n);
    };
    return timed(run, 10_000, SWITCH_N / 2);
  },
  async 'switch:microtask'() {
    const run = async (n) => {
      const worker = async () => {
        for (let i = 0; i < n; i++) await null;
      };
      const t0 = now();
      await Promise.all([worker(), worker()]);
      return ((now() - t0) * 1e6) / (2 * n);
    };
    return timed(run, 20_000, SWITCH_N);
  },

  // 3. queue ping-pong -----------------------------------------------------------------------------------
  async 'queue:greenlets'() {
    const { spawn, joinall, runMain, green, GREEN } = await gl();
    const { Queue } = await import(distUrl(entryFile('queue')));
    const run = (n) => {
      const a = new Queue();
      const b = new Queue();
      const ping = green(function* ping() {
        for (let i = 0; i < n; i++) {
          yield* a.put[GREEN].call(a, i);
          yield* b.get[GREEN].call(b);
        }
      });
      const pong = green(function* pong() {
        for (let i = 0; i < n; i++) {
          yield* a.get[GREEN].call(a);
          yield* b.put[GREEN].call(b, i);
        }
      });
      return runMain(function* () {
        const t0 = now();
        yield* joinall[GREEN]([spawn(ping), spawn(pong)]);
        return ((now() - t0) * 1e6) / n;
      });
    };
    return timed(run, 10_000, N);
  },
  async 'queue:async'() {
    const run = async (n) => {
      const a = new AsyncQueue();
      const b = new AsyncQueue();
      const ping = async () => {
        for (let i = 0; i < n; i++) {
          a.put(i);
          await b.get();
        }
      };
      const pong = async () => {
        for (let i = 0; i < n; i++) {
          await a.get();
          b.put(i);
        }
      };
      const t0 = now();
      await Promise.all([ping(), pong()]);
      return ((now() - t0) * 1e6) / n;
    };
    return timed(run, 10_000, N);
  },

  // 4. memory per greenlet blocked on an Event -----------------------------------------------------------
  async 'event-mem:greenlets'() {
    const { spawn, joinall, runMain, green, sleep, GREEN } = await gl();
    const { Event } = await import(distUrl(entryFile('event')));
    const run = (n) =>
      runMain(function* () {
        const ev = new Event();
        const waiter = green(function* waiter() {
          yield* ev.wait[GREEN].call(ev);
        });
        yield* sleep[GREEN](0);
        const m0 = mem();
        const gs = new Array(n);
        for (let i = 0; i < n; i++) gs[i] = spawn(waiter);
        yield* sleep[GREEN](0); // every one of them runs once and blocks in ev.wait()
        const m1 = mem();
        if (gs[n - 1]._gen === null || gs[n - 1].dead) throw new Error('the last greenlet is not blocked in wait()');
        ev.set();
        yield* joinall[GREEN](gs);
        if (!gs.every((g) => g.successful())) throw new Error('a waiter failed');
        return { value: (m1.heap - m0.heap) / n, rss: (m1.rss - m0.rss) / n, rssTotal: m1.rss };
      });
    await run(1000);
    return run(N);
  },
  async 'event-mem:async'() {
    const run = async (n) => {
      let release;
      const p = new Promise((resolve) => (release = resolve));
      const waiter = async () => {
        await p;
      };
      await null;
      const m0 = mem();
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = waiter();
      const m1 = mem();
      release();
      await Promise.all(ps);
      return { value: (m1.heap - m0.heap) / n, rss: (m1.rss - m0.rss) / n, rssTotal: m1.rss };
    };
    await run(1000);
    return run(N);
  },

  // 5. 100k greenlets sleeping at once -------------------------------------------------------------------
  async 'sleepers:greenlets'() {
    const { spawn, joinall, runMain, green, sleep, GREEN } = await gl();
    const run = (n, seconds) =>
      runMain(function* () {
        const sleeper = green(function* sleeper() {
          yield* sleep[GREEN](seconds);
        });
        const m0 = mem();
        const t0 = now();
        const gs = new Array(n);
        for (let i = 0; i < n; i++) gs[i] = spawn(sleeper);
        yield* sleep[GREEN](0); // all of them have started and are asleep
        const tAsleep = now() - t0;
        const m1 = mem(); // the gc here runs while they sleep: it does not move their deadline
        if (gs[n - 1]._gen === null) throw new Error('the last greenlet is not asleep');
        yield* joinall[GREEN](gs);
        const tAll = now() - t0;
        return { value: m1.rss, heap: m1.heap - m0.heap, rssDelta: m1.rss - m0.rss, tAsleep, tAll };
      });
    await run(1000, 0.01);
    return run(N, 1);
  },
  async 'sleepers:async'() {
    const run = async (n, seconds) => {
      const ms = seconds * 1000;
      const sleeper = async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
      };
      const m0 = mem();
      const t0 = now();
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = sleeper();
      const tAsleep = now() - t0;
      const m1 = mem();
      await Promise.all(ps);
      const tAll = now() - t0;
      return { value: m1.rss, heap: m1.heap - m0.heap, rssDelta: m1.rss - m0.rss, tAsleep, tAll };
    };
    await run(1000, 0.01);
    return run(N, 1);
  },

  // 6. a call to a green function that does not suspend --------------------------------------------------
  async 'call:green'() {
    const { runMain, green, GREEN } = await gl();
    // eslint-disable-next-line require-yield
    const inc = green(function* inc(x) {
      return x + 1;
    });
    const run = (n) =>
      runMain(function* () {
        let s = 0;
        const t0 = now();
        for (let i = 0; i < n; i++) s = yield* (0, inc[GREEN])(s); // as the transform emits a call without a receiver
        const t = now() - t0;
        if (s !== n) throw new Error('wrong sum');
        return (t * 1e6) / n;
      });
    return timed(run, CALL_N / 5, CALL_N);
  },
  async 'call:plain'() {
    function inc(x) {
      return x + 1;
    }
    const run = (n) => {
      let s = 0;
      const t0 = now();
      for (let i = 0; i < n; i++) s = inc(s);
      const t = now() - t0;
      if (s !== n) throw new Error('wrong sum');
      return (t * 1e6) / n;
    };
    return timed(run, CALL_N / 5, CALL_N);
  },
  async 'call:async'() {
    async function inc(x) {
      return x + 1;
    }
    const run = async (n) => {
      let s = 0;
      const t0 = now();
      for (let i = 0; i < n; i++) s = await inc(s);
      const t = now() - t0;
      if (s !== n) throw new Error('wrong sum');
      return (t * 1e6) / n;
    };
    return timed(run, CALL_N / 5, CALL_N);
  },
};

if (process.argv[2] === '--child') {
  const name = process.argv[3];
  const c = CASES[name];
  if (!c) {
    console.error(`unknown case ${name}`);
    process.exit(2);
  }
  try {
    const r = await c();
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ') }) + '\n');
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parent side: run the cases, run gevent, print and write the table.
// ---------------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wanted = (name) => !only || only.some((o) => name.startsWith(o));

function child(name, procs = 1) {
  if (!wanted(name)) return { skipped: true };
  const results = [];
  for (let p = 0; p < procs; p++) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', name], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, GREENLETS_MAX_BLOCKING_TIME: '', GREENLETS_TRACK_SPAWN_SITES: '' },
    });
    const line = (r.stdout ?? '').trim().split('\n').pop();
    let out;
    try {
      out = JSON.parse(line);
    } catch {
      out = { error: `${r.error ?? ''} exit ${r.status} ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
    }
    if (out.error) return out;
    results.push(out);
  }
  if (procs === 1) return results[0];
  // memory cases: median over processes, field by field
  const med = {};
  for (const k of Object.keys(results[0])) if (typeof results[0][k] === 'number') med[k] = median(results.map((x) => x[k]));
  med.procs = results.map((x) => x.value);
  return med;
}

const entryNotes = [];
function pendingReason(name) {
  const f = entryFile(name);
  if (f === null) return `pending: neither dist/${name}.js nor dist/runtime/${name}.js is built (src/runtime/${name}.ts not there yet)`;
  if (f !== `${name}.js`) entryNotes.push(`${name}: dist/${name}.js is not built yet (no src/${name}.ts); measured dist/${f}`);
  return null;
}

function geventRun() {
  if (flag('--no-gevent')) return { unavailable: 'skipped (--no-gevent)' };
  const canImport = () => spawnSync(PYTHON, ['-c', 'import gevent'], { encoding: 'utf8' });
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  let imp = canImport();
  if (imp.status !== 0 && !flag('--no-install')) {
    process.stderr.write('gevent does not import: running bench/install-gevent.sh\n');
    spawnSync('sh', [path.join(HERE, 'install-gevent.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
    imp = canImport();
  }
  if (imp.status !== 0) return { unavailable: `${PYTHON} -c 'import gevent' failed: ${(imp.stderr || '').trim().split('\n').pop()}` };
  if (!existsSync(GEVENT_MICRO)) return { unavailable: `${GEVENT_MICRO} not found` };
  const r = spawnSync(PYTHON, [GEVENT_MICRO], { encoding: 'utf8', timeout: 90_000 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { unavailable: `gevent_micro.py failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').pop()}` };
  }
}

const fmtNs = (ns) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} us` : ns >= 1000 ? `${(ns / 1000).toFixed(2)} us` : `${ns.toFixed(ns < 10 ? 1 : 0)} ns`);
const fmtB = (b) => (Math.abs(b) >= 10_000 ? `${(b / 1024).toFixed(1)} KB` : `${Math.round(b)} B`);
const fmtMB = (b) => `${(b / 1048576).toFixed(0)} MB`;

/** Replace the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, leaving the rest of the
 * file as it is (other bench scripts own the other sections); the file and the markers are made if missing. */
function writeSection(file, name, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    text = `${text.replace(/\n*$/, '\n')}\n## Runtime (design.md §7: greenlets vs async/await vs gevent)\n${start}\n${end}\n`;
    return writeSection(file, name, body);
  }
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${body.replace(/\n*$/, '\n')}${text.slice(j)}`);
}

function main() {
  if (!existsSync(path.join(DIST, 'index.js'))) {
    console.error('dist/index.js is missing: run `npm run build` first (npm run bench does).');
    process.exit(2);
  }
  const started = Date.now();
  const load0 = os.loadavg()[0];
  const say = (s) => process.stderr.write(s + '\n');
  const r = {};
  const run = (name, procs) => {
    say(`  ${name} ...`);
    r[name] = child(name, procs);
  };
  say(`greenlets runtime benchmarks (each case in its own process; timing cases in ${ROUNDS} interleaved rounds):`);
  const queuePending = pendingReason('queue');
  const timing = ['spawn-join:greenlets', 'spawn-join:greenlets-green-body', 'spawn-join:async', 'switch:greenlets',
    'switch:setImmediate', 'switch:microtask', ...(queuePending ? [] : ['queue:greenlets']), 'queue:async',
    'call:green', 'call:plain', 'call:async'];
  const rounds = {};
  for (let k = 0; k < ROUNDS; k++) {
    for (const name of timing) {
      say(`  round ${k + 1}/${ROUNDS}: ${name} ...`);
      const x = child(name);
      (rounds[name] ??= []).push(x);
    }
  }
  for (const name of timing) {
    const xs = rounds[name];
    const bad = xs.find((x) => x.error || x.skipped);
    r[name] = bad ?? {
      value: median(xs.map((x) => x.value)),
      cpuValue: median(xs.map((x) => x.cpuValue)),
      runs: xs.flatMap((x) => x.runs),
      cpu: xs.flatMap((x) => x.cpu),
      rounds: xs,
    };
  }
  const eventPending = pendingReason('event');
  if (!eventPending) run('event-mem:greenlets', MEM_PROCS);
  run('event-mem:async', MEM_PROCS);
  run('sleepers:greenlets', MEM_PROCS);
  run('sleepers:async', MEM_PROCS);
  say('  gevent (gevent_micro.py) ...');
  const gv = wanted('gevent') || !only ? geventRun() : { unavailable: 'skipped (--only)' };
  const gevAvail = gv.unavailable === undefined;
  const gev = (k, f) => (gevAvail ? f(gv[k]) : 'n/a');

  const rows = [];
  const val = (x, f, pending) => (pending ? pending.split(':')[0] : x?.skipped ? 'skipped' : x?.error ? `error` : f(x));
  // Two ratios where there are two figures: by wall time, and by CPU time (steadier on a shared machine). The
  // verdict goes by CPU time when there is one, since other work on the machine only inflates wall time.
  const verdict = (x, ratio, pending, cpuRatio) => {
    if (pending) return ['—', '—', 'pending'];
    if (!x || x.skipped) return ['—', '—', 'skipped'];
    if (x.error) return ['—', '—', 'error'];
    const judged = Number.isFinite(cpuRatio) ? cpuRatio : ratio;
    return [`${ratio.toFixed(2)}x`, Number.isFinite(cpuRatio) ? `${cpuRatio.toFixed(2)}x` : '—', judged <= 1 ? 'pass' : 'FAIL'];
  };
  const ns = (x) => `${fmtNs(x.value)} (CPU ${fmtNs(x.cpuValue)})`;
  /** greenlets / baseline: the median over the rounds of the ratio within each round. */
  const pairRatio = (g, a, key) =>
    g?.rounds && a?.rounds ? median(g.rounds.map((x, k) => x[key] / a.rounds[k][key])) : NaN;
  const errs = [];
  for (const [k, v] of Object.entries(r)) if (v?.error) errs.push(`${k}: ${v.error}`);

  // 1
  {
    const g = r['spawn-join:greenlets'];
    const a = r['spawn-join:async'];
    const gg = r['spawn-join:greenlets-green-body'];
    rows.push(['spawn + join, per greenlet (100k)', val(g, ns), val(a, ns),
      gev('spawn_join_ns', fmtNs), '<= async/await', ...verdict(g?.error ? g : a?.error ? a : g, pairRatio(g, a, 'value'), null, pairRatio(g, a, 'cpuValue'))]);
    rows.push(['  (same, greenlet body a green function)', val(gg, ns), val(a, ns),
      '', '<= async/await', ...verdict(gg, pairRatio(gg, a, 'value'), null, pairRatio(gg, a, 'cpuValue'))]);
  }
  // 2
  {
    const g = r['switch:greenlets'];
    const si = r['switch:setImmediate'];
    const mt = r['switch:microtask'];
    rows.push(['sleep(0) switch between 2 greenlets', val(g, ns),
      `${val(si, ns)} (setImmediate), ${val(mt, ns)} (microtask)`,
      gev('switch_sleep0_ns', fmtNs), '<= 100 ns', ...verdict(g, g?.value / 100, null, g?.cpuValue / 100)]);
  }
  // 3
  {
    const g = r['queue:greenlets'];
    const a = r['queue:async'];
    rows.push(['queue ping-pong round trip', val(g, ns, queuePending), val(a, ns),
      gev('queue_pingpong_roundtrip_ns', fmtNs), '<= async/await', ...verdict(g?.error ? g : a, pairRatio(g, a, 'value'), queuePending, pairRatio(g, a, 'cpuValue'))]);
  }
  // 4
  {
    const g = r['event-mem:greenlets'];
    const a = r['event-mem:async'];
    const f = (x) => `${fmtB(x.value)} heap, ${fmtB(x.rss)} RSS`;
    rows.push(['memory per greenlet blocked on an Event (100k)', val(g, f, eventPending), val(a, f),
      gev('bytes_per_blocked_greenlet', (b) => `${fmtB(b)} RSS`), '<= 500 B (heap)', ...verdict(g, g?.value / 500, eventPending)]);
  }
  // 5
  {
    const g = r['sleepers:greenlets'];
    const a = r['sleepers:async'];
    const f = (x) =>
      `+${fmtMB(x.rssDelta)} RSS (${fmtMB(x.value)} total; heap +${fmtMB(x.heap)}); all asleep after ${x.tAsleep.toFixed(0)} ms, all woken after ${x.tAll.toFixed(0)} ms`;
    rows.push(['100k greenlets in sleep(1) at once', val(g, f), val(a, f), '~700 MB (design.md)', '< 100 MB RSS growth',
      ...verdict(g, g?.rssDelta / (100 * 1048576))]);
  }
  // 6
  {
    const g = r['call:green'];
    const a = r['call:async'];
    const p = r['call:plain'];
    rows.push(['call to a green function that does not suspend (issue 3\'s goal; measured here too)', val(g, ns),
      `${val(a, ns)} (async fn + await); plain call ${val(p, ns)}`, '—', '<= 30 ns',
      ...verdict(g, g?.value / 30, null, g?.cpuValue / 30)]);
  }

  const header = ['benchmark', 'greenlets', 'async/await', 'gevent', 'goal', 'ratio (wall)', 'ratio (CPU time)', 'pass/fail'];
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const gevLine = gevAvail ? `gevent: ${gv.anchor} (${PYTHON} ${path.relative(ROOT, GEVENT_MICRO)})` : `gevent: not available (${gv.unavailable})`;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const cpu = (os.cpus()[0]?.model ?? 'unknown').trim();
  const command = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : `node ${path.relative(ROOT, process.argv[1])}${argv.length ? ' ' + argv.join(' ') : ''}`;
  const info = [
    `command: \`${command}\``,
    `date: ${new Date().toISOString()}`,
    `node: ${process.version} (${process.platform}/${process.arch})`,
    `machine: nproc=${os.availableParallelism?.() ?? os.cpus().length}, model name: ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM`,
    gevLine,
    ...entryNotes,
    `load average (1 min) at start ${load0.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)} (other work on the machine skews the numbers)`,
    `runs: timing cases ${ROUNDS} rounds x ${RUNS} runs after ${WARMUPS + 1} warm-up runs (median of the round medians; ratios are the median of the ratios within a round); memory cases ${MEM_PROCS} fresh processes, median; took ${seconds} s`,
  ];
  const details = [];
  for (const [k, v] of Object.entries(r)) {
    if (!v || v.skipped || v.error) continue;
    if (v.runs) {
      details.push(
        `- ${k}: runs ${v.runs.map((x) => x.toFixed(1)).join(', ')} ns` +
          (v.cpu ? ` (CPU-time based: ${v.cpu.map((x) => x.toFixed(1)).join(', ')} ns)` : ''),
      );
    }
    else if (v.procs) details.push(`- ${k}: per process ${v.procs.map((x) => (k.startsWith('sleepers') ? fmtMB(x) : fmtB(x))).join(', ')}`);
  }

  console.log(table);
  console.log('');
  for (const l of info) console.log(l);
  if (errs.length) {
    console.log('\nerrors:');
    for (const e of errs) console.log(`  ${e}`);
  }

  if (!flag('--no-write') && !only) {
    const md = [
      'Runtime micro-benchmarks of greenlets against async/await (the JS limit) and gevent, the goals of',
      'design.md §7. Produced by `npm run bench` (`bench/runtime.mjs`), which rewrites only this section.',
      '',
      table,
      '',
      ...info.map((l) => `- ${l}`),
      '',
      '### How each row is measured',
      '',
      '- Each case runs in its own `node --expose-gc` child process. Timing cases: a small warm-up run and',
      `  ${WARMUPS} full-size ones (the JIT settles), then ${RUNS} runs with \`gc()\` before each, their median; this ${ROUNDS} times, in rounds that run every case once with`,
      '  greenlets next to its baselines, so drifting load from other work hits both; the table shows the median',
      `  round, and a ratio is the median over rounds of the ratio within a round. Memory cases: ${MEM_PROCS} fresh processes, median.`,
      '- Green code is written as the transform emits it (`yield* sleep[GREEN](0)`, `yield* q.get[GREEN].call(q)`),',
      '  run in the main greenlet with `runMain`, against the built package in `dist/`.',
      '- **spawn + join**: `spawn(fn)` x100k then `joinall`, timed from the first spawn to joinall returning; `fn` is',
      '  a plain function, as gevent_micro.py spawns `lambda: None` (the second line spawns a green function).',
      '  async/await: 100k calls of `async () => {}` then `await Promise.all(...)`.',
      '- **sleep(0) switch**: two greenlets each doing `sleep(0)` 200k times; total time / 400k switches.',
      '  async/await: two async functions each awaiting `new Promise(r => setImmediate(r))` (100k each), or `await null`',
      '  (200k each).',
      '- **queue ping-pong**: two greenlets, two unbounded Queues, 100k round trips (`a.put(i); b.get()` against',
      '  `a.get(); b.put(i)`). async/await: the same on a minimal promise-based queue written in the bench.',
      '- **memory per blocked greenlet**: 100k greenlets blocked in `ev.wait()`; heapUsed after `gc()` (and RSS) before',
      '  spawning and once all are blocked, divided by 100k; the `gs` array (8 B per greenlet) is included, as in',
      '  gevent_micro.py. async/await: 100k async functions awaiting one promise. gevent: RSS difference.',
      '- **100k sleeping greenlets**: 100k greenlets each doing `sleep(1)`; the process RSS (after `gc()`) while',
      '  all are asleep, its growth (the goal is judged on the growth) and the heap growth; time until all have',
      '  been spawned and started, and until `joinall` returns (1000 ms of it is the sleep).',
      '  async/await: 100k async functions awaiting `setTimeout(1000)` promises.',
      `- **non-suspending green call**: \`s = yield* (0, inc[GREEN])(s)\` (the emitted shape) in a loop of ${CALL_N / 1e6}M iterations, loop`,
      '  overhead included; against `s = await inc(s)` with `async function inc` and a plain `s = inc(s)`.',
      '- ratio: greenlets / async/await for relative goals, greenlets / goal for absolute ones; by wall time, and by',
      '  the process CPU time over the same runs (user + system, all threads; time spent descheduled while other',
      '  work shares the machine does not count). pass/fail is judged on the CPU-time ratio where there is one.',
      '',
      '### Raw runs',
      '',
      ...details,
      '',
    ].join('\n');
    writeSection(path.join(ROOT, 'BENCHMARKS.md'), 'runtime', md);
    say('wrote the runtime section of BENCHMARKS.md');
  }
}

main();
