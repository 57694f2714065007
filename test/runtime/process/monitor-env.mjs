// Run with GREENLETS_MAX_BLOCKING_TIME set: a greenlet that holds the loop longer is reported on stderr.
import { GREEN, config, runMain, spawn, sleep, green } from '../../../dist/index.js';

console.log(`maxBlockingTime=${config.maxBlockingTime}`);
await runMain(function* () {
  const g = spawn(green(function* cpuHog() {
    yield* sleep[GREEN](0);
    const end = performance.now() + 150;
    while (performance.now() < end); // holds the loop
    yield* sleep[GREEN](0);
  }));
  g.name = 'hog';
  yield* g.join[GREEN].call(g);
});
