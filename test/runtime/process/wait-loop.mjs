// wait() with no objects in the main greenlet of a real process (gevent's hub.join): it returns true once the
// loop has nothing left to do, false at its timeout, and refuses to run in a spawned greenlet.
import { GREEN, green, runMain, sleep, spawn, wait } from '../../../dist/index.js';
import { Event } from '../../../dist/event.js';

const waitLoop = (options) => wait[GREEN](null, options);

await runMain(function* () {
  // test__order TestSleep0: the greenlets run round-robin before the loop empties
  const lst = [];
  const sleep0 = green(function* sleep0(param) {
    lst.push(param + 'A');
    yield* sleep[GREEN](0);
    lst.push(param + 'B');
  });
  spawn(sleep0, '1');
  spawn(sleep0, '2');
  const done = yield* waitLoop();
  console.log(`sleep0: ${lst.join(' ')} -> ${done}`);

  // a greenlet blocked forever on an Event does not keep wait() waiting (nothing can wake it)
  const never = new Event();
  const stuck = spawn(green(function* stuck() {
    yield* never.wait[GREEN].call(never);
  }));
  console.log(`blocked forever: ${yield* waitLoop()}, stuck dead: ${stuck.dead}`);

  // a sleeping greenlet keeps it waiting; the timeout does not hold the process
  const sleeper = spawn(green(function* sleeper() {
    yield* sleep[GREEN](5);
  }));
  const t0 = performance.now();
  const early = yield* waitLoop({ timeout: 0.05 });
  console.log(`timeout: ${early}, within a second: ${performance.now() - t0 < 1000}`);
  sleeper.kill({ block: false });

  // only the main greenlet can wait for the loop
  const inner = spawn(green(function* inner() {
    try {
      yield* waitLoop();
    } catch (e) {
      console.log(`from a greenlet: ${e.name}: ${e.message}`);
    }
  }));
  yield* inner.join[GREEN].call(inner);
  console.log(`again: ${yield* waitLoop()}`);
});
