/**
 * The default order of PriorityQueue: Python's `<` as heapq uses it. Numbers (and bigints, and booleans, which
 * Python treats as 0 and 1) by value, strings by `<`, Dates by time, arrays like Python tuples (element by
 * element; at the first pair that differs their order decides; a prefix comes first). Anything else, or two
 * values of kinds that do not compare (a number and a string), is a TypeError as in Python: a heap ordered by
 * an arbitrary rule would hand items out in a silently wrong order.
 */
import { describeValue } from './greenlet.js';

type Kind = 'number' | 'string' | 'date' | 'array' | null;

function kindOf(v: unknown): Kind {
  const t = typeof v;
  if (t === 'number' || t === 'bigint' || t === 'boolean') return 'number';
  if (t === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  return null;
}

function scalar(v: unknown): number | bigint | string {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return v as number | bigint | string;
}

/** Negative if `a` comes before `b`, positive if after, 0 if neither (Python's `<` both ways false). */
export function naturalCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === null || ka !== kb) {
    throw new TypeError(
      `PriorityQueue cannot order ${describeValue(a)} and ${describeValue(b)}: the default order compares ` +
        `numbers, strings, Dates, and arrays of those element by element (like Python tuples). Put ` +
        `[priority, sequenceNumber, item] arrays, or pass { compare: (a, b) => number } to the PriorityQueue.`,
    );
  }
  if (ka === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      if (x[i] === y[i]) continue;
      const c = naturalCompare(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  const sa = scalar(a);
  const sb = scalar(b);
  return sa < sb ? -1 : sb < sa ? 1 : 0;
}
