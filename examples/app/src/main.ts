/**
 * A small kitchen, written in blocking style: chefs (greenlets) take tickets from queues and cook at stations
 * (a class hierarchy whose prepare() blocks); a board calls its listeners, some of which block; a Node
 * EventEmitter handler that blocks runs in a greenlet of its own; a library compiled by greenlets (tasklib)
 * rate-limits and retries. The top level of this module blocks too.
 */
import { EventEmitter } from 'node:events';
import { joinall, sleep, spawn } from 'greenlets';
import { Event } from 'greenlets/event';
import { Queue } from 'greenlets/queue';
import { RateLimiter, retry } from 'tasklib';
import { OrderBoard } from './board.js';
import { appFrames } from './frames.js';
import { inspect } from './inspection.js';
import { Grill, Oven, PizzaOven, type Station } from './stations.js';

const log: string[] = [];
const stations: Record<string, Station> = { grill: new Grill('grill'), oven: new Oven('oven'), pizza: new PizzaOven('pizza') };
const orders: Array<[string, string]> = [
  ['grill', 'burger'],
  ['oven', 'bread'],
  ['pizza', 'margherita'],
  ['grill', 'steak'],
  ['oven', 'focaccia'],
  ['pizza', 'calzone'],
];

const board = new OrderBoard();
board.on((message) => log.push(`board: ${message}`));
board.on((message) => {
  sleep(0);
  log.push(`runner heard: ${message}`);
});

// One chef per station, each with its own ticket queue, iterated until the queue is shut down.
const queues = new Map<string, Queue<[number, string]>>();
const served: string[] = [];
function chef(station: Station, tickets: Queue<[number, string]>): number {
  for (const [n, dish] of tickets) served[n] = `#${n} ${station.cook(dish)}`;
  return station.cooked;
}
const chefs = Object.entries(stations).map(([name, station]) => {
  const q = new Queue<[number, string]>();
  queues.set(name, q);
  return spawn(chef, station, q);
});

// The front desk lets two orders through per tick (tasklib's RateLimiter blocks the caller).
const limiter = new RateLimiter(2, 0.002);
orders.forEach(([where, dish], n) => {
  const tick = limiter.acquire();
  board.post(`order ${n} (${dish}) in tick ${tick}`);
  queues.get(where)!.put([n, dish]);
});
for (const q of queues.values()) q.shutdown();
const counts = joinall(chefs).map((g) => g.value);

// A flaky supplier, retried by tasklib with a green callback.
const attempts: string[] = [];
const delivered = retry(
  (attempt) => {
    sleep(0.001);
    if (attempt < 3) throw new Error(`truck ${attempt} late`);
    return `flour on truck ${attempt}`;
  },
  { attempts: 5, delay: 0.001, onRetry: (attempt, e) => attempts.push(`${attempt}: ${e.message}`) },
);

// A blocking handler on a Node EventEmitter runs in a new greenlet per event.
const closing = new EventEmitter();
const closed = new Event();
closing.on('close', (who: string) => {
  sleep(0.001);
  log.push(`closed by ${who}`);
  closed.set();
});
closing.emit('close', 'the manager');
closed.wait();

// The prices, computed by a blocking callback of Array.prototype.map.
const prices = Object.keys(stations).map((name) => {
  sleep(0);
  return `${name}=${stations[name]!.cooked * 7}`;
});

console.log(served.join('\n'));
console.log(log.join('\n'));
console.log(`dishes per chef: ${counts.join(', ')}`);
console.log(`retries: ${attempts.join('; ')} -> ${delivered}`);
console.log(`prices: ${prices.join(' ')}`);
try {
  inspect(Object.values(stations));
} catch (e) {
  console.log(`inspection failed: ${(e as Error).message}`);
  console.log(`  at ${appFrames(e as Error).join(' < ')}`);
}
