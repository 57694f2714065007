import { sleep } from 'greenlets';

/** Lets at most `perTick` callers through per tick of `tick` seconds; the others wait (block) for the next tick. */
export class RateLimiter {
  private used = 0;
  private ticks = 0;

  constructor(
    private readonly perTick: number,
    private readonly tick: number,
  ) {}

  /** Blocks the calling greenlet until it may go on; returns the tick it was let through in. */
  acquire(): number {
    while (this.used >= this.perTick) {
      sleep(this.tick);
      this.used = 0;
      this.ticks++;
    }
    this.used++;
    return this.ticks;
  }
}
