/** GREENLETS_TRACE=1: say on stderr what the loader did before the run (analysed the project, or used the cache). */
import type { Prepared } from './loader-hooks.js';

export function traceCheck(p: Prepared): void {
  if (process.env.GREENLETS_TRACE !== '1') return;
  process.stderr.write(
    p.analysed === null
      ? 'greenlets: every file came from the disk cache\n'
      : `greenlets: analysed the project and transformed ${p.analysed} file${p.analysed === 1 ? '' : 's'}\n`,
  );
}
