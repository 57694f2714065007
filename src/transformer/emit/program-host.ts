/**
 * A compiler host for analysing one file in memory against the files on disk, with the parsed default
 * library and node_modules declaration files cached across calls (they dominate the cost of a program).
 */
import ts from 'typescript';

const cache = new Map<string, ts.SourceFile>();

export function singleFileHost(fileName: string, code: string, options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const target = ts.sys.resolvePath(fileName);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (ts.sys.resolvePath(name) === target) {
      return ts.createSourceFile(name, code, languageVersion, true);
    }
    const cacheable = name.endsWith('.d.ts') && (name.includes('/node_modules/') || name.includes('/typescript/lib/'));
    const k = `${typeof languageVersion === 'object' ? JSON.stringify(languageVersion) : languageVersion}|${name}`;
    if (cacheable) {
      const hit = cache.get(k);
      if (hit !== undefined) return hit;
    }
    const sf = getSourceFile(name, languageVersion, onError, shouldCreate);
    if (cacheable && sf !== undefined) cache.set(k, sf);
    return sf;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => ts.sys.resolvePath(name) === target || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (ts.sys.resolvePath(name) === target ? code : readFile(name));
  return host;
}
