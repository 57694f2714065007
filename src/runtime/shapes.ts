/**
 * V8 keeps the map (hidden class) that a class's instances end up with only weakly: once every instance has died
 * and a full GC runs, the map is collected, the next instance gets a new one, and every optimised function that
 * had seen the old one deoptimises and warms up again. A bursty program pays that on each burst (all request
 * greenlets finished, a major GC, the next wave of requests); measured on the queue ping-pong after a gc(), it
 * made each round trip several times slower for the whole next run. So the runtime keeps one sample instance of
 * each of its hot classes alive, built the way real ones are, which keeps their maps.
 */
const samples: unknown[] = [];

export function keepShape<T>(sample: T): T {
  samples.push(sample);
  return sample;
}
