#!/usr/bin/env node
/**
 * Transform benchmarks (issue 3, Numbers; design.md §7):
 *   - a call to a green function that does not suspend, as the transform emits it, against a plain call and an
 *     async call + await (goal: <= 30 ns);
 *   - CPU-bound code forced green (recursive fib, the JSON parser and the interpreter of fixtures/programs)
 *     against the same code compiled plainly: the slowdown ratio;
 *   - transform throughput in lines/s (per-file transform() over a generated project);
 *   - the whole-program analysis of a generated project (bench/support/gen-project.mjs, >= 20k lines) against
 *     `tsc --noEmit` of the same project.
 *
 *   npm run build && node bench/transform.mjs [--no-write] [--rounds=N] [--lines=N] [--only=call,cpu,throughput,analysis]
 *
 * Every measurement runs in its own child process; timing cases run in interleaved rounds (each round runs a
 * case and its baselines one after the other, so load from other work drifts into both), and report the
 * median. Times are CPU time (user + system) unless said otherwise: other work on the 2-core machine shows
 * up in wall time, much less in CPU time. The compiled code is written to a temp dir whose node_modules/greenlets
 * links to this checkout, and imports the built package (dist/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DIST = path.join(ROOT, 'dist');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const ROUNDS = Number(arg('rounds', 3));
const LINES = Number(arg('lines', 20000));
const ONLY = arg('only', 'call,cpu,throughput,analysis').split(',');
const CALL_N = 5_000_000;
const RUNS = 5;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------------------

/** `inc` may block (a branch never taken), so it is green; `loop` calls it, so it is green too, and calls it
 * through its generator directly; `loopDynamic` calls it through an array element: a dynamic call. */
const CALL_SRC = `
import { sleep } from 'greenlets';
export function inc(x: number): number { if (x < 0) sleep(1); return x + 1; }
export function loop(n: number): number { let s = 0; for (let i = 0; i < n; i++) s = inc(s); return s; }
const incs: Array<(x: number) => number> = [inc, (x) => x + 2];
export function loopDynamic(n: number): number { const f = incs[0]!; let s = 0; for (let i = 0; i < n; i++) s = f(s); return s; }
`;
const ASYNC_SRC = `
export async function inc(x) { return x + 1; }
export async function loop(n) { let s = 0; for (let i = 0; i < n; i++) s = await inc(s); return s; }
`;
/** The floor of the calling convention in V8: a hand-written generator delegation, no transform. */
const RAW_SRC = `
function* inc$green(x) { if (x < 0) yield; return x + 1; }
function* loop$green(n) { let s = 0; for (let i = 0; i < n; i++) s = yield* inc$green(s); return s; }
export function loop(n) { return loop$green(n).next().value; }
`;
const FIB_SRC = `function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(27));\n`;

/** A program of fixtures/programs as one exported function, so a child can run it many times. */
const asMain = (src) => `export function __main() {\n${src}\n}\n`;

// ---------------------------------------------------------------------------------------------------------
// Child side
// ---------------------------------------------------------------------------------------------------------

async function childMain(name, dir) {
  const mod = (f) => import(pathToFileURL(path.join(dir, f)).href);
  const timeRuns = async (fn, warm = 2) => {
    for (let i = 0; i < warm; i++) await fn();
    const cpu = [];
    const wall = [];
    for (let i = 0; i < RUNS; i++) {
      const c0 = cpuMs();
      const w0 = performance.now();
      await fn();
      wall.push(performance.now() - w0);
      cpu.push(cpuMs() - c0);
    }
    return { cpu: median(cpu), wall: median(wall) };
  };
  const [kind, variant] = name.split(':');
  if (kind === 'call') {
    const m = await mod(`call-${variant === 'dynamic' ? 'green' : variant}.mjs`);
    const run = variant === 'dynamic' ? () => m.loopDynamic(CALL_N) : () => m.loop(CALL_N);
    const t = await timeRuns(run);
    return { cpu: (t.cpu * 1e6) / CALL_N, wall: (t.wall * 1e6) / CALL_N, unit: 'ns/call' };
  }
  if (kind === 'cpu') {
    const [prog, how] = variant.split('.');
    const m = await mod(`${prog}-${how}.mjs`);
    const log = console.log;
    console.log = () => {};
    try {
      const reps = prog === 'fib' ? 1 : prog === 'json' ? 40 : 20;
      const t = await timeRuns(() => {
        for (let i = 0; i < reps; i++) m.__main();
      });
      return { cpu: t.cpu, wall: t.wall, unit: 'ms/run' };
    } finally {
      console.log = log;
    }
  }
  if (kind === 'throughput') {
    const { transform, invalidateProjects } = await import(pathToFileURL(path.join(DIST, 'transformer/index.js')).href);
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8'));
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const lines = texts.reduce((n, t) => n + t.split('\n').length, 0);
    const pass = (opts) => {
      const c0 = cpuMs();
      const w0 = performance.now();
      let diags = 0;
      files.forEach((f, i) => {
        diags += transform(texts[i], f, { sourceMap: true, ...opts }).diagnostics.filter((d) => d.category === 'error').length;
      });
      return { cpu: cpuMs() - c0, wall: performance.now() - w0, diags };
    };
    if (variant === 'transpile') {
      // The floor of the per-file path: TypeScript's own ts.transpileModule, which transform() prints with.
      const ts = (await import(pathToFileURL(path.join(ROOT, 'node_modules/typescript/lib/typescript.js')).href)).default;
      const once = () => {
        const c0 = cpuMs();
        const w0 = performance.now();
        files.forEach((f, i) => ts.transpileModule(texts[i], { fileName: f, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true, inlineSources: true } }));
        return { cpu: cpuMs() - c0, wall: performance.now() - w0 };
      };
      once();
      return { ...once(), lines, files: files.length, unit: 'ms' };
    }
    if (variant === 'force') {
      pass({ forceGreen: true }); // warm the emitter
      const t = pass({ forceGreen: true });
      return { cpu: t.cpu, wall: t.wall, lines, files: files.length, unit: 'ms' };
    }
    const first = pass({}); // builds the project's analysis once, then emits every file
    const again = pass({}); // the analysis is cached: emission only
    invalidateProjects();
    return { cpu: first.cpu, wall: first.wall, cpuEmit: again.cpu, wallEmit: again.wall, errors: first.diags, lines, files: files.length, unit: 'ms' };
  }
  if (kind === 'analysis') {
    const ts = (await import(pathToFileURL(path.join(ROOT, 'node_modules/typescript/lib/typescript.js')).href)).default;
    const { analyzeProgram } = await import(pathToFileURL(path.join(DIST, 'transformer/analysis/index.js')).href);
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
    const c0 = cpuMs();
    const w0 = performance.now();
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const c1 = cpuMs();
    const w1 = performance.now();
    let extra = {};
    if (variant === 'after-check') {
      // What `greenlets build` pays on top of the type check it does anyway: the analysis of a checked program.
      ts.getPreEmitDiagnostics(program);
      const c2 = cpuMs();
      const w2 = performance.now();
      const a = analyzeProgram(program);
      return { cpu: cpuMs() - c2, wall: performance.now() - w2, green: a.stats.green, unit: 'ms' };
    }
    if (variant === 'greenlets') {
      const a = analyzeProgram(program);
      extra = { green: a.stats.green, functions: a.stats.functions, fraction: a.greenFraction() };
    } else {
      const errors = ts.getPreEmitDiagnostics(program).length;
      extra = { errors };
    }
    return { cpu: cpuMs() - c0, wall: performance.now() - w0, cpuAfterProgram: cpuMs() - c1, wallAfterProgram: performance.now() - w1, ...extra, unit: 'ms' };
  }
  throw new Error(`unknown case ${name}`);
}

// ---------------------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------------------

function child(name, dir) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', name, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`case ${name} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function prepare(work) {
  const { transform } = await import(pathToFileURL(path.join(DIST, 'transformer/index.js')).href);
  const ts = (await import(pathToFileURL(path.join(ROOT, 'node_modules/typescript/lib/typescript.js')).href)).default;
  fs.mkdirSync(path.join(work, 'node_modules'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(work, 'node_modules/greenlets'), 'dir');
  fs.writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }');
  const plain = (src, file) =>
    ts.transpileModule(src, { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const green = (src, file, opts = {}) => {
    fs.writeFileSync(file, src);
    const r = transform(src, file, { sourceMap: false, ...opts });
    const errors = r.diagnostics.filter((d) => d.category === 'error');
    if (errors.length) throw new Error(`${file}: ${errors.map((d) => d.message).join('\n')}`);
    return r.code;
  };
  const write = (name, text) => fs.writeFileSync(path.join(work, name), text);
  const callGreen = green(CALL_SRC, path.join(work, 'call-green.ts'));
  if (!/yield\* inc\$green\(s\)/.test(callGreen)) throw new Error('the emitted loop does not call inc through its generator:\n' + callGreen);
  write('call-green.mjs', callGreen);
  write('call-plain.mjs', plain(CALL_SRC.replace("import { sleep } from 'greenlets';", 'const sleep = (_s: number) => {};'), 'call-plain.ts'));
  write('call-async.mjs', ASYNC_SRC);
  write('call-raw.mjs', RAW_SRC);
  const programs = {
    fib: FIB_SRC,
    json: fs.readFileSync(path.join(ROOT, 'fixtures/programs/json.ts'), 'utf8'),
    interpreter: fs.readFileSync(path.join(ROOT, 'fixtures/programs/interpreter.ts'), 'utf8'),
  };
  for (const [name, src] of Object.entries(programs)) {
    write(`${name}-plain.mjs`, plain(asMain(src), `${name}.ts`));
    write(`${name}-green.mjs`, green(asMain(src), path.join(work, `${name}.ts`), { forceGreen: true }));
  }
  const { generate } = await import(pathToFileURL(path.join(HERE, 'support/gen-project.mjs')).href);
  const project = generate({ out: path.join(work, 'project'), lines: LINES, seed: 1, greenlets: ROOT, link: true });
  const files = fs
    .readdirSync(path.join(project.dir, 'src'), { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(project.dir, 'src', f))
    .sort();
  fs.writeFileSync(path.join(project.dir, 'files.json'), JSON.stringify(files));
  return { project };
}

const GROUPS = ['call', 'cpu', 'throughput', 'analysis'];
/** Which case group a table row (by its label) or a raw-run line (by its case name) belongs to. */
function groupOf(line) {
  const label = line.replace(/^\|\s*/, '').replace(/^-\s*/, '');
  const kind = /^(call|cpu|throughput|analysis):\S/.exec(label)?.[1];
  if (kind) return kind;
  if (/^(call to a green|\s*\(same, a dynamic|\s*\(the floor: a hand-written)/.test(label)) return 'call';
  if (/^CPU-bound/.test(label)) return 'cpu';
  if (/^(transform throughput|\s*\(same, analysis cached|\s*\(same, forceGreen|\s*\(the floor: ts\.transpileModule)/.test(label)) return 'throughput';
  if (/^(whole-program analysis|\s*\(after the program|\s*\(analyzeProgram of)/.test(label)) return 'analysis';
  return null;
}

function readSection(file, name) {
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  const i = text.indexOf(`<!-- bench:${name}:start -->`);
  const j = text.indexOf(`<!-- bench:${name}:end -->`);
  return i < 0 || j < i ? null : text.slice(i, j);
}

/**
 * A run of some groups (--only) rewrites only their rows and raw runs; the other groups' rows, raw runs and the
 * date and load of the run that measured them are kept from the section as it was.
 */
function mergePartial(old, md) {
  if (old === null) return md;
  const rowsOf = (t) => t.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark') && groupOf(l) !== null);
  const rawOf = (t) => t.split('\n').filter((l) => /^- (call|cpu|throughput|analysis):\S/.test(l));
  const kept = (ls) => ls.filter((l) => !ONLY.includes(groupOf(l)));
  const fresh = (ls) => ls.filter((l) => ONLY.includes(groupOf(l)));
  const rows = GROUPS.flatMap((g) => (ONLY.includes(g) ? fresh(rowsOf(md)) : kept(rowsOf(old))).filter((l) => groupOf(l) === g));
  const raw = GROUPS.flatMap((g) => (ONLY.includes(g) ? fresh(rawOf(md)) : kept(rawOf(old))).filter((l) => groupOf(l) === g));
  const keptGroups = GROUPS.filter((g) => !ONLY.includes(g));
  const oldWhen = old.split('\n').filter((l) => /^- (date|load average)/.test(l)).map((l) => l.slice(2)).join('; ');
  const note = `- the ${keptGroups.join(', ')} rows (and raw runs) are from an earlier run: ${oldWhen.replace(/^.*?(date:)/, '$1')}`;
  const lines = md.split('\n');
  const out = [];
  let inTable = false;
  for (const l of lines) {
    if (l.startsWith('| ---')) {
      out.push(l, ...rows);
      inTable = true;
      continue;
    }
    if (inTable && l.startsWith('| ')) continue;
    inTable = false;
    if (/^- (call|cpu|throughput|analysis):\S/.test(l)) continue;
    if (l === '### Raw runs') {
      out.push(l, '', ...raw);
      continue;
    }
    out.push(l);
    if (l.startsWith('- load average')) out.push(note);
  }
  return out.join('\n').replace(/(### Raw runs\n\n(?:- .*\n)*)\n+/, '$1');
}

function writeSection(file, name, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    text = `${text.replace(/\n*$/, '\n')}\n## Transform (issue 3: green call cost, CPU-bound slowdown, throughput, whole-program analysis)\n${start}\n${end}\n`;
    fs.writeFileSync(file, text);
    return writeSection(file, name, body);
  }
  fs.writeFileSync(file, `${text.slice(0, i + start.length)}\n${body.replace(/\n*$/, '\n')}${text.slice(j)}`);
}

const f1 = (x) => x.toFixed(1);
const fms = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const fmtNs = (ns) => `${ns.toFixed(ns < 10 ? 1 : 0)} ns`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

async function main() {
  if (!fs.existsSync(path.join(DIST, 'transformer/index.js'))) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(2);
  }
  const say = (s) => process.stderr.write(s + '\n');
  const load0 = os.loadavg()[0];
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-bench-transform-'));
  say(`preparing in ${work} ...`);
  const { project } = await prepare(work);
  const pdir = project.dir;
  const cases = [];
  if (ONLY.includes('call')) cases.push(['call:green', work], ['call:dynamic', work], ['call:raw', work], ['call:plain', work], ['call:async', work]);
  if (ONLY.includes('cpu')) for (const p of ['fib', 'json', 'interpreter']) cases.push([`cpu:${p}.plain`, work], [`cpu:${p}.green`, work]);
  if (ONLY.includes('throughput')) cases.push(['throughput:project', pdir], ['throughput:force', pdir], ['throughput:transpile', pdir]);
  if (ONLY.includes('analysis')) cases.push(['analysis:greenlets', pdir], ['analysis:tsc', pdir], ['analysis:after-check', pdir]);
  const res = {};
  for (let k = 0; k < ROUNDS; k++) {
    for (const [name, dir] of cases) {
      say(`  round ${k + 1}/${ROUNDS}: ${name} ...`);
      (res[name] ??= []).push(child(name, dir));
    }
  }
  const med = (name, key = 'cpu') => median(res[name].map((r) => r[key]));
  /** Ratio of two cases within each round, then the median over rounds. */
  const roundRatio = (a, b, key = 'cpu') => median(res[a].map((r, i) => r[key] / res[b][i][key]));
  let tscCli = null;
  if (ONLY.includes('analysis')) {
    const w0 = performance.now();
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', pdir, '--noEmit'], { stdio: 'ignore' });
    tscCli = performance.now() - w0;
  }
  const load1 = os.loadavg()[0];

  const rows = [];
  if (res['call:green']) {
    const g = med('call:green');
    rows.push([
      'call to a green function that does not suspend (emitted: `yield* inc$green(s)`)',
      fmtNs(g),
      `plain call ${fmtNs(med('call:plain'))}; async fn + await ${fmtNs(med('call:async'))}`,
      '<= 30 ns',
      `${ratio(g, 30)} of goal; ${ratio(g, med('call:async'))} of async`,
      g <= 30 ? 'pass' : 'FAIL',
    ]);
    const d = med('call:dynamic');
    rows.push(['  (same, a dynamic call: `[GREEN]` tested at run time)', fmtNs(d), '', '—', `${ratio(d, med('call:async'))} of async`, '']);
    const raw = med('call:raw');
    rows.push(['  (the floor: a hand-written `s = yield* g(s)` delegation, no transform, same loop)', fmtNs(raw), '', '—', `green call ${ratio(g, raw)} of it`, '']);
  }
  for (const p of ['fib', 'json', 'interpreter']) {
    if (!res[`cpu:${p}.green`]) continue;
    const label = { fib: 'recursive fib(27)', json: 'JSON parser (fixtures/programs/json.ts, 40 runs)', interpreter: 'interpreter (fixtures/programs/interpreter.ts, 20 runs)' }[p];
    rows.push([
      `CPU-bound, every function forced green: ${label}`,
      fms(med(`cpu:${p}.green`)),
      `plain ${fms(med(`cpu:${p}.plain`))}`,
      'report the slowdown',
      `${roundRatio(`cpu:${p}.green`, `cpu:${p}.plain`).toFixed(2)}x slower`,
      '',
    ]);
  }
  if (res['throughput:project']) {
    const r0 = res['throughput:project'][0];
    const lines = r0.lines;
    const first = med('throughput:project');
    const emit = med('throughput:project', 'cpuEmit');
    const force = med('throughput:force');
    rows.push([
      `transform throughput: per-file transform() of every file of the generated project (${r0.files} files, ${lines} lines), first pass (includes building the whole-program analysis once)`,
      `${Math.round(lines / (first / 1000)).toLocaleString('en-US')} lines/s (${fms(first)})`,
      '',
      'report',
      '',
      '',
    ]);
    rows.push(['  (same, analysis cached: emission only)', `${Math.round(lines / (emit / 1000)).toLocaleString('en-US')} lines/s (${fms(emit)})`, '', '', '', '']);
    rows.push(['  (same, forceGreen: no checker, everything rewritten)', `${Math.round(lines / (force / 1000)).toLocaleString('en-US')} lines/s (${fms(force)})`, '', '', '', '']);
    const tp = med('throughput:transpile');
    rows.push(['  (the floor: ts.transpileModule alone on the same files, what transform() prints with)', `${Math.round(lines / (tp / 1000)).toLocaleString('en-US')} lines/s (${fms(tp)})`, '', '', `emission only ${ratio(emit, tp)} of it`, '']);
  }
  if (res['analysis:greenlets']) {
    const g = res['analysis:greenlets'][0];
    const an = med('analysis:greenlets');
    const tc = med('analysis:tsc');
    const anOnly = med('analysis:greenlets', 'cpuAfterProgram');
    const tcOnly = med('analysis:tsc', 'cpuAfterProgram');
    rows.push([
      `whole-program analysis of the generated project (${project.lines} lines, ${project.files} files): createProgram + analyzeProgram; ${g.green}/${g.functions} functions green (${(g.fraction * 100).toFixed(1)}%)`,
      fms(an),
      `tsc --noEmit in-process (createProgram + getPreEmitDiagnostics) ${fms(tc)}; the CLI \`tsc -p … --noEmit\` ${fms(tscCli)} wall`,
      '~<= 1x tsc --noEmit',
      `${roundRatio('analysis:greenlets', 'analysis:tsc').toFixed(2)}x`,
      roundRatio('analysis:greenlets', 'analysis:tsc') <= 1.05 ? 'pass' : 'FAIL',
    ]);
    rows.push([
      '  (after the program is built: analyzeProgram alone vs the type check alone)',
      fms(anOnly),
      `type check ${fms(tcOnly)}`,
      '',
      `${roundRatio('analysis:greenlets', 'analysis:tsc', 'cpuAfterProgram').toFixed(2)}x`,
      '',
    ]);
    const after = med('analysis:after-check');
    rows.push([
      '  (analyzeProgram of a program already type-checked: what `greenlets build` adds to the check it does anyway)',
      fms(after),
      `type check ${fms(tcOnly)}`,
      '',
      `${(after / tcOnly).toFixed(2)}x`,
      '',
    ]);
  }
  const cmd = `npm run build && node bench/transform.mjs${process.argv.slice(2).filter((a) => a !== '--no-write').length ? ' ' + process.argv.slice(2).filter((a) => a !== '--no-write').join(' ') : ''}`;
  const raw = Object.entries(res)
    .map(([k, rs]) => `- ${k}: CPU ${rs.map((r) => f1(r.cpu)).join(', ')} ${rs[0].unit}; wall ${rs.map((r) => f1(r.wall)).join(', ')}`)
    .join('\n');
  const md = `Transform benchmarks (issue 3's Numbers). Produced by \`${cmd}\` (\`bench/transform.mjs\`), which rewrites only this section.

| benchmark | greenlets | baseline | goal | ratio | pass/fail |
| --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

- date: ${new Date().toISOString()}; node ${process.version} (${process.platform}/${process.arch}); nproc=${os.cpus().length}
- load average (1 min) at start ${load0.toFixed(2)}, at end ${load1.toFixed(2)} (other work on the machine skews wall times; the figures are CPU time, user + system, of the measuring process)
- each case in its own process, ${ROUNDS} interleaved rounds, median; timing cases: 2 warm-up runs then the median of ${RUNS}; took ${Math.round((Date.now() - started) / 1000)} s
- the green call: \`loop(5e6)\` runs \`s = inc(s)\` 5M times, emitted as \`s = (yield* inc$green(s))\` inside loop's generator (a dynamic call: \`(0, t[GREEN])(s)\` after the test) (loop overhead included, as in the baselines: the same loop compiled plainly, and \`s = await inc(s)\` with \`async function inc\`)
- CPU-bound: each program wrapped in one exported function and compiled (a) by ts.transpileModule, (b) by transform(…, { forceGreen: true }) — every function a generator, every call dynamic; console.log silenced while timing. Without forceGreen the analysis leaves these programs plain: byte-identical output, 1.00x.
- throughput: the generated project (\`node bench/support/gen-project.mjs DIR --lines ${LINES}\`), each file through transform(code, file) as a loader or bundler calls it (source maps on); the first pass builds the project's whole-program analysis once (transform() shares it across files) and type-checks each file for its GL9002 diagnostics
- analysis vs tsc: fresh processes; both include createProgram (parsing, binding); the ratio is greenlets / tsc within a round, median over rounds

### Raw runs

${raw}
`;
  console.log(md);
  if (!process.argv.includes('--no-write')) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    writeSection(file, 'transform', GROUPS.every((g) => ONLY.includes(g)) ? md : mergePartial(readSection(file, 'transform'), md));
    say('wrote the transform section of BENCHMARKS.md');
  }
  fs.rmSync(work, { recursive: true, force: true });
}

if (process.argv[2] === '--child') {
  childMain(process.argv[3], process.argv[4]).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e.stack ?? e);
      process.exit(1);
    },
  );
} else {
  main().catch((e) => {
    console.error(e.stack ?? e);
    process.exit(1);
  });
}
