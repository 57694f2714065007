/**
 * `greenlets build` on a tsconfig with noEmit or emitDeclarationOnly: TypeScript's emit runs no transformer then,
 * yet the build must report the rewrite's own errors (file:line:col + GL code) and fail, as it does when it
 * writes JavaScript — and write no more than tsc would (nothing; only the .d.ts, still tagged @blocking).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, linkGreenlets, removeTemp, tempDir, writeFiles } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('build-noemit');
  linkGreenlets(dir);
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out' };
  writeFiles(dir, {
    'package.json': '{"type": "module"}\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['a.ts'] }),
    'tsconfig.decl.json': JSON.stringify({ compilerOptions: { ...compilerOptions, declaration: true, emitDeclarationOnly: true }, files: ['a.ts'] }),
    'a.ts': `import { sleep } from 'greenlets';
export function pause(): void {
  sleep(0);
}
export const sorted = [3, 1].sort((a, b) => {
  pause();
  return a - b;
});
`,
  });
});
afterAll(() => removeTemp(dir));

describe('greenlets build', () => {
  it('with noEmit prints the rewrite\'s errors, exits 1 and writes nothing', async () => {
    const r = await greenlets(['build', '-p', 'tsconfig.json'], { cwd: dir, timeout: 120_000 });
    expect(r.stdout).toMatch(/^a\.ts:5:\d+ - error GL1001: /m);
    expect(r.stdout).toContain('Found 1 error.');
    expect(r.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('with emitDeclarationOnly prints them too and writes only the .d.ts, green exports tagged @blocking', async () => {
    const r = await greenlets(['build', '-p', 'tsconfig.decl.json'], { cwd: dir, timeout: 120_000 });
    expect(r.stdout).toMatch(/^a\.ts:5:\d+ - error GL1001: /m);
    expect(r.stdout).toContain('Found 1 error.');
    expect(r.code).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['a.d.ts']);
    expect(fs.readFileSync(path.join(dir, 'out', 'a.d.ts'), 'utf8')).toMatch(/\/\*\* @blocking \*\/\s*export declare function pause/);
  });
});
