/** `greenlets build` (like tsc: JS, .d.ts, maps to outDir; --watch) and `greenlets check` (diagnostics only, --explain). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI, greenlets, linkGreenlets as linkPackage, node, removeTemp, tempDir, writeFiles } from './support.js';

/** greenlets and @types/node installed, as in a real project. */
function linkGreenlets(dir: string): void {
  linkPackage(dir, { nodeTypes: true });
}

vi.setConfig({ testTimeout: 180_000 });

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    outDir: 'out',
    rootDir: 'src',
    declaration: true,
    sourceMap: true,
    skipLibCheck: true,
  },
  include: ['src'],
});

const FILES = {
  'package.json': '{"type": "module"}\n',
  'tsconfig.json': TSCONFIG,
  'src/steps.ts': `import { sleep } from 'greenlets';

export function step(n: number): number {
  sleep(0.001);
  if (n > 2) throw new Error('step ' + n + ' failed');
  return n * 10;
}

export function plain(n: number): number {
  return n + 1;
}
`,
  'src/main.ts': `import { joinall, spawn } from 'greenlets';
import { plain, step } from './steps.js';

const gs = [1, 2].map((n) => spawn(step, n));
joinall(gs);
console.log(gs.map((g) => g.value).join(' '), plain(1));
try {
  step(3);
} catch (e) {
  const line = (e as Error).stack!.split('\\n').find((l) => l.includes('steps.'));
  console.log('thrown at', line?.match(/steps\\.[jt]s:\\d+/)?.[0]);
}
`,
};

/** `greenlets build --watch` running in `dir`. */
function watchBuild(dir: string): { built(): Promise<void>; stop(): void } {
  const child = spawn(process.execPath, [CLI, 'build', '--watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = /found 0 errors\. Watching for file changes\./;
  let seen = 0;
  return {
    /** Resolves when a clean build reported after the one the previous call saw ends. */
    async built() {
      for (let m = done.exec(out.slice(seen)); ; m = done.exec(out.slice(seen))) {
        if (m !== null) {
          seen += m.index + m[0].length;
          return;
        }
        if (child.exitCode !== null) throw new Error(`watch exited: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => child.kill(),
  };
}

let dir: string;
beforeAll(() => {
  dir = tempDir('build');
  writeFiles(dir, FILES);
  linkGreenlets(dir);
});
afterAll(() => removeTemp(dir));

describe('greenlets build', () => {
  it('emits JS, .d.ts (green exports tagged @blocking) and source maps to outDir; the output runs with node', async () => {
    const r = await greenlets(['build'], { cwd: dir, env: { GREENLETS_PROGRESS_AFTER: '0' } });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    // The progress line of a long build (forced here), then its summary.
    expect(r.stderr).toMatch(/greenlets build: analysing \d+ files/);
    expect(r.stderr).toMatch(/greenlets build: wrote 6 files, 0 errors in \d/);
    const out = path.join(dir, 'out');
    expect(fs.readdirSync(out).sort()).toEqual(['main.d.ts', 'main.js', 'main.js.map', 'steps.d.ts', 'steps.js', 'steps.js.map']);
    const dts = fs.readFileSync(path.join(out, 'steps.d.ts'), 'utf8');
    expect(dts).toMatch(/\/\*\* @blocking \*\/\s*export declare function step/);
    expect(dts).not.toMatch(/@blocking \*\/\s*export declare function plain/);
    expect(fs.readFileSync(path.join(out, 'steps.js'), 'utf8')).toContain('//# sourceMappingURL=steps.js.map');
    const ran = await node(['--enable-source-maps', 'out/main.js'], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe('10 20 2\nthrown at steps.ts:5\n');
  });

  it('type errors are printed like tsc prints them and exit 1 (the files are still written, as tsc does)', async () => {
    const bad = tempDir('build-bad');
    try {
      writeFiles(bad, { ...FILES, 'src/oops.ts': `export const n: number = 'text';\n` });
      linkGreenlets(bad);
      const r = await greenlets(['build', '-p', '.'], { cwd: bad });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^src\/oops\.ts:1:14 - error GL9002: Type 'string' is not assignable to type 'number'\. \(TS2322\)$/m);
      expect(r.stdout).toContain('Found 1 error.');
      expect(fs.existsSync(path.join(bad, 'out', 'oops.js'))).toBe(true);
    } finally {
      removeTemp(bad);
    }
  });

  it('--watch rebuilds when a source file changes', async () => {
    const w = tempDir('build-watch');
    writeFiles(w, FILES);
    linkGreenlets(w);
    const watch = watchBuild(w);
    try {
      await watch.built();
      expect(fs.readFileSync(path.join(w, 'out', 'steps.js'), 'utf8')).toContain('n * 10');
      fs.writeFileSync(path.join(w, 'src', 'steps.ts'), FILES['src/steps.ts'].replace('n * 10', 'n * 100'));
      await watch.built();
      expect(fs.readFileSync(path.join(w, 'out', 'steps.js'), 'utf8')).toContain('n * 100');
    } finally {
      watch.stop();
      removeTemp(w);
    }
  });
});

describe('greenlets build --watch and greenness across files', () => {
  it('an edit that makes an exported function green rewrites the files that call it', async () => {
    const w = tempDir('build-watch-flip');
    writeFiles(w, {
      'package.json': '{"type": "module"}\n',
      'tsconfig.json': TSCONFIG,
      'src/step.ts': 'export function step(n: number): number {\n  return n + 1;\n}\n',
      'src/main.ts': "import { step } from './step.js';\nexport function twice(n: number): number {\n  return step(step(n));\n}\n",
    });
    linkGreenlets(w);
    const watch = watchBuild(w);
    try {
      await watch.built();
      expect(fs.readFileSync(path.join(w, 'out', 'main.js'), 'utf8')).not.toContain('yield*');
      fs.writeFileSync(path.join(w, 'src', 'step.ts'), "import { sleep } from 'greenlets';\nexport function step(n: number): number {\n  sleep(0);\n  return n + 1;\n}\n");
      await watch.built();
      const main = fs.readFileSync(path.join(w, 'out', 'main.js'), 'utf8');
      expect(main).toContain('function* twice$green');
      expect(main).toContain('yield*');
    } finally {
      watch.stop();
      removeTemp(w);
    }
  });
});

describe('greenlets check', () => {
  it('prints nothing and exits 0 on a clean project; writes nothing', async () => {
    const c = tempDir('check');
    try {
      writeFiles(c, FILES);
      linkGreenlets(c);
      const r = await greenlets(['check'], { cwd: c });
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
      expect(fs.existsSync(path.join(c, 'out'))).toBe(false);
      // --explain: each green function, why, and the fraction.
      const e = await greenlets(['check', '--explain'], { cwd: c });
      expect(e.code).toBe(0);
      expect(e.stdout).toMatch(/^src\/steps\.ts:3:1 - step is green:\n {4}step calls sleep at .*steps\.ts:4:3\n {4}sleep is a blocking primitive/m);
      expect(e.stdout).not.toMatch(/plain is green/);
      expect(e.stdout).toMatch(/src\/main\.ts - its top-level code blocks/);
      expect(e.stdout).toMatch(/^1 green function; \d+\.\d% of the program's functions are green\.$/m);
    } finally {
      removeTemp(c);
    }
  });

  it("exits 1 on a transform error, and --patch changes what it reports", async () => {
    const c = tempDir('check-err');
    try {
      writeFiles(c, {
        ...FILES,
        'src/bad.ts': `import { sleep } from 'greenlets';\nimport { readFileSync } from 'node:fs';\nexport function load(): string {\n  sleep(0);\n  return readFileSync('x', 'utf8');\n}\nexport const sorted = [3, 1].sort((a, b) => { sleep(0); return a - b; });\n`,
      });
      linkGreenlets(c);
      const r = await greenlets(['check'], { cwd: c });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^src\/bad\.ts:5:\d+ - warning GL3001: /m);
      expect(r.stdout).toMatch(/^src\/bad\.ts:7:\d+ - error GL1001: /m);
      expect(r.stdout).toContain('Found 1 error.');
      const patched = await greenlets(['check', '--patch=fs'], { cwd: c });
      expect(patched.code).toBe(1);
      expect(patched.stdout).not.toContain('GL3001');
    } finally {
      removeTemp(c);
    }
  });
});
