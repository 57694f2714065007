/**
 * The Vite dev server: saving a module that makes an exported function green re-transforms the modules that
 * call it (their text did not change, their output must), so the next request gets green calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linkGreenlets, removeTemp, ROOT, tempDir, writeFiles } from '../cli/support.js';

vi.setConfig({ testTimeout: 120_000 });

const PLAIN_STEP = `export function step(n: number): number {\n  return n + 1;\n}\n`;
const GREEN_STEP = `import { sleep } from 'greenlets';\nexport function step(n: number): number {\n  sleep(0);\n  return n + 1;\n}\n`;

describe('greenlets/vite in the dev server', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('vite-dev');
    linkGreenlets(dir, { nodeTypes: true });
    writeFiles(dir, {
      'package.json': '{"type": "module"}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true }, include: ['src'] }),
      'src/step.ts': PLAIN_STEP,
      'src/main.ts': `import { step } from './step';\nexport function twice(n: number): number {\n  return step(step(n));\n}\n`,
    });
  });
  afterAll(() => removeTemp(dir));

  it('a change that makes an imported function green changes the importer’s output', async () => {
    const { createServer } = await import('vite');
    const greenlets = (await import(path.join(ROOT, 'dist/integrations/vite.js'))).default as (o?: object) => unknown;
    const server = await createServer({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      appType: 'custom',
      cacheDir: path.join(dir, '.vite'),
      server: { middlewareMode: true, ws: false },
      plugins: [greenlets({ cache: false }) as never],
    });
    try {
      const before = await server.transformRequest('/src/main.ts');
      expect(before?.code).toMatch(/step\(step\(n\)\)/);
      expect(before?.code).not.toMatch(/yield\*/);
      fs.writeFileSync(path.join(dir, 'src/step.ts'), GREEN_STEP);
      let after = before;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !/yield\*/.test(after?.code ?? '')) {
        await new Promise((r) => setTimeout(r, 200));
        after = await server.transformRequest('/src/main.ts');
      }
      expect(after?.code).toMatch(/function\* twice/);
      expect(after?.code).toMatch(/yield\*/);
    } finally {
      await server.close();
    }
  });
});
