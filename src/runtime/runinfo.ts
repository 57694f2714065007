/** formatRunInfo: the live greenlets as a tree by spawner, with spawn sites when they are tracked. */
import { config } from './config.js';
import { describeGreenlet, spawnSite, userFrame } from './describe.js';
import { live, type Greenlet } from './greenlet.js';
import { getHub } from './hub.js';

function state(g: Greenlet<any>, current: Greenlet<any>): string {
  if (g === current) return 'running';
  if (g._gen === null) return g._pending !== 0 ? 'scheduled to start' : 'waiting to start (startLater)';
  if (g._pending !== 0) return 'ready to resume';
  // With the blocking monitor on, primitives record where they suspend.
  const at = userFrame(g._x?.suspendedAt);
  return at ? `suspended at ${at}` : 'suspended';
}

export function formatRunInfo(): string[] {
  const hub = getHub();
  const nodes: Greenlet<any>[] = [];
  for (let g = live.first; g !== null; g = g._next) nodes.push(g);
  nodes.reverse(); // the list is newest first; show spawn order
  const children = new Map<Greenlet<any> | null, Greenlet<any>[]>();
  const present = new Set(nodes);
  for (const g of nodes) {
    // A greenlet whose spawner is gone (or untracked) hangs from the main greenlet.
    const parent = g._parent !== null && present.has(g._parent) ? g._parent : hub.main;
    const list = children.get(parent) ?? [];
    list.push(g);
    children.set(parent, list);
  }
  const lines = [`Greenlets: ${nodes.length} live${config.trackSpawnSites ? '' : ' (for spawn sites set config.trackSpawnSites = true or GREENLETS_TRACK_SPAWN_SITES=1)'}`];
  const walk = (g: Greenlet<any>, indent: string, isLast: boolean, isRoot: boolean): void => {
    const site = spawnSite(g);
    const spawned = site !== null ? `, spawned at ${site}` : '';
    const label = isRoot
      ? `${describeGreenlet(g)} (current: ${hub.current === g ? 'yes' : 'no'})`
      : `${describeGreenlet(g)} ${state(g, hub.current)}${spawned}`;
    lines.push(isRoot ? label : `${indent}${isLast ? '+--- ' : '|--- '}${label}`);
    const kids = children.get(g) ?? [];
    kids.forEach((k, i) => walk(k, isRoot ? ' ' : indent + (isLast ? '     ' : '|    '), i === kids.length - 1, false));
  };
  walk(hub.main, '', true, true);
  return lines;
}
