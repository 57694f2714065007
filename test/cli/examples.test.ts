/** The README's main example: `npx greenlets run examples/crawler.ts`, from the repository root. */
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { greenlets, removeTemp, ROOT, tempDir } from './support.js';

vi.setConfig({ testTimeout: 180_000 });

let cache: string;
beforeAll(() => {
  cache = tempDir('crawler-cache');
});
afterAll(() => removeTemp(cache));

it('examples/crawler.ts crawls its local site with a pool of greenlets', async () => {
  const r = await greenlets(['run', path.join('examples', 'crawler.ts'), '15', '5'], { cwd: ROOT, env: { GREENLETS_CACHE_DIR: cache } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^crawled 15 pages \(29 links\) with 5 greenlets in \d+\.\d\ds\n/);
});
