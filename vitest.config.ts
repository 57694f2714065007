import { defineConfig } from 'vitest/config';

// test/integrations/blocking-style.test.ts is written in blocking style: the greenlets Vite plugin (from dist/,
// which `npm test` builds first) rewrites that one file. Without dist/ that test fails and the others still run.
const greenlets = await import('./dist/integrations/vite.js').then((m) => m.default, () => undefined);

export default defineConfig({
  plugins: greenlets
    ? [
        greenlets({
          include: ['test/integrations/blocking-style.test.ts'],
          tsconfig: 'test/integrations/tsconfig.blocking.json',
          // it()'s callback type returns Awaitable<any>: GL1003 says the body is spawned as a greenlet, which vitest awaits.
          diagnostics: 'error',
        }),
      ]
    : [],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
    pool: 'forks',
  },
});
