// Blocks the main greenlet with nothing left that could wake it. Modes:
//   uncaught  - joins a greenlet that was never started: LoopExit escapes runMain (exit code 1)
//   catch     - the same, but main catches LoopExit and carries on
//   greenlet  - main joins a greenlet that waits on a promise nobody settles
//   nested    - main calls a green function that waits on an Event nobody sets
import { GREEN, Greenlet, runMain, spawn, waitFor, green } from '../../../dist/index.js';
import { Event } from '../../../dist/event.js';

const mode = process.argv[2];
const join = (g) => g.join[GREEN].call(g);
const waitForever = green(function* waitForever() {
  const ev = new Event();
  yield* ev.wait[GREEN].call(ev); // line 13: LoopExit's stack starts here
});

await runMain(function* () {
  if (mode === 'nested') {
    yield* waitForever[GREEN](); // line 18
    return;
  }
  if (mode === 'greenlet') {
    const g = spawn(green(function* stuckOnPromise() {
      yield* waitFor[GREEN](new Promise(() => {}));
    }));
    yield* join(g);
    console.log('not reached');
    return;
  }
  const never = new Greenlet(() => {});
  if (mode === 'catch') {
    try {
      yield* join(never);
    } catch (e) {
      console.log(`caught ${e.name}: ${e.message}`);
    }
    console.log('main continues');
    return;
  }
  yield* join(never); // line 39
  console.log('not reached');
});
