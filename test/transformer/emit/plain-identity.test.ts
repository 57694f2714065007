/**
 * design.md §7: plain (non-green) code after the transform is byte-identical to what TypeScript prints without
 * it. The realistic programs of fixtures/programs/ (an interpreter, a JSON parser, a text adventure, …) have
 * nothing green: transform() with the real analysis must print exactly what ts.transpileModule prints. In a
 * file that does have green functions, every plain function must still come out as TypeScript prints it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transform, perFileCompilerOptions } from '../../../src/transformer/index.js';
import { ROOT } from '../support/run.js';

const PROGRAMS = join(ROOT, 'fixtures/programs');

function plainTranspile(code: string, fileName: string, patch = false): string {
  const out = ts.transpileModule(code, { fileName, compilerOptions: perFileCompilerOptions(fileName, { patch }) });
  return out.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
}

describe('plain code is byte-identical', () => {
  const programs = readdirSync(PROGRAMS).filter((f) => f.endsWith('.ts')).sort();

  it('the corpus is the realistic one', () => {
    expect(programs).toEqual(expect.arrayContaining(['interpreter.ts', 'json.ts', 'adventure.ts']));
  });

  for (const name of programs) {
    it(`${name}: transform() prints what TypeScript prints`, () => {
      const file = join(PROGRAMS, name);
      const code = readFileSync(file, 'utf8');
      const r = transform(code, file, { diagnostics: 'error' });
      expect(r.diagnostics).toEqual([]);
      expect(r.code).toBe(plainTranspile(code, file));
    });
  }

  it('with patch on, a file that names no patched module comes out the same', () => {
    const file = join(PROGRAMS, 'interpreter.ts');
    const code = readFileSync(file, 'utf8');
    expect(transform(code, file, { patch: true }).code).toBe(plainTranspile(code, file, true));
  });

  it('plain functions beside green ones print as TypeScript prints them', () => {
    const file = join(ROOT, 'fixtures/transform/call-basic/input.ts');
    const code = [
      readFileSync(file, 'utf8'),
      'export function plainHelper(xs: number[]): number {',
      '  let total = 0;',
      '  for (const x of xs) total += x * 2; // a comment',
      '  return total;',
      '}',
      'export class Plain {',
      '  constructor(private readonly n: number) {}',
      '  twice(): number {',
      '    return this.n * 2;',
      '  }',
      '}',
      '',
    ].join('\n');
    const green = transform(code, file).code;
    const plain = plainTranspile(code, file);
    const chunk = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)) + to.length);
    for (const [from, to] of [
      ['function label(', '}\n'],
      ['export function plainHelper(', '}\n'],
      ['export class Plain {', '\n}\n'],
    ] as const) {
      const expected = chunk(plain, from, to);
      expect(expected.length).toBeGreaterThan(20);
      expect(green).toContain(expected);
    }
    // and the green function did change
    expect(green).toContain('function* work$green(');
  });
});
