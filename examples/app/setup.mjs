// Prepares the example app: builds the library ../app-lib with `greenlets build` and installs it the way a
// published package arrives (package.json and dist/ only: .js, .d.ts and maps) as node_modules/tasklib, and
// links node_modules/greenlets (and @types/node) to this checkout.
//   node setup.mjs [--app DIR] [--lib DIR]     (defaults: this folder, ../app-lib)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? path.resolve(process.argv[i + 1]) : fallback;
};
const app = arg('--app', here);
const lib = arg('--lib', path.resolve(here, '..', 'app-lib'));
const greenlets = path.resolve(here, '..', '..');

function link(dir, name, target) {
  const p = path.join(dir, 'node_modules', name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.rmSync(p, { recursive: true, force: true });
  fs.symlinkSync(target, p, 'dir');
}

link(lib, 'greenlets', greenlets);
execFileSync(process.execPath, [path.join(greenlets, 'dist', 'cli', 'main.js'), 'build', '-p', lib], { stdio: 'inherit' });

const installed = path.join(app, 'node_modules', 'tasklib');
fs.rmSync(installed, { recursive: true, force: true });
fs.mkdirSync(installed, { recursive: true });
fs.copyFileSync(path.join(lib, 'package.json'), path.join(installed, 'package.json'));
fs.cpSync(path.join(lib, 'dist'), path.join(installed, 'dist'), { recursive: true });
link(app, 'greenlets', greenlets);
link(app, '@types/node', path.join(greenlets, 'node_modules', '@types', 'node'));
console.log(`example app ready: ${app} (tasklib installed from ${lib})`);
