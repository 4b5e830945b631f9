// Soak: mixed session churn on every transport against a sockjs-server on
// an ephemeral 127.0.0.1 port: sessions opened, used (one echo verified),
// then closed, abandoned, or aborted mid-stream. After a warm-up and after
// the churn, the server is left idle until its sessions have expired; then
// its open files must be back at the warm-up level and its RSS within 10 %.
// One summary line.
//
//   node soak.js SECONDS [WORKERS]      (SOCKJS_SERVER: the server binary)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const FayeWebSocket = require('faye-websocket');

const seconds = Number(process.argv[2] || 60);
const workers = Number(process.argv[3] || 50);
const operationTimeout = 5000;
// Sessions expire 1 s after their last receiver; a connection that ends
// behind a write nobody takes is dropped after 5 s.
const settle = 8000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const randomId = () => Math.random().toString(36).slice(2, 12);

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out`)), operationTimeout);
    }),
  ]).finally(() => clearTimeout(timer));
}

function startServer() {
  const server = spawn(process.env.SOCKJS_SERVER, [
    '--port', '0', '--quiet', '--disconnect-delay', '1000', '--threads', '2',
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on [0-9.]+:(\d+)/.exec(out);
      if (m) resolve({ server, port: Number(m[1]) });
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

// One HTTP request; resolves with { status, body } once the body ends.
function request(port, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A held response read as it comes: resolves `expect(text so far)` when
// it first holds; the request stays open for the caller to end.
function stream(port, method, path) {
  let text = '';
  const waiters = [];
  const req = http.request({ host: '127.0.0.1', port, method, path, agent: false });
  const check = () => {
    for (const w of waiters.slice()) {
      if (w.pattern.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      waiters.forEach((w) => w.reject(new Error(`${path}: ${res.statusCode}`)));
      return;
    }
    res.setEncoding('utf8');
    res.on('data', (c) => { text += c; check(); });
    res.on('error', () => {});
  });
  req.on('error', (e) => waiters.forEach((w) => w.reject(e)));
  req.end();
  return {
    until: (pattern) => new Promise((resolve, reject) => { waiters.push({ pattern, resolve, reject }); check(); }),
    abort: () => req.destroy(),
  };
}

const send = async (port, url, msg) => {
  const res = await request(port, 'POST', `${url}/xhr_send`, JSON.stringify([msg]),
    { 'Content-Type': 'text/plain' });
  if (res.status !== 204) throw new Error(`xhr_send: ${res.status}`);
};

// Each transport: open a session, echo one message, end as `how` says.
const transports = {
  async websocket(port, url, msg, how) {
    const ws = new FayeWebSocket.Client(`ws://127.0.0.1:${port}${url}/websocket`);
    const frames = [];
    let notify = () => {};
    ws.on('message', (e) => { frames.push(e.data); notify(); });
    const until = (f) => new Promise((resolve) => {
      notify = () => { if (frames.includes(f)) resolve(); };
      notify();
    });
    try {
      await until('o');
      ws.send(JSON.stringify([msg]));
      await until(`a${JSON.stringify([msg])}`);
    } finally {
      // An abort: the socket goes without a close handshake.
      if (how === 'close' || !ws._stream) ws.close(); else ws._stream.destroy();
    }
  },
  async 'xhr-streaming'(port, url, msg) {
    const s = stream(port, 'POST', `${url}/xhr_streaming`);
    try {
      await s.until(/\no\n/);
      await send(port, url, msg);
      await s.until(/a\[".*"\]\n/);
    } finally {
      s.abort(); // mid-stream
    }
  },
  async 'xhr-polling'(port, url, msg) {
    const open = await request(port, 'POST', `${url}/xhr`);
    if (open.body !== 'o\n') throw new Error(`xhr: ${open.status} ${open.body}`);
    await send(port, url, msg);
    const poll = await request(port, 'POST', `${url}/xhr`);
    if (poll.body !== `a${JSON.stringify([msg])}\n`) throw new Error(`poll: ${poll.body}`);
    // abandoned: no more polls
  },
  async eventsource(port, url, msg) {
    const s = stream(port, 'GET', `${url}/eventsource`);
    try {
      await s.until(/data: o\r\n/);
      await send(port, url, msg);
      await s.until(/data: a\[/);
    } finally {
      s.abort();
    }
  },
  async htmlfile(port, url, msg) {
    const s = stream(port, 'GET', `${url}/htmlfile?c=cb`);
    try {
      await s.until(/p\("o"\)/);
      await send(port, url, msg);
      await s.until(/p\("a\[/);
    } finally {
      s.abort();
    }
  },
  async 'jsonp-polling'(port, url, msg) {
    const open = await request(port, 'GET', `${url}/jsonp?c=cb`);
    if (!open.body.startsWith('/**/cb("o")')) throw new Error(`jsonp: ${open.body}`);
    const sent = await request(port, 'POST', `${url}/jsonp_send`,
      `d=${encodeURIComponent(JSON.stringify([msg]))}`,
      { 'Content-Type': 'application/x-www-form-urlencoded' });
    if (sent.status !== 200) throw new Error(`jsonp_send: ${sent.status}`);
    const poll = await request(port, 'GET', `${url}/jsonp?c=cb`);
    if (!poll.body.includes('a[')) throw new Error(`jsonp poll: ${poll.body}`);
  },
};
const names = Object.keys(transports);

function sample(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)[1]),
  };
}

async function churn(port, ms, stats) {
  const end = Date.now() + ms;
  const worker = async () => {
    while (Date.now() < end) {
      const name = names[Math.floor(Math.random() * names.length)];
      const how = Math.random() < 0.5 ? 'close' : 'abort';
      const msg = `soak ${randomId()} é ☃`;
      try {
        await withTimeout(transports[name](port, `/echo/000/${randomId()}`, msg, how), name);
        stats.sessions += 1;
      } catch (e) {
        stats.errors += 1;
        if (stats.errors <= 5) console.error(`soak: ${name}: ${e.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

(async () => {
  const { server, port } = await startServer();
  let status = 1;
  try {
    const warm = { sessions: 0, errors: 0 };
    // Long enough for the allocator to reach its working size.
    await churn(port, Math.min(30000, seconds * 1000 / 2), warm);
    await sleep(settle);
    const before = sample(server.pid);
    const stats = { sessions: 0, errors: 0 };
    const started = Date.now();
    await churn(port, seconds * 1000, stats);
    const elapsed = (Date.now() - started) / 1000;
    await sleep(settle);
    const after = sample(server.pid);
    const growth = (after.rssKb - before.rssKb) / before.rssKb;
    const ok = stats.errors === 0 && warm.errors === 0 && after.fds <= before.fds &&
      growth <= 0.10;
    console.log(`soak seconds=${elapsed.toFixed(0)} workers=${workers} sessions=${stats.sessions} ` +
      `rate=${(stats.sessions / elapsed).toFixed(0)}/s errors=${stats.errors + warm.errors} ` +
      `fds=${before.fds}->${after.fds} rss_kb=${before.rssKb}->${after.rssKb} ` +
      `(${(growth * 100).toFixed(1)}%) ${ok ? 'PASS' : 'FAIL'}`);
    status = ok ? 0 : 1;
  } finally {
    server.kill('SIGTERM');
  }
  process.exitCode = status;
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
