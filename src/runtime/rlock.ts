/** RLock (gevent.lock.RLock): a mutex its owning greenlet may acquire again, once per matching release(). */
import { GREEN, defineGreenMethods, type Green } from './convention.js';
import { getcurrent } from './hub.js';
import type { Greenlet } from './greenlet.js';
import { Held, Semaphore, type AcquireOptions } from './lock.js';

export class RLock {
  private readonly _block = new Semaphore(1);
  private _owner: Greenlet<any> | null = null;
  private _count = 0;

  /**
   * Acquire: at once if the current greenlet already owns it (counting one more level), otherwise as
   * Semaphore.acquire(). True if acquired.
   * @blocking
   */
  declare acquire: (options?: AcquireOptions) => boolean;
  /**
   * acquire() and return a Disposable that releases: `using _ = lock.hold();`.
   * @blocking
   */
  declare hold: () => Held;

  /** Undo one acquire(); the last one frees the lock for the next waiter. Only the owner may release. */
  release(): void {
    const me = getcurrent();
    if (this._owner !== me) {
      const owner = this._owner === null ? 'nobody' : this._owner.name;
      throw new Error(
        `RLock.release(): cannot release un-acquired lock: it is owned by ${owner}, not by ${me.name}. ` +
          `Only the greenlet that acquired an RLock can release it.`,
      );
    }
    if (--this._count === 0) {
      this._owner = null;
      this._block.release();
    }
  }

  /** True if some greenlet holds it. */
  locked(): boolean {
    return this._block.locked();
  }

  toString(): string {
    return `<RLock owner=${this._owner === null ? 'none' : this._owner.name} count=${this._count} ${this._block}>`;
  }

  /** @internal */
  *_acquire(options?: AcquireOptions): Green<boolean> {
    const me = getcurrent();
    if (this._owner === me) {
      this._count++;
      return true;
    }
    const block = this._block;
    const ok: boolean = yield* (block.acquire as any)[GREEN].call(block, options);
    if (ok) {
      this._owner = me;
      this._count = 1;
    }
    return ok;
  }
}

defineGreenMethods(RLock, {
  *acquire(this: RLock, options?: AcquireOptions): Green<boolean> {
    return yield* this._acquire(options);
  },
  *hold(this: RLock): Green<Held> {
    yield* this._acquire();
    return new Held(this);
  },
});
