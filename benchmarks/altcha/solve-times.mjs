// Solve times of ALTCHA proof-of-work challenges in headless Chromium, with altcha-lib's own browser solvers
// (2.x solveChallenge with the Web Crypto derivations for v2, 1.x solveChallenge for v1), one thread, the
// challenge shapes the built-in provider issues (v2: deterministic counter up to max-number, 16-byte prefix).
//   node benchmarks/altcha/solve-times.mjs        (needs npm ci in sample-app/src/test/altcha, /usr/bin/chromium)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.resolve(here, '../../sample-app/src/test/altcha/node_modules');
const configs = JSON.parse(process.env.CONFIGS || JSON.stringify([
  { version: 1, algorithm: 'SHA-256', cost: 1, maxNumber: 100000 },
  { version: 2, algorithm: 'SHA-256', cost: 1, maxNumber: 100000 },
  { version: 1, algorithm: 'SHA-256', cost: 1, maxNumber: 1000000 },
  { version: 2, algorithm: 'SHA-256', cost: 1, maxNumber: 1000000 },
  { version: 2, algorithm: 'PBKDF2/SHA-256', cost: 1000, maxNumber: 1000 },
  { version: 2, algorithm: 'PBKDF2/SHA-256', cost: 5000, maxNumber: 1000 },
]));
const runs = Number(process.env.RUNS || 8);

const page = `<!DOCTYPE html><meta charset="utf-8"><script type="module">
import { createChallenge, solveChallenge } from '/m/altcha-lib/dist/esm/v2/pow.js';
import { deriveKey as sha } from '/m/altcha-lib/dist/esm/v2/algorithms/web/sha.js';
import { deriveKey as pbkdf2 } from '/m/altcha-lib/dist/esm/v2/algorithms/web/pbkdf2.js';
import { createChallenge as createV1, solveChallenge as solveV1 } from '/m/altcha-lib-v1/dist/index.js';
const configs = ${JSON.stringify(configs)};
const results = [];
for (const c of configs) {
  const times = [];
  for (let i = 0; i < ${runs}; i++) {
    const t0 = performance.now();
    if (c.version === 1) {
      const ch = await createV1({ hmacKey: 'k', maxnumber: c.maxNumber });
      const start = performance.now();
      await solveV1(ch.challenge, ch.salt, ch.algorithm, ch.maxnumber).promise;
      times.push(performance.now() - start);
    } else {
      const deriveKey = c.algorithm.startsWith('PBKDF2') ? pbkdf2 : sha;
      const ch = await createChallenge({ algorithm: c.algorithm, cost: c.cost, deriveKey,
        counter: Math.floor(Math.random() * (c.maxNumber + 1)), hmacSignatureSecret: 'k' });
      const start = performance.now();
      await solveChallenge({ challenge: ch, deriveKey });
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  results.push({ ...c, medianMs: Math.round(times[times.length >> 1]), maxMs: Math.round(times[times.length - 1]),
    meanMs: Math.round(times.reduce((a, b) => a + b, 0) / times.length) });
}
await fetch('/results', { method: 'POST', body: JSON.stringify({ ua: navigator.userAgent, cores: navigator.hardwareConcurrency, results }) });
</script>`;

let browser;
const server = createServer(async (req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  } else if (req.url.startsWith('/m/')) {
    const file = path.join(modules, path.normalize(req.url.slice(3)));
    if (!file.startsWith(modules)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(file));
  } else if (req.url === '/results') {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(204).end();
    const data = JSON.parse(body);
    console.log(data.ua, 'cores:', data.cores, 'runs per row:', runs);
    console.log('| version | algorithm | cost | max-number | median ms | mean ms | max ms |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of data.results) {
      console.log(`| v${r.version} | ${r.algorithm} | ${r.cost} | ${r.maxNumber} | ${r.medianMs} | ${r.meanMs} | ${r.maxMs} |`);
    }
    browser.kill();
    server.close();
  } else {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const url = `http://localhost:${server.address().port}/`;
  browser = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--user-data-dir=/tmp/altcha-bench-profile', url], { stdio: 'ignore' });
});
