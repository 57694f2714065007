/**
 * A concurrent web crawler in blocking style, gevent's classic example. It serves itself a small site on
 * 127.0.0.1 (each page answers after a delay, like a slow server) and crawls it with a pool of greenlets:
 * every fetch blocks only the greenlet that makes it.
 *
 *   npx greenlets run examples/crawler.ts [pages] [concurrency]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from 'greenlets';
import { Pool } from 'greenlets/pool';
import { Empty, Queue } from 'greenlets/queue';

const PAGES = Number(process.argv[2] ?? 30);
const CONCURRENCY = Number(process.argv[3] ?? 10);
const LATENCY = 0.05; // seconds per response

/** Page n links to pages 2n+1 and 2n+2 (and back to the start): a tree with a few cycles. */
function startSite(pages: number): http.Server {
  const server = http.createServer((req, res) => {
    const n = Number(req.url!.slice('/page/'.length));
    const links = [2 * n + 1, 2 * n + 2, 0].filter((m) => m < pages).map((m) => `<a href="/page/${m}">page ${m}</a>`);
    setTimeout(() => res.end(`<h1>page ${n}</h1>${links.join(' ')}`), LATENCY * 1000);
  });
  waitFor(new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  return server;
}

/** Blocks this greenlet until the page is in: waitFor bridges promise-based fetch into blocking code. */
function fetchPage(url: string): string {
  const response = waitFor(fetch(url));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return waitFor(response.text());
}

function crawl(start: string, concurrency: number): Map<string, number> {
  const found = new Map<string, number>();
  const seen = new Set([start]);
  const todo = new Queue<string>();
  const pool = new Pool(concurrency);
  todo.put(start);

  function visit(url: string): void {
    const html = fetchPage(url);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!, url).href);
    found.set(url, links.length);
    for (const link of links) {
      if (seen.has(link)) continue;
      seen.add(link);
      todo.put(link);
    }
  }

  // gevent's loop: take the next URL, or stop once the queue is empty and no visit is still running.
  for (;;) {
    let url: string;
    try {
      url = todo.get({ timeout: 0.01 });
    } catch (e) {
      if (!(e instanceof Empty)) throw e;
      if (pool.freeCount() === concurrency) break;
      continue;
    }
    pool.spawn(visit, url); // blocks while all `concurrency` greenlets are busy
  }
  return found;
}

const site = startSite(PAGES);
const { port } = site.address() as AddressInfo;
const started = performance.now();
const found = crawl(`http://127.0.0.1:${port}/page/0`, CONCURRENCY);
const seconds = (performance.now() - started) / 1000;
site.close();

const links = [...found.values()].reduce((a, b) => a + b, 0);
console.log(`crawled ${found.size} pages (${links} links) with ${CONCURRENCY} greenlets in ${seconds.toFixed(2)}s`);
console.log(`one page at a time, the ${LATENCY}s responses alone would take ${(found.size * LATENCY).toFixed(2)}s`);
