/**
 * `greenlets check --explain` (design.md §2): why a function is green, as the chain of reasons from it to a
 * root — one line per step, each naming the call (or iteration) and where it is, so a user can see which
 * link to break to stop over-greening.
 *
 *   handle calls <arrow function at server.ts:4:23> at server.ts:6:62 (an indirect call: ...)
 *   <arrow function at server.ts:4:23> calls sleep at server.ts:4:35
 *   sleep is a blocking primitive (@blocking, declared at node_modules/greenlets/index.d.ts:7:1)
 */
import path from 'node:path';
import ts from 'typescript';
import type { Collector } from './collect.js';
import { BLOCKING_ITERABLE, type Container, type Value } from './model.js';
import type { FunctionLike } from './types.js';
import { containerName, valueName } from './names.js';
import { parameterDeclarations } from './tags.js';
import { argumentIndex, positionWord, type Position } from './positions.js';

const NOT_GREEN_KIND: Partial<Record<Container['kind'], string>> = {
  ctor: 'a constructor, which cannot suspend (GL1012)',
  getter: 'a getter, which cannot suspend (GL1010)',
  setter: 'a setter, which cannot suspend (GL1011)',
  field: 'a field initialiser, which cannot suspend (GL1013)',
  static: 'a static block, which cannot suspend (GL1016)',
  async: 'an async function, which cannot call green code plainly (GL1014)',
  generator: 'a generator function, which cannot be made green (GL1015)',
  default: 'a default parameter value, which cannot suspend (GL1017)',
  script: 'the top level of a script, which cannot block (GL1019)',
};

export class Explainer {
  constructor(
    private col: Collector,
    private cwd: string,
  ) {}

  private at(node: ts.Node): string {
    const sf = node.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const rel = path.relative(this.cwd, sf.fileName);
    const file = rel.startsWith('..') || path.isAbsolute(rel) ? sf.fileName : rel;
    return `${file}:${line + 1}:${character + 1}`;
  }

  private name(c: Container): string {
    return c.kind === 'top' || c.kind === 'script' ? `the top level of ${this.at(c.sourceFile).replace(/:1:1$/, '')}` : containerName(c);
  }

  private valueName(v: Value): string {
    if (v.kind === 'bound') return `${valueName(this.col.values[v.target]!)} (bound at ${this.at(v.call)})`;
    return valueName(v);
  }

  /** The chain for a function-like (or any node the analysis made a container of). */
  explain(node: ts.Node): string[] {
    const start = this.col.containerOf.get(node) ?? (ts.isSourceFile(node) ? this.col.fileContainers.get(node) : undefined);
    if (!start) return [`${ts.isSourceFile(node) ? node.fileName : 'this function'} is not part of the analysed program`];
    const out: string[] = [];
    const seen = new Set<Container>();
    let c: Container | undefined = start;
    while (c && !seen.has(c)) {
      seen.add(c);
      const name = this.name(c);
      const r: Container['reason'] = c.reason;
      if (!c.blocks || !r) {
        out.push(c === start ? `${name} is not green: nothing it calls or iterates can block` : `${name} is not green`);
        break;
      }
      const bad = NOT_GREEN_KIND[c.kind];
      if (bad) out.push(`${name} is ${bad}, but would block:`);
      if (r.kind === 'tagged') {
        out.push(`${name} is declared @blocking (a root)`);
        break;
      }
      if (r.kind === 'iteration') {
        const type = this.col.typing.typeAt(r.iteration.iterable);
        const t = this.col.checker.typeToString(type);
        const where = this.at(r.iteration.node);
        if (r.position !== undefined) {
          const pname = paramName(c, r.position);
          out.push(`${name} iterates its parameter ${pname} (${t}) at ${where}; it blocks only when its caller passes a blocking iterable as ${pname}`);
        } else if (this.col.iterables.contains(type)) {
          out.push(`${name} iterates a blocking iterable (${t}) at ${where}`);
        } else {
          out.push(`${name} iterates ${t} at ${where}, where a blocking iterable is handed on under that type`);
        }
        break;
      }
      const where = this.at(r.site.node);
      if (r.kind === 'param' && r.value === BLOCKING_ITERABLE) {
        const pname = paramName(c, r.position);
        const target: number | undefined = r.site.hotTarget;
        const tname = target !== undefined && target >= 0 ? this.valueName(this.col.values[target]!) : 'a function';
        out.push(`${name} passes its parameter ${pname} to ${tname} at ${where}; it blocks only when its caller passes a blocking iterable as ${pname}`);
        c = target !== undefined && target >= 0 ? this.next(target, out) : undefined;
        continue;
      }
      if (r.kind === 'param') {
        const pname = paramName(c, r.position);
        if (r.value === this.col.outside) {
          const what = r.site.builtin ? `passes its parameter ${pname} to ${r.site.builtin.name} at ${where}` : `calls its parameter ${pname} at ${where}`;
          out.push(`${name} ${what}; it is exported, so a caller outside this program may pass a green function as ${pname} (it blocks only when one does)`);
          break;
        }
        const vname = this.valueName(this.col.values[r.value]!);
        const what = r.site.builtin ? `passes its parameter ${pname} to ${r.site.builtin.name} at ${where}` : `calls its parameter ${pname} at ${where}`;
        out.push(`${name} ${what}; it blocks only when its caller passes a green function as ${pname}, such as ${vname}`);
        c = this.next(r.value, out);
        continue;
      }
      if (r.target < 0) {
        out.push(`${name} collects a blocking iterable with Array.from at ${where}`);
        break;
      }
      const target: Value = this.col.values[r.target]!;
      const tname = this.valueName(target);
      if (r.kind === 'callback') {
        out.push(`${name} passes the green function ${tname} to ${r.site.builtin?.name ?? 'a built-in'} at ${where}, which calls it`);
      } else if (target.kind === 'root' && !r.passes) {
        out.push(`${name} calls ${tname} at ${where}`);
        out.push(`${tname} is a blocking primitive (@blocking, declared at ${this.at(target.decl)})`);
        break;
      } else if (r.passes && r.passes.value === BLOCKING_ITERABLE) {
        const tc = target.kind === 'fn' ? target.container : undefined;
        const pname = tc ? paramName(tc, r.passes.position) : positionName([], r.passes.position);
        out.push(`${name} calls ${tname} at ${where}, passing a blocking iterable as ${pname} (${tname} blocks only when given one)`);
      } else if (r.passes) {
        const tc = target.kind === 'fn' ? target.container : undefined;
        const pname = tc ? paramName(tc, r.passes.position)
          : target.kind === 'root' ? positionName(parameterDeclarations(this.col.checker, target.decl), r.passes.position)
          : positionName([], r.passes.position);
        const vname = this.valueName(this.col.values[r.passes.value]!);
        out.push(`${name} calls ${tname} at ${where}, passing the green function ${vname} as ${pname} (${tname} blocks only when given one)`);
        c = this.next(r.passes.value, out);
        continue;
      } else if (r.site.static) {
        out.push(`${name} calls ${tname} at ${where}`);
      } else {
        const through = r.site.functionMethod ? ` through Function.prototype.${r.site.functionMethod}` : '';
        out.push(`${name} calls ${tname}${through} at ${where} (an indirect call: ${tname} is one of the functions that may be called there)`);
      }
      c = this.next(r.target, out);
    }
    return out;
  }

  /** The container to explain next for green value `v` (a root ends the chain with its own line). */
  private next(v: number, out: string[]): Container | undefined {
    let target: Value = this.col.values[v]!;
    while (target.kind === 'bound') target = this.col.values[target.target]!;
    if (target.kind === 'outside' || target.kind === 'iterable') return undefined;
    if (target.kind === 'root') {
      out.push(`${valueName(target)} is a blocking primitive (@blocking, declared at ${this.at(target.decl)})`);
      return undefined;
    }
    return target.container;
  }
}

function paramName(c: Container, position: Position): string {
  return positionName((c.node as FunctionLike).parameters ?? [], position);
}

/** `onRetry`, `options.onRetry`, or `argument 2` / `property onRetry of argument 2` where the parameter has no name. */
function positionName(params: readonly ts.ParameterDeclaration[], position: Position): string {
  const word = positionWord(params, position);
  if (word !== undefined) return word;
  const arg = `argument ${argumentIndex(position) + 1}`;
  return typeof position === 'number' ? arg : `property ${position.prop} of ${arg}`;
}
