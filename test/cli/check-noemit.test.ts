/**
 * `greenlets check` on a tsconfig with noEmit (the usual setting where a bundler compiles): TypeScript's emit runs
 * no transformer then, and the check must still find the transform's own errors, not only the type errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greenlets, linkGreenlets, removeTemp, tempDir, writeFiles } from './support.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('check-noemit');
  linkGreenlets(dir);
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true };
  writeFiles(dir, {
    'tsconfig.json': JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['a.ts'] }),
    'tsconfig.decl.json': JSON.stringify({ compilerOptions: { ...compilerOptions, declaration: true, emitDeclarationOnly: true }, files: ['a.ts'] }),
    'a.ts': `import { sleep } from 'greenlets';
class C {
  get x(): number {
    sleep(1);
    return 1;
  }
}
const n: number = 'str';
console.log(new C().x, n);
`,
  });
});
afterAll(() => removeTemp(dir));

describe('greenlets check', () => {
  for (const config of ['tsconfig.json', 'tsconfig.decl.json']) {
    it(`reports the transform's errors with ${config === 'tsconfig.json' ? 'noEmit' : 'emitDeclarationOnly'}`, async () => {
      const r = await greenlets(['check', '-p', config], { cwd: dir, timeout: 120_000 });
      expect(r.stdout).toMatch(/a\.ts:4:5 - error GL1010: getter x would block/);
      expect(r.stdout).toMatch(/a\.ts:8:7 - error GL9002: Type 'string' is not assignable to type 'number'/);
      expect(r.stdout).toMatch(/Found 2 errors\./);
      expect(r.code).toBe(1);
    });
  }
});
