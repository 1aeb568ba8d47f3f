#!/usr/bin/env node
// Writes a brotli (.br) and a gzip (.gz) twin beside every compressible file in dist/, once, at
// build time. The backend (unionhub/core/static.py) and nginx (gzip_static) send the twin the
// browser accepts, so nothing is compressed per request and the best levels cost nothing.
//   node scripts/compress.mjs            compress dist/
//   node scripts/compress.mjs --report   also print the compressed sizes
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.webmanifest']);
// Below this a compressed twin saves less than its own headers cost.
const MIN_BYTES = 256;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let plain = 0;
let br = 0;
let count = 0;
for (const path of files(dist)) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const data = readFileSync(path);
  if (data.length < MIN_BYTES) continue;
  const brotli = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  plain += data.length;
  br += brotli.length;
  count += 1;
}
if (process.argv.includes('--report') || count === 0) {
  console.log(`compress: ${count} files, ${(plain / 1024).toFixed(0)} KB -> ${(br / 1024).toFixed(0)} KB brotli`);
}
if (count === 0) process.exit(1);
