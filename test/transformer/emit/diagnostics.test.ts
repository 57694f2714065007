/**
 * The emitter's diagnostics that no fixture input reaches (fixtures/transform covers the rest): GL2010 and
 * GL9004 are driven through createGreenletsTransformer with a hand-made analysis, GL9010 through the project
 * entry with a broken tsconfig. Also: how diagnostics are formatted and filtered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { CallSite, FileAnalysis, FunctionLike } from '../../../src/transformer/analysis/types.js';
import type { GreenletsDiagnostic } from '../../../src/transformer/api.js';
import { createGreenletsTransformer, createProjectTransformer, filterDiagnostics, formatDiagnostic, transform } from '../../../src/transformer/index.js';
import { emitterCodes } from '../../../src/transformer/emit/codes.js';
import { patchedSpecifier } from '../../../src/transformer/emit/patch.js';
import { writeProject } from '../analysis/helpers.js';

/** Emit `code` with an analysis built by `mark` from the parsed file (nodes found by their text). */
function emitWith(code: string, mark: (sf: ts.SourceFile, find: <T extends ts.Node>(text: string, kind: ts.SyntaxKind) => T) => Partial<FileAnalysis>) {
  const diagnostics: GreenletsDiagnostic[] = [];
  const fileName = '/virtual/case.ts';
  const before = createGreenletsTransformer(
    (sf) => {
      const find = <T extends ts.Node>(text: string, kind: ts.SyntaxKind): T => {
        let hit: ts.Node | undefined;
        const walk = (n: ts.Node): void => {
          if (hit === undefined && n.kind === kind && n.getText(sf) === text) hit = n;
          else ts.forEachChild(n, walk);
        };
        walk(sf);
        if (hit === undefined) throw new Error(`no ${ts.SyntaxKind[kind]} ${text}`);
        return hit as T;
      };
      return {
        sourceFile: sf,
        green: new Set(),
        calls: new Map(),
        iterations: new Map(),
        spawnAdapted: new Set(),
        topLevelBlocks: false,
        diagnostics: [],
        ...mark(sf, find),
      };
    },
    {},
    { onDiagnostics: (_f, ds) => diagnostics.push(...ds) },
  );
  const out = ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    transformers: { before: [before] },
  });
  return { code: out.outputText, diagnostics };
}

describe('emitter diagnostics', () => {
  it('every code has a category and a summary', () => {
    for (const [code, info] of Object.entries(emitterCodes)) {
      expect(code).toMatch(/^GL[29]\d{3}$/);
      expect(['error', 'warning', 'info']).toContain(info.category);
      expect(info.summary.length).toBeGreaterThan(20);
    }
  });

  it('GL2010: a built-in without its receiver is called plainly, with a warning naming it and the fix', () => {
    // (a static built-in such as `const from = Array.from` is called with its constructor as the receiver)
    const code = 'const map = Array.prototype.map;\nfunction f(xs: number[]) {\n  return map(xs, (x) => x);\n}\n';
    const r = emitWith(code, (_sf, find) => {
      const fn = find<FunctionLike>('function f(xs: number[]) {\n  return map(xs, (x) => x);\n}', ts.SyntaxKind.FunctionDeclaration);
      const call = find<ts.CallExpression>('map(xs, (x) => x)', ts.SyntaxKind.CallExpression);
      return { green: new Set([fn]), calls: new Map<ts.Node, CallSite>([[call, { kind: 'green', builtin: 'Array.prototype.map' }]]) };
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.category} ${d.line}:${d.column}`)).toEqual(['GL2010 warning 3:10']);
    expect(r.diagnostics[0]!.message).toContain('map(...) is Array.prototype.map called without its receiver');
    expect(r.diagnostics[0]!.message).toContain('Fix: call it as a method of the object (`xs.map(...)`)');
    // called dynamically (the GREEN test at run time)
    expect(r.code).toContain("(yield* __gl.callDynamic(map, void 0, [xs, (x) => x]))");
  });

  it('GL9004: a rewrite failure names the construct and its place, and the file is emitted as written', () => {
    const code = 'export function f(): void;\nexport function f(x?: number): void {}\nconsole.log(1);\n';
    const r = emitWith(code, (_sf, find) => ({
      // An overload signature (no body) marked green: the rewrite cannot make a generator of it.
      green: new Set([find<FunctionLike>('export function f(): void;', ts.SyntaxKind.FunctionDeclaration)]),
    }));
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect([d.code, d.category, d.line, d.column]).toEqual(['GL9004', 'error', 1, 1]);
    expect(d.message).toContain('greenlets failed to rewrite the function f');
    expect(d.message).toContain('compiled without the transform');
    expect(r.code).toBe(ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
  });

  it('GL9010: an unreadable tsconfig is a diagnostic of the project entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-emit-'));
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(tsconfig, '{ "compilerOptions": { "target": "es2099" }, "files": ["a.ts"] }');
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    const p = createProjectTransformer({ tsconfig });
    const codes = p.diagnostics().map((d) => d.code);
    expect(codes).toContain('GL9010');
    const d = p.diagnostics().find((x) => x.code === 'GL9010')!;
    expect(d.message).toMatch(/target/);
  });

  it('the project emit rewrites every file also where TypeScript writes no JavaScript, and writes only what tsc would', () => {
    // noEmit, emitDeclarationOnly and noEmitOnError with a type error run no `before` transformer in ts's emit.
    const dir = writeProject({
      'a.ts': `import { sleep } from 'greenlets';\nexport function pause(): void {\n  sleep(0);\n}\nexport const sorted = [3, 1].sort((a, b) => {\n  pause();\n  return a - b;\n});\n`,
      'b.ts': `export const n: number = 1;\n`,
    });
    const emitWithOptions = (compilerOptions: Record<string, unknown>, b = 'export const n: number = 1;\n') => {
      const tsconfig = join(dir, 'tsconfig.json');
      writeFileSync(join(dir, 'b.ts'), b);
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true, types: [], outDir: 'out', ...compilerOptions }, files: ['a.ts', 'b.ts'] }));
      const written: string[] = [];
      const r = createProjectTransformer({ tsconfig }).emit((name) => written.push(name.slice(dir.length + 1)));
      return { codes: r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), written: written.sort() };
    };
    const full = emitWithOptions({});
    expect(full.codes).toEqual(['GL1001 5:35']);
    expect(full.written).toEqual(['out/a.js', 'out/b.js']);
    expect(emitWithOptions({ noEmit: true })).toEqual({ codes: full.codes, written: [] });
    expect(emitWithOptions({ declaration: true, emitDeclarationOnly: true })).toEqual({ codes: full.codes, written: ['out/a.d.ts', 'out/b.d.ts'] });
    expect(emitWithOptions({ noEmitOnError: true }, 'export const n: number = "s";\n')).toEqual({ codes: ['GL9002 1:14', ...full.codes], written: [] });
  });

  it('GL9001 and GL9002 come with file:line:col, formatted as tsc formats its own', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gl-emit-')), 'bad.ts');
    const bad = transform('export const x: number = "s";\nexport function f( {\n', file);
    expect(bad.diagnostics.map((d) => d.code)).toContain('GL9001');
    const typed = transform('export const x: number = "s";\n', file);
    expect(typed.diagnostics.map((d) => formatDiagnostic(d, join(file, '..')))).toEqual([
      "bad.ts:1:14 - error GL9002: Type 'string' is not assignable to type 'number'. (TS2322)",
    ]);
    expect(typed.code).toBe('export const x = "s";\n');
  });

  it('filterDiagnostics keeps what is at or above the level', () => {
    const d = (category: GreenletsDiagnostic['category']): GreenletsDiagnostic => ({ code: 'GL0000', category, message: '', file: 'f', line: 1, column: 1 });
    const all = [d('info'), d('warning'), d('error')];
    expect(filterDiagnostics(all, 'info')).toHaveLength(3);
    expect(filterDiagnostics(all).map((x) => x.category)).toEqual(['warning', 'error']);
    expect(filterDiagnostics(all, 'error').map((x) => x.category)).toEqual(['error']);
    expect(filterDiagnostics(all, 'none')).toEqual([]);
  });
});

describe('patch specifiers', () => {
  it('maps every Node module the patch covers, with and without node:, only when its flag is on', () => {
    const table: Array<[string, string]> = [
      ['fs', 'greenlets/fs'],
      ['net', 'greenlets/socket'],
      ['dns', 'greenlets/dns'],
      ['child_process', 'greenlets/subprocess'],
      ['timers', 'greenlets/timers'],
      ['http', 'greenlets/http'],
      ['https', 'greenlets/https'],
      ['tls', 'greenlets/ssl'],
    ];
    for (const [mod, green] of table) {
      expect(patchedSpecifier(mod, true)).toBe(green);
      expect(patchedSpecifier(`node:${mod}`, true)).toBe(green);
      expect(patchedSpecifier(mod, false)).toBeUndefined();
      expect(patchedSpecifier(mod, {})).toBeUndefined();
    }
    expect(patchedSpecifier('node:fs', { fs: true })).toBe('greenlets/fs');
    expect(patchedSpecifier('node:net', { fs: true })).toBeUndefined();
    expect(patchedSpecifier('node:child_process', { childProcess: true })).toBe('greenlets/subprocess');
    for (const untouched of ['node:fs/promises', 'node:path', 'fs-extra', './fs', 'node:timers/promises']) {
      expect(patchedSpecifier(untouched, true)).toBeUndefined();
    }
  });
});
