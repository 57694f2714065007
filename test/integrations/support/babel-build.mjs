// Compile every file of SRC_DIR with Babel and the greenlets plugin into OUT_DIR (.ts → .js, with maps),
// as a Babel pipeline would: node babel-build.mjs SRC_DIR OUT_DIR [OPTIONS_JSON]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [srcArg, outArg, optionsJson] = process.argv.slice(2);
const src = path.resolve(srcArg);
const out = path.resolve(outArg);
const babel = createRequire(import.meta.url)('@babel/core');
fs.mkdirSync(out, { recursive: true });
for (const name of fs.readdirSync(src)) {
  if (!/\.[cm]?tsx?$/.test(name)) continue;
  const result = babel.transformFileSync(path.join(src, name), {
    babelrc: false,
    configFile: false,
    cwd: process.cwd(),
    sourceMaps: true,
    // Babel parses TypeScript; the greenlets plugin hands back the project's rewrite (as JavaScript).
    parserOpts: { plugins: ['typescript'] },
    plugins: [['greenlets/babel', optionsJson ? JSON.parse(optionsJson) : {}]],
  });
  const file = path.join(out, name.replace(/\.([cm]?)tsx?$/, '.$1js'));
  fs.writeFileSync(file, `${result.code}\n//# sourceMappingURL=${path.basename(file)}.map\n`);
  fs.writeFileSync(`${file}.map`, JSON.stringify(result.map));
}
