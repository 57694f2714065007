#!/usr/bin/env node
/**
 * A deterministic generator of a realistic multi-module greenlets project, for timing the analysis and
 * `greenlets build` against tsc on the same code.
 *
 *   node bench/support/gen-project.mjs OUTDIR [--lines 20000] [--seed 1] [--greenlets DIR] [--no-link]
 *
 * OUTDIR gets tsconfig.json, package.json, src/**.ts and (unless --no-link) node_modules/greenlets and
 * node_modules/@types linked to this checkout, so `tsc -p OUTDIR --noEmit` type-checks it as written.
 * The code is a service made of "domains" (orders, users, …), each with a model class hierarchy, a store
 * whose reads block (sleep as simulated I/O, a Queue of writes), pure logic (validation, formatting,
 * statistics with map/filter/reduce, sort comparators, replace callbacks), a route table of handlers in a Map
 * (some blocking, most not), an EventEmitter and timers, and re-exports — about a fifth of the functions
 * block, as in a real server. The same --lines and --seed give the same bytes.
 * Prints one JSON line: { dir, files, lines, domains }.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

function parseArgs(argv) {
  const args = { out: undefined, lines: 20000, seed: 1, greenlets: repoRoot, link: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') args.lines = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--greenlets') args.greenlets = path.resolve(argv[++i]);
    else if (a === '--no-link') args.link = false;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a.startsWith('--')) throw new Error(`gen-project: unknown option ${a}`);
    else if (args.out === undefined) args.out = path.resolve(a);
    else throw new Error(`gen-project: unexpected argument ${a}`);
  }
  if (args.help) return args;
  if (args.out === undefined) throw new Error('gen-project: OUTDIR is required');
  if (!Number.isInteger(args.lines) || args.lines < 500) throw new Error('gen-project: --lines must be an integer >= 500');
  if (!Number.isInteger(args.seed)) throw new Error('gen-project: --seed must be an integer');
  return args;
}

/** mulberry32: small, fast and the same on every machine. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  'order', 'user', 'invoice', 'product', 'shipment', 'payment', 'ticket', 'account', 'session', 'report',
  'review', 'coupon', 'vendor', 'message', 'channel', 'device', 'tenant', 'budget', 'contract', 'asset',
];
const FIELDS = ['title', 'owner', 'region', 'label', 'note', 'code', 'category', 'summary'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** The shared utility modules every domain imports. */
function utilFiles() {
  return {
    'src/util/io.ts': `import { sleep } from 'greenlets';

/** Simulated latency of a database or a remote service: a real suspension of the calling greenlet. */
export function simulateIo(ms: number): void {
  sleep(ms / 1000);
}

export function withRetry<T>(attempts: number, fn: () => T): T {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return fn();
    } catch (e) {
      last = e;
      simulateIo(1 + i);
    }
  }
  throw last;
}

export const clock = { now: (): number => 1_700_000_000_000 };
`,
    'src/util/text.ts': `export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, (m) => (m.length > 1 ? '-' : '_')).replace(/^-|-$/g, '');
}

export function titleCase(s: string): string {
  return s.replace(/\\b\\w/g, (c) => c.toUpperCase());
}

export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i]!)).join(' | ')).join('\\n');
}

export default function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1];
}
`,
    'src/util/stats.ts': `export interface Summary {
  count: number;
  total: number;
  mean: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary {
  const total = xs.reduce((a, b) => a + b, 0);
  const max = xs.reduce((a, b) => (b > a ? b : a), -Infinity);
  return { count: xs.length, total, mean: xs.length ? total / xs.length : 0, max };
}

export function histogram(xs: readonly number[], buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  const max = Math.max(1, ...xs);
  for (const x of xs) out[Math.min(buckets - 1, Math.floor((x / max) * buckets))]!++;
  return out;
}

export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
`,
    'src/util/entity.ts': `export interface Identified {
  readonly id: number;
}

export abstract class Entity implements Identified {
  constructor(readonly id: number) {}
  abstract validate(): string[];
  describe(): string {
    return \`\${this.constructor.name}#\${this.id}\`;
  }
}

export interface Request {
  path: string;
  params: Record<string, string>;
  body?: string;
}

export interface Response {
  status: number;
  body: string;
}

export type Handler = (req: Request) => Response;

export function ok(body: string): Response {
  return { status: 200, body };
}

export function notFound(path: string): Response {
  return { status: 404, body: \`no route for \${path}\` };
}
`,
    'src/util/index.ts': `export * from './entity.js';
export * from './stats.js';
export { pad, slug, titleCase as toTitle, table } from './text.js';
export { default as joinWords } from './text.js';
export { simulateIo, withRetry, clock } from './io.js';
`,
  };
}

/** One domain: model, store, logic, handlers, jobs, index. About 300 lines. */
function domainFiles(idx, rand, prev) {
  const noun = NOUNS[idx % NOUNS.length] + (idx >= NOUNS.length ? String(Math.floor(idx / NOUNS.length)) : '');
  const N = cap(noun);
  const dir = `src/${noun}`;
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const fields = FIELDS.filter(() => rand() < 0.6);
  if (fields.length === 0) fields.push('title');
  const extraHelpers = 3 + Math.floor(rand() * 4);
  const ioMs = 1 + Math.floor(rand() * 5);
  const blockingRoutes = 1 + Math.floor(rand() * 2);

  const model = `import { Entity } from '../util/index.js';

export type ${N}Status = 'new' | 'active' | 'closed' | 'archived';

export interface ${N}Record {
  id: number;
${fields.map((f) => `  ${f}: string;`).join('\n')}
  score: number;
  tags: string[];
  status: ${N}Status;
}

export class ${N} extends Entity {
  private history: ${N}Status[] = [];
  constructor(private record: ${N}Record) {
    super(record.id);
  }
  get status(): ${N}Status {
    return this.record.status;
  }
  get score(): number {
    return this.record.score;
  }
  validate(): string[] {
    const errors: string[] = [];
${fields.map((f) => `    if (this.record.${f}.length === 0) errors.push('${f} is empty');`).join('\n')}
    if (this.record.score < 0) errors.push('score is negative');
    return errors;
  }
  transition(to: ${N}Status): boolean {
    const allowed: Record<${N}Status, ${N}Status[]> = {
      new: ['active', 'closed'],
      active: ['closed'],
      closed: ['archived', 'active'],
      archived: [],
    };
    if (!allowed[this.record.status].includes(to)) return false;
    this.history.push(this.record.status);
    this.record = { ...this.record, status: to };
    return true;
  }
  toRecord(): ${N}Record {
    return { ...this.record, tags: [...this.record.tags] };
  }
  override describe(): string {
    return \`${N}(\${this.id}, \${this.record.${fields[0]}}, \${this.record.status})\`;
  }
}

export class Premium${N} extends ${N} {
  override validate(): string[] {
    const errors = super.validate();
    if (this.score < 10) errors.push('premium ${noun}s need a score of 10');
    return errors;
  }
}
`;

  const store = `import { Queue } from 'greenlets/queue';
import { simulateIo, withRetry } from '../util/index.js';
import { ${N}, Premium${N}, type ${N}Record } from './model.js';

export interface ${N}Source {
  fetch(id: number): ${N}Record | undefined;
}

/** An in-memory table whose reads cost simulated I/O and whose writes go through a queue. */
export class ${N}Store implements ${N}Source {
  private rows = new Map<number, ${N}Record>();
  private writes = new Queue<${N}Record>();
  private listeners: Array<(r: ${N}Record) => void> = [];

  fetch(id: number): ${N}Record | undefined {
    simulateIo(${ioMs});
    return this.rows.get(id);
  }
  get(id: number): ${N} | undefined {
    const r = withRetry(3, () => this.fetch(id));
    if (r === undefined) return undefined;
    return r.score > 50 ? new Premium${N}(r) : new ${N}(r);
  }
  peek(id: number): ${N}Record | undefined {
    return this.rows.get(id);
  }
  put(r: ${N}Record): void {
    this.rows.set(r.id, r);
    for (const l of this.listeners) l(r);
  }
  enqueue(r: ${N}Record): void {
    this.writes.put(r);
  }
  flush(): number {
    let n = 0;
    while (this.writes.qsize() > 0) {
      this.put(this.writes.get());
      n++;
    }
    return n;
  }
  onPut(l: (r: ${N}Record) => void): void {
    this.listeners.push(l);
  }
  all(): ${N}Record[] {
    return [...this.rows.values()];
  }
  where(pred: (r: ${N}Record) => boolean): ${N}Record[] {
    return this.all().filter(pred);
  }
  ids(): number[] {
    return [...this.rows.keys()].sort((a, b) => a - b);
  }
}

export const ${noun}Store = new ${N}Store();
`;

  const helperBodies = [];
  for (let h = 0; h < extraHelpers; h++) {
    const kind = Math.floor(rand() * 4);
    const f = pick(fields);
    if (kind === 0) {
      helperBodies.push(`export function count${N}sBy${cap(f)}${h}(rs: readonly ${N}Record[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rs) out.set(r.${f}, (out.get(r.${f}) ?? 0) + 1);
  return out;
}`);
    } else if (kind === 1) {
      helperBodies.push(`export function top${N}s${h}(rs: readonly ${N}Record[], n: number): ${N}Record[] {
  return [...rs].sort((a, b) => b.score - a.score || a.${f}.localeCompare(b.${f})).slice(0, n);
}`);
    } else if (kind === 2) {
      helperBodies.push(`export function render${N}${h}(r: ${N}Record): string {
  const parts = [String(r.id), r.${f}, r.status, r.tags.join('/')];
  return parts.map((p) => p.replace(/\\s+/g, (m) => (m.length > 1 ? ' ' : m))).join(';');
}`);
    } else {
      helperBodies.push(`export const normalize${N}${h} = (r: ${N}Record): ${N}Record => ({
  ...r,
  ${f}: r.${f}.trim(),
  tags: r.tags.filter((t, i, all) => all.indexOf(t) === i).map((t) => t.toLowerCase()),
});`);
    }
  }

  const logic = `import { summarize, percentile, histogram, slug, toTitle, joinWords, table, type Summary } from '../util/index.js';
import type { ${N}Record, ${N}Status } from './model.js';

export function validate${N}(r: ${N}Record): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(r.id) || r.id <= 0) errors.push('bad id');
  if (r.tags.some((t) => t.length === 0)) errors.push('empty tag');
  if (!['new', 'active', 'closed', 'archived'].includes(r.status)) errors.push('bad status');
  return errors;
}

export function score${N}s(rs: readonly ${N}Record[]): Summary {
  return summarize(rs.map((r) => r.score));
}

export function ${noun}Report(rs: readonly ${N}Record[]): string {
  const byStatus = new Map<${N}Status, number>();
  for (const r of rs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const rows = [...byStatus.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => [toTitle(status), String(n)]);
  const p90 = percentile(rs.map((r) => r.score), 90);
  const hist = histogram(rs.map((r) => r.score), 4).join(',');
  return table([['status', 'count'], ...rows]) + \`\\np90=\${p90} hist=\${hist}\`;
}

export function ${noun}Slugs(rs: readonly ${N}Record[]): string {
  return joinWords(rs.map((r) => slug(r.${fields[0]})));
}

export function parse${N}(line: string, id: number): ${N}Record | undefined {
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length < ${fields.length + 1}) return undefined;
  const score = Number(cells[${fields.length}]);
  if (Number.isNaN(score)) return undefined;
  return {
    id,
${fields.map((f, i) => `    ${f}: cells[${i}]!,`).join('\n')}
    score,
    tags: cells.slice(${fields.length + 1}),
    status: 'new',
  };
}

export function next${N}State(s: ${N}Status, event: 'open' | 'close' | 'archive'): ${N}Status {
  switch (s) {
    case 'new':
      return event === 'open' ? 'active' : event === 'close' ? 'closed' : s;
    case 'active':
      return event === 'close' ? 'closed' : s;
    case 'closed':
      return event === 'archive' ? 'archived' : event === 'open' ? 'active' : s;
    default:
      return s;
  }
}

${helperBodies.join('\n\n')}
`;

  const routeNames = ['list', 'get', 'report', 'slugs', 'validate', 'count'];
  const handlers = `import { ok, notFound, type Handler, type Request, type Response } from '../util/index.js';
import { ${noun}Store } from './store.js';
import { ${noun}Report, ${noun}Slugs, validate${N}, score${N}s } from './logic.js';

const routes = new Map<string, Handler>();

routes.set('/${noun}/list', () => ok(${noun}Store.ids().join(',')));
routes.set('/${noun}/report', () => ok(${noun}Report(${noun}Store.all())));
routes.set('/${noun}/slugs', () => ok(${noun}Slugs(${noun}Store.all())));
routes.set('/${noun}/count', () => ok(String(score${N}s(${noun}Store.all()).count)));
routes.set('/${noun}/validate', (req) => {
  const r = ${noun}Store.peek(Number(req.params.id));
  return r ? ok(validate${N}(r).join(';') || 'valid') : notFound(req.path);
});
${blockingRoutes >= 1 ? `routes.set('/${noun}/get', (req) => {
  const e = ${noun}Store.get(Number(req.params.id));
  return e ? ok(e.describe()) : notFound(req.path);
});` : ''}
${blockingRoutes >= 2 ? `routes.set('/${noun}/flush', () => ok(String(${noun}Store.flush())));` : ''}

export function ${noun}Routes(): string[] {
  return [...routes.keys()].filter((k) => ${JSON.stringify(routeNames)}.some((n) => k.endsWith(n)) || k.endsWith('flush'));
}

export function handle${N}(req: Request): Response {
  const h = routes.get(req.path);
  return h ? h(req) : notFound(req.path);
}

export function handle${N}Batch(reqs: readonly Request[]): Response[] {
  return reqs.map((r) => handle${N}(r));
}
`;

  const prevImport = prev ? `import { ${prev.noun}Store } from '../${prev.noun}/store.js';\n` : '';
  const jobs = `import { EventEmitter } from 'node:events';
import { spawn, joinall, type Greenlet } from 'greenlets';
${prevImport}import { ${noun}Store } from './store.js';
import { parse${N}, next${N}State } from './logic.js';
import type { ${N}Record } from './model.js';

export const ${noun}Events = new EventEmitter();

export function import${N}s(lines: readonly string[]): number {
  let n = 0;
  lines.forEach((line, i) => {
    const r = parse${N}(line, i + 1);
    if (r) {
      ${noun}Store.enqueue(r);
      n++;
    }
  });
  return ${noun}Store.flush() === n ? n : -1;
}

export function advance${N}s(event: 'open' | 'close' | 'archive'): number {
  let changed = 0;
  for (const r of ${noun}Store.all()) {
    const s = next${N}State(r.status, event);
    if (s !== r.status) {
      ${noun}Store.put({ ...r, status: s });
      changed++;
    }
  }
  return changed;
}

export function load${N}s(ids: readonly number[]): Array<${N}Record | undefined> {
  const gs: Array<Greenlet<${N}Record | undefined>> = ids.map((id) => spawn(() => ${noun}Store.fetch(id)));
  joinall(gs);
  return gs.map((g) => g.value);
}

export function watch${N}s(log: string[]): void {
  ${noun}Events.on('changed', (r: ${N}Record) => {
    log.push(\`changed \${r.id}\`);
  });
  ${noun}Events.on('refresh', (id: number) => {
    const r = ${noun}Store.fetch(id);
    if (r) log.push(\`refreshed \${r.id}\`);
  });
  ${noun}Store.onPut((r) => ${noun}Events.emit('changed', r));
  setTimeout(() => log.push('tick'), 0);
}
${prev ? `
export function cross${N}(id: number): string {
  const other = ${prev.noun}Store.fetch(id);
  const mine = ${noun}Store.peek(id);
  return \`\${other?.id ?? '-'}/\${mine?.id ?? '-'}\`;
}
` : ''}`;

  const index = `export { ${N}, Premium${N}, type ${N}Record, type ${N}Status } from './model.js';
export { ${N}Store, ${noun}Store } from './store.js';
export * from './logic.js';
export { handle${N} as ${noun}Handler, handle${N}Batch, ${noun}Routes } from './handlers.js';
export * from './jobs.js';
`;

  return {
    noun,
    N,
    files: {
      [`${dir}/model.ts`]: model,
      [`${dir}/store.ts`]: store,
      [`${dir}/logic.ts`]: logic,
      [`${dir}/handlers.ts`]: handlers,
      [`${dir}/jobs.ts`]: jobs,
      [`${dir}/index.ts`]: index,
    },
  };
}

function mainFile(domains) {
  const imports = domains.map((d) => `import * as ${d.noun} from './${d.noun}/index.js';`).join('\n');
  const calls = domains
    .map(
      (d) => `  ${d.noun}.import${d.N}s(['a, b, c, d, e, f, g, h, 12, x', 'bad line']);
  out.push(${d.noun}.${d.noun}Handler({ path: '/${d.noun}/get', params: { id: '1' } }).body);
  out.push(${d.noun}.${d.noun}Report(${d.noun}.${d.noun}Store.all()));`,
    )
    .join('\n');
  return `${imports}

export function main(): string[] {
  const out: string[] = [];
${calls}
  return out;
}

console.log(main().length);
`;
}

export function generate({ out, lines, seed, greenlets, link }) {
  const rand = rng(seed);
  const files = { ...utilFiles() };
  const domains = [];
  const count = (text) => text.split('\n').length;
  let total = Object.values(files).reduce((n, t) => n + count(t), 0);
  while (total < lines) {
    const d = domainFiles(domains.length, rand, domains[domains.length - 1]);
    domains.push(d);
    for (const [name, text] of Object.entries(d.files)) {
      files[name] = text;
      total += count(text);
    }
    total += 3; // main.ts's lines for this domain
  }
  files['src/main.ts'] = mainFile(domains);
  fs.rmSync(out, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(out, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name: 'generated-service', private: true, type: 'module' }, null, 2) + '\n');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      types: ['node'],
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src'],
  };
  fs.writeFileSync(path.join(out, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
  if (link) {
    fs.mkdirSync(path.join(out, 'node_modules'), { recursive: true });
    fs.symlinkSync(greenlets, path.join(out, 'node_modules/greenlets'), 'dir');
    fs.symlinkSync(path.join(repoRoot, 'node_modules/@types'), path.join(out, 'node_modules/@types'), 'dir');
  }
  const lineCount = Object.values(files).reduce((n, t) => n + count(t), 0);
  return { dir: out, files: Object.keys(files).length, lines: lineCount, domains: domains.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    if (args.help) {
      console.log('usage: node bench/support/gen-project.mjs OUTDIR [--lines 20000] [--seed 1] [--greenlets DIR] [--no-link]');
    } else {
      console.log(JSON.stringify(generate(args)));
    }
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
}
