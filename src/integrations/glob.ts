/**
 * Glob patterns for include/exclude (`src/**`, `**\/*.test.ts`, `lib/{a,b}/*.ts`), compiled to RegExps so the
 * loader, the bundler plugins and Babel match files the same way without a dependency.
 */

export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inClass = false;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          const atSegmentStart = i === 0 || glob[i - 1] === '/';
          i++;
          if (atSegmentStart && glob[i + 1] === '/') {
            i++;
            out += '(?:.*/)?';
          } else {
            out += '.*';
          }
        } else {
          out += '[^/]*';
        }
        break;
      case '?':
        out += '[^/]';
        break;
      case '[':
        inClass = true;
        out += glob[i + 1] === '!' ? (i++, '[^') : '[';
        break;
      case '{':
        braces++;
        out += '(?:';
        break;
      case '}':
        if (braces > 0) {
          braces--;
          out += ')';
        } else out += '\\}';
        break;
      case ',':
        out += braces > 0 ? '|' : ',';
        break;
      default:
        out += /[.+^$()|\\]/.test(c) ? '\\' + c : c;
    }
  }
  if (inClass || braces > 0) throw new SyntaxError(`greenlets: unbalanced ${inClass ? '[' : '{'} in the glob ${JSON.stringify(glob)}`);
  return new RegExp(`^${out}$`);
}
