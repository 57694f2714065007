#!/usr/bin/env node
// Integration numbers (issue 4), written to BENCHMARKS.md's `integrations` section:
//   1. `greenlets run` start-up over `node` on a small app, cold (empty cache) and cached;
//   2. `greenlets build` against `tsc` on the generated 20k-line project (bench/support/gen-project.mjs);
//   3. per-file transform time in Vite (p50/p95), cold and cached.
// CPU time (user + sys of the child, from bash's `time`) is the figure to compare on a busy machine; wall time
// is shown beside it. Medians over several runs.
//   npm run build && node bench/integrations.mjs [--runs N] [--lines N] [--no-write]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const RUNS = opt('--runs', 7);
const LINES = opt('--lines', 20000);
const WRITE = !argv.includes('--no-write');

if (!fs.existsSync(cli)) throw new Error('bench/integrations.mjs: run `npm run build` first (dist/cli/main.js is missing)');

const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'gl-bench-integrations-'));
const loadBefore = os.loadavg();

/** Run a shell-quoted command once; returns { wall, cpu } in seconds. */
function timed(cmd, cwd, env = {}) {
  // The redirections go inside the timed group: outside it they would swallow `time`'s own report.
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time (${cmd} >/dev/null 2>"$GL_BENCH_ERR")`], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: '', GL_BENCH_ERR: path.join(tmp, 'stderr.txt'), ...env },
    encoding: 'utf8',
  });
  const line = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys] = line.split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(wall)) {
    throw new Error(`bench: '${cmd}' failed (${r.status}):\n${r.stderr}\n${fs.readFileSync(path.join(tmp, 'stderr.txt'), 'utf8')}`);
  }
  return { wall, cpu: user + sys };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
function repeat(n, fn) {
  const rs = [];
  for (let i = 0; i < n; i++) rs.push(fn(i));
  return { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)) };
}
const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);

// ---- 1. start-up -------------------------------------------------------------------------------------------
const app = path.join(tmp, 'app');
fs.mkdirSync(path.join(app, 'src'), { recursive: true });
fs.mkdirSync(path.join(app, 'node_modules', '@types'), { recursive: true });
fs.symlinkSync(root, path.join(app, 'node_modules', 'greenlets'), 'dir');
fs.symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(app, 'node_modules', '@types', 'node'), 'dir');
fs.writeFileSync(path.join(app, 'package.json'), '{"type": "module"}\n');
fs.writeFileSync(
  path.join(app, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out', rootDir: 'src', sourceMap: true }, include: ['src'] }),
);
fs.writeFileSync(path.join(app, 'src', 'util.ts'), `import { sleep } from 'greenlets';\nexport function work(n: number): number {\n  sleep(0);\n  return n * 2;\n}\nexport const label = (s: string): string => s.toUpperCase();\n`);
fs.writeFileSync(path.join(app, 'src', 'jobs.ts'), `import { spawn, joinall } from 'greenlets';\nimport { work } from './util.js';\nexport function runAll(ns: number[]): number[] {\n  const gs = ns.map((n) => spawn(work, n));\n  joinall(gs);\n  return gs.map((g) => g.value as number);\n}\n`);
fs.writeFileSync(path.join(app, 'src', 'main.ts'), `import { runAll } from './jobs.js';\nimport { label } from './util.js';\nconsole.log(label('done'), runAll([1, 2, 3]).join(','));\n`);
execFileSync(process.execPath, [cli, 'build'], { cwd: app, stdio: 'pipe' });

const warmCache = path.join(tmp, 'cache-warm');
const node = process.execPath;
const baseline = repeat(RUNS, () => timed(`${node} --enable-source-maps out/main.js`, app));
timed(`${node} ${cli} run src/main.ts`, app, { GREENLETS_CACHE_DIR: warmCache });
const runCached = repeat(RUNS, () => timed(`${node} ${cli} run src/main.ts`, app, { GREENLETS_CACHE_DIR: warmCache }));
const loaderCached = repeat(RUNS, () => timed(`${node} --import greenlets/register src/main.ts`, app, { GREENLETS_CACHE_DIR: warmCache }));
const coldRuns = Math.max(3, Math.ceil(RUNS / 2));
const runCold = repeat(coldRuns, (i) => timed(`${node} ${cli} run src/main.ts`, app, { GREENLETS_CACHE_DIR: path.join(tmp, `cache-cold-${i}`) }));

// ---- 2. build vs tsc ---------------------------------------------------------------------------------------
const gen = path.join(tmp, 'gen');
const info = JSON.parse(execFileSync(process.execPath, [path.join(here, 'support', 'gen-project.mjs'), gen, '--lines', String(LINES)], { encoding: 'utf8' }).trim().split('\n').pop());
const buildRuns = 3;
const tscTime = repeat(buildRuns, () => {
  fs.rmSync(path.join(gen, 'dist'), { recursive: true, force: true });
  return timed(`${node} ${tsc} -p .`, gen);
});
const glTime = repeat(buildRuns, () => {
  fs.rmSync(path.join(gen, 'dist'), { recursive: true, force: true });
  return timed(`${node} ${cli} build -p .`, gen);
});

// ---- 3. per-file transform in Vite -------------------------------------------------------------------------
function vite(cache) {
  const out = execFileSync(process.execPath, [path.join(here, 'integrations-vite.mjs'), gen, path.join(tmp, 'vite-out')], {
    encoding: 'utf8',
    env: { ...process.env, GREENLETS_CACHE_DIR: cache },
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop());
}
const viteCache = path.join(tmp, 'cache-vite');
const viteCold = vite(viteCache);
const viteWarm = vite(viteCache);
const loadAfter = os.loadavg();
fs.rmSync(tmp, { recursive: true, force: true });

// ---- report ------------------------------------------------------------------------------------------------
const signed = (d) => `${d >= 0 ? '+' : '-'}${f3(Math.abs(d))}`;
const over = (r) => `${signed(r.cpu - baseline.cpu)} s CPU (${f2(r.cpu / baseline.cpu)}x), ${signed(r.wall - baseline.wall)} s wall`;
const viteRow = (name, v) => {
  const rest = v.times.slice(1);
  return `| ${name} | ${v.files} | ${f2(v.times[0])} | ${f2(q(rest, 0.5))} | ${f2(q(rest, 0.95))} | ${f2(Math.max(...rest))} |`;
};
const lines = [
  `Command: \`npm run build && node bench/integrations.mjs\` (runs: ${RUNS} start-ups, ${coldRuns} cold, ${buildRuns} builds; medians).`,
  `Node ${process.version}, ${os.cpus().length} cores; load average ${loadBefore.map(f2).join(' ')} before, ${loadAfter.map(f2).join(' ')} after` +
    ' (other work was running: compare CPU seconds and ratios, not wall time).',
  '',
  '**Start-up** of a 3-file app (top-level code, two green functions, 3 greenlets):',
  '',
  '| run | CPU s | wall s | over node |',
  '|---|---|---|---|',
  `| node out/main.js (compiled ahead by greenlets build; baseline) | ${f3(baseline.cpu)} | ${f3(baseline.wall)} | — |`,
  `| greenlets run, cached (nothing changed since the last run) | ${f3(runCached.cpu)} | ${f3(runCached.wall)} | ${over(runCached)} |`,
  `| node --import greenlets/register, cached | ${f3(loaderCached.cpu)} | ${f3(loaderCached.wall)} | ${over(loaderCached)} |`,
  `| greenlets run, cold (empty cache: loads TypeScript, analyses, transforms) | ${f3(runCold.cpu)} | ${f3(runCold.wall)} | ${over(runCold)} |`,
  '',
  `**Build** of the generated project (${info.files} files, ${info.lines} lines; bench/support/gen-project.mjs --lines ${LINES}):`,
  '',
  '| build | CPU s | wall s | ratio (CPU) |',
  '|---|---|---|---|',
  `| tsc -p . | ${f2(tscTime.cpu)} | ${f2(tscTime.wall)} | 1.00 |`,
  `| greenlets build -p . | ${f2(glTime.cpu)} | ${f2(glTime.wall)} | ${f2(glTime.cpu / tscTime.cpu)} (goal <= 1.5) |`,
  '',
  '**Per-file transform in Vite** (the plugin\'s transform hook, timed per call, in a `vite build` of the same project). The first',
  "file of a project pays for the whole-program analysis and transforms every file of the project into the cache; the",
  'others are then served from it:',
  '',
  '| vite build | files | first file ms | p50 ms (others) | p95 ms (others) | max ms (others) |',
  '|---|---|---|---|---|---|',
  viteRow('cold (empty cache)', viteCold),
  viteRow('cached', viteWarm),
];
const section = lines.join('\n');
console.log(section);

if (WRITE) {
  const file = path.join(root, 'BENCHMARKS.md');
  const start = '<!-- bench:integrations:start -->';
  const end = '<!-- bench:integrations:end -->';
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  if (text.includes(start) && text.includes(end)) {
    text = text.slice(0, text.indexOf(start) + start.length) + '\n' + section + '\n' + text.slice(text.indexOf(end));
  } else {
    text += `\n## Integrations (issue 4: start-up, build time, per-file transform in Vite)\n${start}\n${section}\n${end}\n`;
  }
  fs.writeFileSync(file, text);
}
