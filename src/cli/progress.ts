/**
 * The progress line of a long build, on stderr. Work is synchronous, so the line is updated between phases and
 * while files are written; it appears once the build has taken longer than GREENLETS_PROGRESS_AFTER seconds
 * (default 1; 0 always shows it), rewritten in place on a terminal, one line per phase otherwise.
 */
export class Progress {
  private readonly started = performance.now();
  private shown = false;
  private lastTick = 0;
  private readonly tty: boolean;
  private readonly after: number;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = stream.isTTY === true;
    const env = Number(process.env.GREENLETS_PROGRESS_AFTER);
    this.after = Number.isFinite(env) && env >= 0 ? env : 1;
  }

  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  private visible(): boolean {
    if (!this.shown && this.elapsed() >= this.after) this.shown = true;
    return this.shown;
  }

  private write(text: string, transient: boolean): void {
    if (this.tty) this.stream.write(`\r\x1b[K${this.label}: ${text}${transient ? '' : '\n'}`);
    else if (!transient) this.stream.write(`${this.label}: ${text}\n`);
  }

  /** A new phase begins ("analysing 212 files"). */
  phase(text: string): void {
    if (this.visible()) this.write(`${text} (${this.elapsed().toFixed(1)}s)`, this.tty);
  }

  /** Within a phase: `i` of `n` done (a terminal only; at most ten updates a second). */
  tick(i: number, n: number, what: string): void {
    if (!this.tty || !this.visible()) return;
    const now = performance.now();
    if (now - this.lastTick < 100 && i < n) return;
    this.lastTick = now;
    this.write(`${what} ${i}/${n} (${this.elapsed().toFixed(1)}s)`, true);
  }

  /** The build ended: a summary line if the progress line was shown. */
  done(text: string): void {
    if (this.visible()) this.write(`${text} in ${this.elapsed().toFixed(1)}s`, false);
  }
}
