/**
 * The blocking iterable behind Group.imap / imapUnordered (gevent's IMap / IMapUnordered): a feeder greenlet
 * walks the input and spawns one worker per item in the group (so a Pool bounds how many run at once); the
 * reader takes the results in input order (imap) or completion order (imapUnordered), suspending per element.
 */
import { GREEN, GREEN_ITERATOR, green, greenIterator, runPlain, type BlockingIterable, type Green, type GreenIterator } from './convention.js';
import { Greenlet, GreenletExit } from './greenlet.js';
import { WaitList } from './poolwaiters.js';
import type { Group } from './group.js';

export interface IMapOptions {
  /** At most this many results may be waiting for the reader: the feeder stops spawning until it reads. */
  maxsize?: number | null;
}

/** A failed item (its worker's error), or the feeder's own failure (the input threw), which ends the iteration. */
class Failure {
  constructor(
    readonly error: unknown,
    readonly terminal: boolean,
  ) {}
}

const NOTHING: unique symbol = Symbol('nothing yet');
const END: unique symbol = Symbol('end');
const DONE: IteratorResult<never, undefined> = { done: true, value: undefined };

export class IMap<R> implements BlockingIterable<R> {
  /** imapUnordered: results (or Failures) in completion order. */
  private readonly queue: unknown[] = [];
  /** imap: results (or Failures) by input index, until the reader reaches them. */
  private readonly byIndex = new Map<number, unknown>();
  /** imap: the input index the reader takes next. */
  private nextIndex = 0;
  /** Workers spawned so far (the next input index). */
  private spawned = 0;
  /** Workers spawned and not finished. */
  private outstanding = 0;
  /** The feeder has spawned everything (or failed): no more workers will come. */
  private fed = false;
  /** The reader has seen the end (or closed the iteration). */
  private ended = false;
  /** How many more workers the feeder may spawn before the reader reads (null: unbounded). gevent's result
   * semaphore: taken per spawn, given back at each read. */
  private permits: number | null;
  private readonly readers = new WaitList();
  private readonly feederWait = new WaitList();
  private readonly feeder: Greenlet<void>;

  /** @internal Use Group.imap / imapUnordered. */
  constructor(
    private readonly group: Group,
    private readonly fn: (item: unknown) => R,
    private readonly iterable: Iterable<unknown>,
    private readonly ordered: boolean,
    maxsize: number | null | undefined,
  ) {
    if (maxsize != null && !(maxsize >= 0)) {
      throw new RangeError(`imap maxsize must be a non-negative number or null for no bound; got ${String(maxsize)}`);
    }
    // gevent treats maxsize 0 like no bound ("if maxsize:").
    this.permits = maxsize ? maxsize : null;
    // Like gevent, the work starts now, not at the first read.
    this.feeder = new Greenlet(feed as never, this);
    this.feeder.name = ordered ? 'imap feeder' : 'imapUnordered feeder';
    this.feeder.start();
  }

  /** @internal The feeder's body (runs in its own greenlet, not a member of the group). */
  *_feed(): Green<void> {
    const it = greenIterator(this.iterable);
    let exhausted = false;
    try {
      for (;;) {
        const r = yield* it.next();
        if (r.done) break;
        if (this.permits !== null) yield* this.feederWait.waitUntil(this.takePermit);
        const worker: Greenlet<R> = yield* (this.group.spawn as any)[GREEN].call(this.group, this.fn, r.value);
        const index = this.spawned++;
        this.outstanding++;
        worker.rawlink((w: Greenlet<R>) => this.onResult(w, index));
      }
      exhausted = true;
    } catch (e) {
      // The input threw, or spawning did: the reader gets the error after what finished before it. A kill
      // after the reader closed the iteration is how the feeder is stopped, not a failure.
      if (!(this.ended && e instanceof GreenletExit)) this.put(this.spawned, new Failure(e, true));
    } finally {
      if (!exhausted) it.return?.();
      this.fed = true;
      this.readers.wakeAll();
    }
  }

  private readonly takePermit = (): boolean => {
    if (this.permits! <= 0) return false;
    this.permits!--;
    return true;
  };

  private onResult(worker: Greenlet<R>, index: number): void {
    this.outstanding--;
    // A killed worker succeeded with its GreenletExit as value, and that is what the reader gets (gevent).
    this.put(index, worker.successful() ? worker.value : new Failure(worker.exception, false));
  }

  private put(index: number, entry: unknown): void {
    if (this.ordered) this.byIndex.set(index, entry);
    else this.queue.push(entry);
    this.readers.wakeAll();
  }

  /** What the reader can have now: a result, a Failure, END, or NOTHING (wait). */
  private take(): unknown {
    if (this.ended) return END;
    if (this.ordered) {
      const i = this.nextIndex;
      if (this.byIndex.has(i)) {
        const entry = this.byIndex.get(i);
        this.byIndex.delete(i);
        this.nextIndex = i + 1;
        return entry;
      }
      return this.fed && i >= this.spawned ? END : NOTHING;
    }
    if (this.queue.length > 0) return this.queue.shift();
    return this.fed && this.outstanding === 0 ? END : NOTHING;
  }

  /** One step of the iteration: the next result, suspending until it is there. */
  *step(): Green<IteratorResult<R, undefined>> {
    if (this.ended) return DONE;
    if (this.permits !== null) {
      this.permits++;
      this.feederWait.wake();
    }
    let entry: unknown = NOTHING;
    yield* this.readers.waitUntil(() => (entry = this.take()) !== NOTHING);
    if (entry === END) {
      this.ended = true;
      return DONE;
    }
    if (entry instanceof Failure) {
      if (entry.terminal) this.ended = true;
      throw entry.error;
    }
    return { done: false, value: entry as R };
  }

  /**
   * Stop early (a `break` out of the loop): the feeder stops spawning; workers already running finish in the
   * group, which can be joined or killed as usual.
   */
  close(): void {
    if (this.ended && this.feeder.dead) return;
    this.ended = true;
    if (!this.feeder.dead) runPlain((this.feeder.kill as any)[GREEN].call(this.feeder, { block: false }), 'imap close');
    this.readers.wakeAll();
  }

  [GREEN_ITERATOR](): GreenIterator<R> {
    return { next: () => this.step(), return: () => this.close() };
  }

  /** Plain iteration: works while results are ready; throws BlockingSwitchOutError where it would wait. */
  [Symbol.iterator](): Iterator<R> {
    return {
      next: () => runPlain(this.step(), this.ordered ? 'imap' : 'imapUnordered'),
      return: () => {
        this.close();
        return DONE;
      },
    };
  }
}

const feed = green(function* imapFeeder(imap: IMap<unknown>): Green<void> {
  yield* imap._feed();
});
