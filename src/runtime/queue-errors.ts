/** The exceptions of greenlets/queue (Python's queue.Empty, queue.Full and, from 3.13, queue.ShutDown). */

/** get()/peek() found no item: the queue was empty with `block: false`, or stayed empty for `timeout` seconds. */
export class Empty extends Error {
  constructor(message = 'the queue is empty') {
    super(message);
    this.name = 'Empty';
  }
}

/** put() found no free slot: the queue was full with `block: false`, or stayed full for `timeout` seconds. */
export class Full extends Error {
  constructor(message = 'the queue is full') {
    super(message);
    this.name = 'Full';
  }
}

/** The queue was shut down: put() always raises it, get() once the queue is empty (at once after an immediate
 * shutdown). */
export class ShutDown extends Error {
  constructor(message = 'the queue has been shut down') {
    super(message);
    this.name = 'ShutDown';
  }
}
