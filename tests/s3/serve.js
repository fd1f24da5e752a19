#!/usr/bin/env node
// s3rver (the version pinned in package-lock.json) with the one check it lacks: AWS Signature
// Version 4. s3rver 3.7.1 refuses an unknown access key id but takes any V4 signature ("Signature
// version 4 calculation is unimplemented" in its authentication middleware), so a wrong secret
// would go unnoticed. This front recomputes the signature of every signed request as S3 does and
// answers 403 SignatureDoesNotMatch when it differs; it checks itself against AWS's published
// examples before it listens. The payload hash is taken from x-amz-content-sha256, as S3 does; the
// body itself is not hashed (the sccache client sends UNSIGNED-PAYLOAD).
//
// usage: node serve.js <directory> <port> <bucket>   (listens on 127.0.0.1; account S3RVER/S3RVER)
'use strict';

const crypto = require('crypto');
const S3rver = require('s3rver');

const secrets = new Map([['S3RVER', 'S3RVER']]);  // s3rver's only account

const sha256 = data => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
const encode = s =>
  encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());

// Each path segment decoded and encoded once more (RFC 3986), as S3 builds its canonical URI.
function canonicalUri(rawPath) {
  return rawPath.split('/').map(segment => encode(decodeURIComponent(segment))).join('/');
}

function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  return rawQuery.split('&').map(pair => {
    const [k, v = ''] = pair.split('=');
    return [encode(decodeURIComponent(k)), encode(decodeURIComponent(v))];
  }).sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

// request: {method, path, query, headers: Map(lower-case name → [values])}; auth: as parsed.
function signature(request, auth, secret) {
  const names = auth.signedHeaders.split(';');
  const value = n => (request.headers.get(n) || []).map(v => v.trim().replace(/\s+/g, ' ')).join(',');
  const headers = names.map(n => `${n}:${value(n)}\n`);
  const payload = (request.headers.get('x-amz-content-sha256') || [sha256('')])[0];
  const canonical = [request.method, canonicalUri(request.path), canonicalQuery(request.query),
    headers.join(''), auth.signedHeaders, payload].join('\n');
  const [date, region, service] = auth.scope;
  const amzDate = (request.headers.get('x-amz-date') || [''])[0];
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac('AWS4' + secret, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return hmac(key, toSign).toString('hex');
}

function parseAuthorization(value) {
  const m = new RegExp('^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?' +
    'SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$').exec(value);
  if (!m) return null;
  return { keyId: m[1], scope: [m[2], m[3], m[4]], signedHeaders: m[5], signature: m[6] };
}

function requestOf(method, url, rawHeaders) {
  const headers = new Map();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    headers.set(name, [...(headers.get(name) || []), rawHeaders[i + 1]]);
  }
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return { method, path, query: q < 0 ? '' : url.slice(q + 1), headers };
}

// What S3 would refuse, or null: a known key, every x-amz-* header and host signed, a scope that
// matches x-amz-date, and the signature itself.
function refusal(request) {
  const value = (request.headers.get('authorization') || [])[0];
  if (value === undefined) return null;  // anonymous: s3rver decides
  const auth = parseAuthorization(value);
  if (!auth) return 'AuthorizationHeaderMalformed';
  const secret = secrets.get(auth.keyId);
  if (secret === undefined) return null;  // s3rver answers InvalidAccessKeyId
  const signed = auth.signedHeaders.split(';');
  const mustSign = n => n.startsWith('x-amz-') || n === 'host';
  const unsigned = [...request.headers.keys()].filter(n => mustSign(n) && !signed.includes(n));
  if (unsigned.length > 0 || auth.scope[2] !== 's3') return 'AccessDenied';
  const amzDate = (request.headers.get('x-amz-date') || [''])[0];
  if (!amzDate.startsWith(auth.scope[0])) return 'AuthorizationHeaderMalformed';
  return signature(request, auth, secret) === auth.signature ? null : 'SignatureDoesNotMatch';
}

function selfCheck() {
  const check = (method, url, headerPairs, secret, expected, name) => {
    const request = requestOf(method, url, headerPairs.flat());
    const auth = parseAuthorization(request.headers.get('authorization')[0]);
    if (signature(request, auth, secret) !== expected) throw new Error(`self-check failed: ${name}`);
  };
  // aws-sig-v4-test-suite get-vanilla.
  const vanilla = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
  check('GET', '/', [['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z'],
    ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/' +
      'aws4_request, SignedHeaders=host;x-amz-date, Signature=' + vanilla]],
  'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', vanilla, 'get-vanilla');
  // The S3 API reference's GET Object example.
  const getObject = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
  check('GET', '/test.txt', [['Host', 'examplebucket.s3.amazonaws.com'], ['Range', 'bytes=0-9'],
    ['x-amz-content-sha256', sha256('')], ['x-amz-date', '20130524T000000Z'],
    ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/' +
      'aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=' + getObject]],
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', getObject, 'S3 GET Object example');
}

async function main() {
  const [directory, port, bucket] = process.argv.slice(2);
  if (!bucket) throw new Error('usage: serve.js <directory> <port> <bucket>');
  selfCheck();
  const server = new S3rver({ directory, port: Number(port), address: '127.0.0.1', silent: true,
    configureBuckets: [{ name: bucket, configs: [] }] });
  // First in the chain, before s3rver's own middleware (Koa composes the list when it listens).
  server.middleware.unshift(async (ctx, next) => {
    const request = requestOf(ctx.method, ctx.req.url, ctx.req.rawHeaders);
    const code = refusal(request);
    // Server-side encryption asked for on a PUT: logged, for the tests to see (s3rver ignores it).
    const sse = request.headers.get('x-amz-server-side-encryption');
    if (code === null && sse && ctx.method === 'PUT') console.log(`PUT with SSE ${sse[0]}`);
    if (code === null) return next();
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>refused by tests/s3/serve.js</Message></Error>`;
  });
  const address = await server.run();
  console.log(`s3rver with SigV4 checks listening on ${address.address}:${address.port}`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
