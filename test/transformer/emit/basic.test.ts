import { describe, expect, it } from 'vitest';
import { runProgram } from './harness.js';

describe('emit: forceGreen programs run', () => {
  it('declarations, arrows, methods, classes, for-of, spread, tagged templates, optional calls', () => {
    const r = runProgram(
      {
        main: `
import { sleep } from '\${RT}';
function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const add = (a: number, b: number) => a + b;
class C { x = 1; m(a: number) { sleep(0); return this.x + add(a, 1); } static s() { return 2; } }
const o = { k(v: number) { return v * 2; }, n: 3 };
for (const v of [1, 2, 3]) { if (v === 2) continue; console.log(v, o.k?.(v), o?.k(v)); }
console.log(fib(10), new C().m(2), C.s(), ...[1, 2]);
export const tag = (s: TemplateStringsArray, ...v: unknown[]) => s.raw.join('|') + v.join(',');
console.log(tag\`a\${1}b\${2}\`);
`,
      },
      { forceGreen: true },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 2 2\n3 6 6\n55 4 2 1 2\na|b|1,2\n');
  });
});
