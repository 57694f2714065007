/**
 * Fresh identifiers for what the rewrite introduces (`__gl`, `f$green`, temporaries). A name is fresh if no
 * identifier-like token of the file's text spells it, which is conservative and needs no binder.
 */
import type ts from 'typescript';

export class Names {
  private readonly taken: Set<string>;
  constructor(sourceFile: ts.SourceFile) {
    this.taken = new Set(sourceFile.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  }
  /** A name not used in the file nor handed out before. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}${i}`;
    this.taken.add(name);
    return name;
  }
  /** A base whose numbered variants (`__t0`, `__t1`, …) never collide with the file: for per-function temps,
   * which may repeat across functions. */
  prefix(base: string): string {
    let p = base;
    for (let i = 1; [...this.taken].some((t) => t.startsWith(p)); i++) p = `${base}${i}_`;
    this.taken.add(p);
    return p;
  }
}
