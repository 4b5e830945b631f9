// TLS as an operator meets it, beyond the client suites that run over it
// (e2e.tls.*): plain HTTP to the TLS port, handshakes that fail or never
// come, a certificate renewed with SIGHUP while sessions go on, and files
// the server cannot use. Certificates are made here with openssl.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const tls = require('node:tls');

const serverBinary = process.env.SOCKJS_SERVER
  || path.resolve(__dirname, '../../build/bin/sockjs-server');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sockjs-tls-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makeCertificate(name) {
  const cert = path.join(dir, `${name}.cert.pem`);
  const key = path.join(dir, `${name}.key.pem`);
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  assert.equal(made.status, 0, String(made.stderr));
  const pem = fs.readFileSync(cert, 'utf8');
  return { cert, key, pem, fingerprint: new crypto.X509Certificate(pem).fingerprint256 };
}

const first = makeCertificate('first');
const renewed = makeCertificate('renewed');
const live = { cert: path.join(dir, 'live.cert.pem'), key: path.join(dir, 'live.key.pem') };

function install(certificate) {
  fs.copyFileSync(certificate.cert, live.cert);
  fs.copyFileSync(certificate.key, live.key);
}

// Starts the server on the live files; `lines` gathers its log.
function startServer(flags = []) {
  const child = spawn(serverBinary, ['--port', '0', '--tls-cert', live.cert,
                                     '--tls-key', live.key, ...flags],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => lines.push(...chunk.split('\n')));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no start within 5 s')), 5000);
    exited.then((code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on [\d.]+:(\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, lines, exited, port: Number(match[1]) });
    });
  });
}

async function stop(server) {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
}

// Resolves to the log line matching `pattern`, waiting up to 5 s for it.
async function logLine(server, pattern) {
  for (let i = 0; i < 100; ++i) {
    const line = server.lines.find((l) => pattern.test(l));
    if (line) return line;
    await sleep(50);
  }
  throw new Error(`no log line ${pattern}:\n${server.lines.join('\n')}`);
}

// Raw TCP: sends `bytes`, resolves to all it got back once the server closed
// (or after `ms`, with `closed: false`).
function rawExchange(port, bytes, ms = 5000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const got = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(got).toString('latin1'), closed: false });
    }, ms);
    socket.on('data', (chunk) => got.push(chunk));
    socket.on('error', () => {}); // a reset counts as closed
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(got).toString('latin1'), closed: true });
    });
    socket.on('connect', () => { if (bytes.length) socket.write(bytes); });
    socket.on('timeout', reject);
  });
}

function request(agent, port, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path: urlPath, agent },
      (res) => {
        const fingerprint = res.socket.getPeerCertificate().fingerprint256;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({
          status: res.statusCode, body: text, reused: req.reusedSocket, fingerprint,
        }));
      });
    req.on('error', reject);
    req.end(body);
  });
}

function peerFingerprint(port, ca) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('tls: plain HTTP to the TLS port gets 400 and a reason, then close', async () => {
  install(first);
  const server = await startServer();
  try {
    const answer = await rawExchange(server.port,
      'GET /echo/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.ok(answer.closed, 'the connection is closed');
    assert.match(answer.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(answer.text, /use https:\/\/ or wss:\/\//);
    await logLine(server, /no TLS \(plain HTTP\?\) on the TLS port from 127\.0\.0\.1/);
  } finally {
    await stop(server);
  }
});

test('tls: broken and missing handshakes are closed, the server serves on', async () => {
  install(first);
  const server = await startServer(['--request-timeout', '500']);
  try {
    // The head of a ClientHello (record of 64 bytes, hello of 60), then junk.
    const junk = Buffer.concat([
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c]),
      crypto.randomBytes(60)]);
    assert.ok((await rawExchange(server.port, junk)).closed, 'junk handshake closed');
    await logLine(server, /TLS handshake with 127\.0\.0\.1 failed/);
    // Half a ClientHello, or nothing at all: closed at the request timeout.
    assert.ok((await rawExchange(server.port, Buffer.from([0x16, 0x03, 0x01]))).closed,
              'half a handshake closed');
    assert.ok((await rawExchange(server.port, Buffer.alloc(0))).closed,
              'a silent client closed');
    const agent = new https.Agent({ ca: first.pem });
    const info = await request(agent, server.port, 'GET', '/echo/info');
    assert.equal(info.status, 200);
    assert.equal(JSON.parse(info.body).websocket, true);
    agent.destroy();
  } finally {
    await stop(server);
  }
});

test('tls: SIGHUP loads a renewed certificate; sessions on old connections go on', async () => {
  install(first);
  const server = await startServer();
  const both = [first.pem, renewed.pem];
  // One keep-alive connection, made before the renewal.
  const agent = new https.Agent({ ca: both, keepAlive: true, maxSockets: 1 });
  try {
    assert.equal(await peerFingerprint(server.port, both), first.fingerprint);
    const opened = await request(agent, server.port, 'POST', '/echo/000/renewal/xhr');
    assert.equal(opened.body, 'o\n');

    install(renewed);
    server.child.kill('SIGHUP');
    await logLine(server, /TLS certificate reloaded/);
    assert.equal(await peerFingerprint(server.port, both), renewed.fingerprint);

    // The old connection keeps its certificate and its session.
    const sent = await request(agent, server.port, 'POST', '/echo/000/renewal/xhr_send',
                               '["after the renewal"]');
    assert.equal(sent.status, 204);
    assert.ok(sent.reused, 'same connection as before the renewal');
    assert.equal(sent.fingerprint, first.fingerprint);
    const echoed = await request(agent, server.port, 'POST', '/echo/000/renewal/xhr');
    assert.equal(echoed.body, 'a["after the renewal"]\n');

    // A broken renewal leaves the last good certificate in place.
    fs.writeFileSync(live.cert, 'not a certificate\n');
    server.child.kill('SIGHUP');
    await logLine(server, /TLS certificate not reloaded, the old one stays/);
    assert.equal(await peerFingerprint(server.port, both), renewed.fingerprint);
  } finally {
    agent.destroy();
    await stop(server);
  }
});

test('tls: files the server cannot use stop it at start with a reason', async () => {
  const cases = [
    { cert: path.join(dir, 'missing.pem'), key: first.key, says: /TLS certificate .*missing\.pem/ },
    { cert: first.cert, key: renewed.key, says: /TLS private key .*renewed\.key\.pem: key values mismatch/ },
    { cert: first.cert, says: /both a certificate file and a private key file/ },
  ];
  for (const { cert, key, says } of cases) {
    const run = spawnSync(serverBinary,
                          ['--port', '0', '--tls-cert', cert, ...(key ? ['--tls-key', key] : [])],
                          { encoding: 'utf8', timeout: 10000 });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, says);
  }
});
