/**
 * The analysis's diagnostic codes (GL1xxx, plus GL3001 for compile-time blocking-call detection): one registry
 * so every code has one category and one message template, and tests and docs can list them.
 * Templates use `{name}` placeholders; every message says what to do.
 */
import type ts from 'typescript';
import type { DiagnosticCategory, GreenletsDiagnostic } from '../api.js';
import { diagnosticAt } from '../diagnostics.js';

export interface CodeInfo {
  category: DiagnosticCategory;
  template: string;
}

export const analysisCodes = {
  GL1001: {
    category: 'error',
    template:
      "green function {fn} is passed to {callee}, which uses its callback's result; untransformed code calls it plainly, so it " +
      'would throw BlockingSwitchOutError when it blocks. Fix: compute the values in green code first (a for-of loop, or ' +
      'the green Array methods) and pass a function that does not block.',
  },
  GL1002: {
    category: 'info',
    template:
      'green function {fn} is passed to {callee}, which ignores its callback\'s result: each call runs it in a new greenlet ' +
      '(spawn per call, the gevent server model).',
  },
  GL1003: {
    category: 'warning',
    template:
      'green function {fn} is passed to {callee}, whose parameter is untyped: it is adapted to spawn a new greenlet per call. ' +
      'If {callee} uses the callback\'s result, pass a function that does not block instead.',
  },
  GL1004: {
    category: 'info',
    template:
      'green function {fn} is passed to {callee}, which awaits what its callback returns: each call runs it in a new ' +
      'greenlet and returns that Greenlet, a thenable that settles with its result.',
  },
  GL1005: {
    category: 'error',
    template:
      'green function {fn} is passed as the executor of {callee}; the executor runs inside the Promise constructor, ' +
      'which cannot wait for it, and an error it throws after blocking would be lost. Fix: a Greenlet is a thenable, ' +
      'so use `spawn(() => ...)` where a promise is wanted, or create the promise with a plain executor and settle it ' +
      'from green code.',
  },
  GL1006: {
    category: 'warning',
    template:
      '{arg} is a blocking iterable passed to {callee}, untransformed code that iterates it plainly: when an element ' +
      'is not ready yet it throws BlockingSwitchOutError. Fix: collect it first in green code (`[...{arg}]` or ' +
      '`Array.from({arg})`) and pass the array, or iterate it yourself with for-of.',
  },
  GL1010: {
    category: 'error',
    template:
      'getter {name} would block: it calls {target} ({where}); property reads cannot suspend. Fix: make it a method ' +
      '(`get{Name}()`), which can be green.',
  },
  GL1011: {
    category: 'error',
    template:
      'setter {name} would block: it calls {target} ({where}); property writes cannot suspend. Fix: make it a method ' +
      '(`set{Name}(value)`), which can be green.',
  },
  GL1012: {
    category: 'error',
    template:
      'the constructor of {name} would block: it calls {target} ({where}); constructors cannot suspend. Fix: do the ' +
      'blocking work in a green static factory (`static create(...) { const x = new {name}(...); x.init(); return x; }`).',
  },
  GL1013: {
    category: 'error',
    template:
      'the initialiser of field {name} would block: it calls {target} ({where}); field initialisers run in the ' +
      'constructor (static ones when the class is defined) and cannot suspend. Fix: assign the field from a green ' +
      'method or a green static factory.',
  },
  GL1014: {
    category: 'error',
    template:
      'async function {name} calls green function {target} ({where}), which would block the async code plainly. Fix: {fix}.',
  },
  GL1015: {
    category: 'error',
    template:
      'generator function {name} calls green function {target} ({where}); user generators cannot be made green. Fix: ' +
      'build an array in a green function, or spawn a greenlet that puts items into a greenlets Queue (iterating a ' +
      'Queue blocks).',
  },
  GL1016: {
    category: 'error',
    template:
      'the static block of class {name} would block: it calls {target} ({where}). Fix: move the blocking code to the ' +
      "module's top level (which may block) or to a green static method.",
  },
  GL1017: {
    category: 'error',
    template:
      'the default value {of} would block: it calls {target} ({where}); {why}. ' +
      'Fix: {fix}.',
  },
  // GL1018 (a #private method that would block) is retired: #private methods are made green
  // (emit/private-methods.ts). The number is not reused.
  GL1019: {
    category: 'error',
    template:
      'the top level of {name} would block: it calls {target} ({where}), but the file is a script, not a module. Fix: ' +
      'make it a module (add `export {};`) so its top level can run in the main greenlet.',
  },
  GL1020: {
    category: 'warning',
    template:
      '`new {callee}(...)` constructs with green function {fn}: a construct call runs it plainly, so if it blocks on ' +
      'that path it throws BlockingSwitchOutError. Fix: make it a class and do the blocking work in a green static ' +
      'factory (`static create(...) { const x = new C(...); x.init(); return x; }`), or call it as a function that ' +
      'returns the object.',
  },
  GL3001: {
    category: 'warning',
    template: '{callee} blocks the whole thread (every greenlet) when called from green code. Fix: {fix}.',
  },
} satisfies Record<string, CodeInfo>;

export type AnalysisCode = keyof typeof analysisCodes;

/** Fill a code's template: `{name}` → args.name, `{Name}` → args.name with a capital first letter. */
export function formatMessage(code: AnalysisCode, args: Record<string, string>): string {
  return analysisCodes[code].template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = args[key] ?? args[key[0]!.toLowerCase() + key.slice(1)];
    if (v === undefined) return `{${key}}`;
    return key[0] === key[0]!.toUpperCase() ? v[0]!.toUpperCase() + v.slice(1) : v;
  });
}

export function analysisDiagnostic(node: ts.Node, code: AnalysisCode, args: Record<string, string>): GreenletsDiagnostic {
  return diagnosticAt(node, code, analysisCodes[code].category, formatMessage(code, args));
}
