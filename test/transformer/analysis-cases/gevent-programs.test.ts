/**
 * Realistic gevent-style programs (fixtures/programs/gevent/: a job scheduler on a Pool with retries, a chat
 * room over queues and events, a rate-limited crawler, a JoinableQueue pipeline, an event-driven state
 * machine). Each is built twice the way `greenlets build` builds — with the real analysis and with every
 * function forced green — and run: the outputs must be identical (the differential check for programs that
 * block, which cannot run untransformed). The real analysis must make green exactly the functions that may
 * block, listed here per program, and the fraction is printed (issue 3: measure over-greening).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, repoRoot } from '../analysis/helpers.js';
import { buildAndRun } from './build-and-run.js';

const DIR = path.join(repoRoot, 'fixtures/programs/gevent');

/** The functions that block in each program (and nothing else). */
const EXPECTED_GREEN: Record<string, string[]> = {
  // Queue.put may block (a bounded queue is full), so every function that puts is green; filters are plain.
  'chat-room.ts': [
    '<arrow function at main.ts:108:69>', '<arrow function at main.ts:116:22>', '<arrow function at main.ts:119:22>',
    '<arrow function at main.ts:125:39>', '<arrow function at main.ts:128:34>',
    'Client.listen', 'Room.close', 'Room.join', 'Room.leave', 'Room.post', 'talker',
  ],
  // page(), enqueue() and the summary's reduce callback stay plain.
  'crawler.ts': [
    '<arrow function at main.ts:114:25>', '<arrow function at main.ts:91:37>',
    'Crawler.crawl', 'Crawler.fetchAndFollow', 'Crawler.visit', 'RateLimiter.take', 'fetchPage',
  ],
  // Pool.spawn blocks while the pool is full: the map callback spawning is green; validate, the log arrow,
  // the retry policy's functions and the onRetry callback are plain.
  'job-scheduler.ts': [
    '<arrow function at main.ts:115:45>', '<arrow function at main.ts:129:45>', '<arrow function at main.ts:129:71>',
    '<arrow function at main.ts:151:25>', 'Job.execute', 'Scheduler.run', 'Scheduler.runJob', 'withRetries',
  ],
  // (g) => g.get() blocks until the greenlet is done; parse() and produce's map callback do not block.
  'pipeline.ts': [
    '<arrow function at main.ts:100:37>', '<arrow function at main.ts:101:38>', '<arrow function at main.ts:102:39>',
    '<arrow function at main.ts:70:52>', '<arrow function at main.ts:77:57>', '<arrow function at main.ts:92:40>',
    '<arrow function at main.ts:93:24>', 'Stage.work', 'produce',
  ],
  // Only the motor (Moving.enter), the auto-close timer (kill blocks) and the loops that run them; the base
  // State.enter, every other state, the guards, the observers and the transition makers stay plain.
  'state-machine.ts': [
    '<arrow function at main.ts:141:22>', '<arrow function at main.ts:151:22>', '<arrow function at main.ts:87:28>',
    'Door.armAutoClose', 'Door.arrive', 'Door.change', 'Door.handle', 'Door.run', 'Moving.enter', 'Open.enter',
  ],
};

const programs = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();

describe('gevent-style programs: real analysis vs forced green', () => {
  it('has the five programs', () => {
    expect(programs).toEqual(['chat-room.ts', 'crawler.ts', 'job-scheduler.ts', 'pipeline.ts', 'state-machine.ts']);
  });

  for (const name of programs) {
    it.concurrent(`${name}: same output, no error diagnostics, green = what blocks`, async () => {
      const src = fs.readFileSync(path.join(DIR, name), 'utf8');
      const real = buildAndRun({ 'main.ts': src });
      const forced = buildAndRun({ 'main.ts': src }, {}, { forceGreen: true });
      expect(real.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
      expect(real.stderr).toBe('');
      expect(real.status).toBe(0);
      expect(forced.stderr).toBe('');
      expect(real.stdout.length).toBeGreaterThan(0);
      expect(forced.stdout).toBe(real.stdout);
      const outFile = path.join(DIR, name.replace(/\.ts$/, '.out'));
      if (process.env.UPDATE_GEVENT_OUT) fs.writeFileSync(outFile, real.stdout);
      const expected = fs.readFileSync(outFile, 'utf8');
      expect(real.stdout).toBe(expected);

      const a = analyze({ 'main.ts': src }, { greenlets: 'real' });
      const green = a.green('main.ts').map((n) => n.replace(a.dir + '/', ''));
      const s = (a.analysis as unknown as { stats: { functions: number; green: number } }).stats;
      console.log(`${name}: ${s.green}/${s.functions} functions green (${((100 * s.green) / s.functions).toFixed(1)}%): ${green.join(', ')}`);
      expect(green).toEqual(EXPECTED_GREEN[name]);
    }, 240_000);
  }
});
