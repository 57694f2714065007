import { sleep } from 'greenlets';
import type { Station } from './stations.js';

/** Three green calls deep, then an error: its stack trace must name these lines in every build. */
export function inspect(stations: Station[]): void {
  sleep(0);
  checkStation(stations[stations.length - 1]!);
}

function checkStation(station: Station): void {
  measureHeat(station);
}

function measureHeat(station: Station): number {
  sleep(0.001);
  throw new Error(`${station.name} is too hot`);
}
