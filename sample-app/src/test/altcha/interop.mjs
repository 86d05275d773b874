// ALTCHA interop, both protocol versions, both directions, against a running sample app.
//   node interop.mjs <base-url> <hmac-key> <site-key>
// Prints one "ok <name>" line per check and exits 1 at the first failure. Run by AltchaInteropTests.
import { createChallenge as createV2, solveChallenge as solveV2, verifySolution as verifyV2 } from 'altcha-lib';
import { deriveKey as shaKey } from 'altcha-lib/algorithms/sha';
import { deriveKey as pbkdf2Key } from 'altcha-lib/algorithms/pbkdf2';
import { createChallenge as createV1, solveChallenge as solveV1, verifySolution as verifyV1 } from 'altcha-lib-v1';

const [base, hmacKey, siteKey] = process.argv.slice(2);
const keys = { 'SHA-256': shaKey, 'SHA-384': shaKey, 'SHA-512': shaKey, 'PBKDF2/SHA-256': pbkdf2Key,
  'PBKDF2/SHA-384': pbkdf2Key, 'PBKDF2/SHA-512': pbkdf2Key };
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64');
const inFiveMinutes = () => new Date(Date.now() + 300_000);

function check(condition, name, detail) {
  if (!condition) {
    console.log(`FAILED ${name}${detail ? ': ' + detail : ''}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}

async function generate(query) {
  const response = await fetch(`${base}/captcha/generate?${query}`);
  check(response.status === 200, `GET generate ${query}`, String(response.status));
  return response.json();
}

async function submit(payload) {
  const response = await fetch(`${base}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ message: 'hi', altcha: payload }),
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function accepted(payload, name) {
  const answer = await submit(payload);
  check(answer.status === 200 && answer.text.includes('"received":"hi"'), name, `${answer.status} ${answer.text}`);
}

async function refused(payload, name, code) {
  const answer = await submit(payload);
  check(answer.status >= 400 && answer.status < 500 && answer.text.includes(code), name,
    `${answer.status} ${answer.text}`);
}

// ---- v1: altcha-lib 1.x solves our challenge, verifies it, and our server takes the payload once
{
  const challenge = await generate(`site_key=${siteKey}&type=pow&action=feedback`);
  const solution = await solveV1(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  check(solution !== null, 'v1 altcha-lib solves our challenge');
  const payload = b64({ algorithm: challenge.algorithm, challenge: challenge.challenge, number: solution.number,
    salt: challenge.salt, signature: challenge.signature, took: solution.took });
  check(await verifyV1(payload, hmacKey), 'v1 our challenge and its solution pass altcha-lib verifySolution');
  await accepted(payload, 'v1 our server accepts the payload altcha-lib solved');
  await refused(payload, 'v1 the same payload twice is refused', 'captcha_replayed');
}

// ---- v1: a challenge altcha-lib 1.x minted with the shared key, bound in the salt's parameters
{
  const challenge = await createV1({ hmacKey, maxnumber: 50_000, expires: inFiveMinutes(),
    params: { site_key: siteKey, action: 'feedback' } });
  const solution = await solveV1(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  const payload = b64({ ...challenge, number: solution.number, maxnumber: undefined });
  await accepted(payload, 'v1 our server accepts a challenge altcha-lib createChallenge minted');
  const unbound = await createV1({ hmacKey, maxnumber: 1000, expires: inFiveMinutes() });
  const unboundSolution = await solveV1(unbound.challenge, unbound.salt).promise;
  await refused(b64({ ...unbound, number: unboundSolution.number }),
    'v1 a minted challenge without the site key binding is refused', 'captcha_invalid');
}

// ---- v2: altcha-lib 2.x solves our challenge, verifies it, and our server takes the payload once
{
  const challenge = await generate(`site_key=${siteKey}&type=pow&action=feedback&version=2`);
  check(!('challenge' in challenge) && challenge.parameters && challenge.signature, 'v2 challenge shape');
  const deriveKey = keys[challenge.parameters.algorithm];
  const solution = await solveV2({ challenge, deriveKey });
  check(solution !== null, 'v2 altcha-lib solves our challenge');
  const result = await verifyV2({ challenge, solution, deriveKey, hmacSignatureSecret: hmacKey });
  check(result.verified, 'v2 our challenge and its solution pass altcha-lib verifySolution', JSON.stringify(result));
  const payload = b64({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution });
  await accepted(payload, 'v2 our server accepts the payload altcha-lib solved');
  await refused(payload, 'v2 the same payload twice is refused', 'captcha_replayed');
}

// ---- v2: a challenge altcha-lib 2.x minted with the shared key (PBKDF2, deterministic), bound in data
{
  const challenge = await createV2({ algorithm: 'PBKDF2/SHA-256', cost: 100, counter: 300, deriveKey: pbkdf2Key,
    expiresAt: inFiveMinutes(), data: { site_key: siteKey, action: 'feedback' }, hmacSignatureSecret: hmacKey });
  const solution = await solveV2({ challenge, deriveKey: pbkdf2Key });
  check(solution !== null && solution.counter === 300, 'v2 altcha-lib solves its own challenge');
  await accepted(b64({ challenge, solution }), 'v2 our server accepts a challenge altcha-lib createChallenge minted');
  const random = await createV2({ algorithm: 'SHA-256', cost: 1, keyPrefix: '0', deriveKey: shaKey,
    expiresAt: inFiveMinutes(), data: { site_key: siteKey, action: 'feedback' }, hmacSignatureSecret: hmacKey });
  const randomSolution = await solveV2({ challenge: random, deriveKey: shaKey });
  await accepted(b64({ challenge: random, solution: randomSolution }),
    'v2 our server accepts a random-prefix challenge altcha-lib minted');
  const unsigned = await createV2({ algorithm: 'SHA-256', cost: 1, keyPrefix: '0', deriveKey: shaKey,
    expiresAt: inFiveMinutes(), data: { site_key: siteKey, action: 'feedback' }, hmacSignatureSecret: 'not the shared key, 32 characters' });
  const unsignedSolution = await solveV2({ challenge: unsigned, deriveKey: shaKey });
  await refused(b64({ challenge: unsigned, solution: unsignedSolution }),
    'v2 a challenge signed with another key is refused', 'captcha_invalid');
  const noExpiry = await createV2({ algorithm: 'SHA-256', cost: 1, keyPrefix: '0', deriveKey: shaKey,
    data: { site_key: siteKey, action: 'feedback' }, hmacSignatureSecret: hmacKey });
  const noExpirySolution = await solveV2({ challenge: noExpiry, deriveKey: shaKey });
  await refused(b64({ challenge: noExpiry, solution: noExpirySolution }),
    'v2 a minted challenge without expiresAt is refused', 'captcha_invalid');
}
console.log('all interop checks passed');
