/**
 * A test file written in blocking style: no async, no await. The greenlets Vite plugin (vitest.config.ts)
 * rewrites it, so each test body runs in a greenlet and vitest waits for it. expect.assertions() makes a
 * test fail if its body returned before its blocking part ran.
 */
import { describe, expect, it } from 'vitest';
import { getcurrent, joinall, sleep, spawn, Timeout, withTimeout } from 'greenlets';
import { Event } from 'greenlets/event';
import { Queue } from 'greenlets/queue';

function producer(q: Queue<number>, items: number[]): void {
  for (const item of items) {
    q.put(item);
    sleep(0);
  }
}

function consumer(q: Queue<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += q.get();
  return sum;
}

describe('a vitest file in blocking style', () => {
  it('sleeps in the test body; greenlets finish in the order their sleeps end', () => {
    expect.assertions(2);
    const order: string[] = [];
    const slow = spawn(() => {
      sleep(0.02);
      order.push('slow');
    });
    const quick = spawn(() => {
      sleep(0.005);
      order.push('quick');
    });
    joinall([slow, quick]);
    expect(order).toEqual(['quick', 'slow']);
    expect(slow.dead && quick.dead).toBe(true);
  });

  it('blocks on a queue and an event', () => {
    expect.assertions(3);
    const q = new Queue<number>();
    const ready = new Event();
    const c = spawn(consumer, q, 3);
    spawn(producer, q, [1, 2, 3]);
    spawn(() => {
      c.join();
      ready.set();
    });
    expect(ready.wait(1)).toBe(true);
    expect(c.value).toBe(6);
    expect(q.empty()).toBe(true);
  });

  it('runs the body in a greenlet of its own, where Timeout is raised at the blocking call', () => {
    expect.assertions(2);
    expect(getcurrent()).toBeDefined();
    let caught: unknown;
    try {
      withTimeout(0.005, () => sleep(1));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Timeout);
  });
});
