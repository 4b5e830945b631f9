// What an operator relies on, from outside the process: /metrics that a
// Prometheus parser reads and whose figures move with real clients' traffic,
// JSON log lines, and the SIGTERM drain: every session of every transport
// gets c[1001,"Server shutting down"] before the process exits in time.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { connect } = require('./harness');

const serverBinary = process.env.SOCKJS_SERVER
  || path.resolve(__dirname, '../../build/bin/sockjs-server');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts the server with the admin endpoint; resolves once both ports are
// known. `lines` collects its stderr (the log), line by line.
function startServer(flags) {
  const child = spawn(serverBinary, ['--port', '0', '--admin-port', '0', ...flags],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    lines.push(...parts);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no start within 5 s')), 5000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const admin = /admin on [\d.]+:(\d+)/.exec(out);
      const main = /listening on [\d.]+:(\d+)/.exec(out);
      if (!admin || !main) return;
      clearTimeout(timer);
      resolve({
        child, lines, exited,
        port: Number(main[1]),
        adminPort: Number(admin[1]),
        url: `http://127.0.0.1:${main[1]}`,
      });
    });
  });
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

// The samples of a scrape, read by python3-prometheus-client's parser
// (which throws on text that breaks the format): {'name{labels}': value}.
function parseWithPrometheusClient(text) {
  const script = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ','.join('%s="%s"' % kv for kv in sorted(s.labels.items()))
        out[s.name + ('{' + labels + '}' if labels else '')] = s.value
print(json.dumps(out))
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' });
  assert.equal(run.status, 0, `prometheus_client rejects /metrics: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function scrape(server) {
  const res = await get(server.adminPort, '/metrics');
  assert.equal(res.status, 200);
  return parseWithPrometheusClient(res.body);
}

async function stop(server) {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

test.describe('operations', () => {
  test('metrics parse and move with real clients; logs are JSON lines', async () => {
    const server = await startServer(['--log-format', 'json']);
    try {
      const before = await scrape(server);
      for (const transport of ['websocket', 'xhr-streaming']) {
        const c = await connect(`${server.url}/echo`, transport);
        for (const text of ['one', 'two', 'three']) {
          c.send(text);
          assert.equal(await c.next(), text);
        }
        c.close();
        await c.closedEvent();
      }
      const after = await scrape(server);
      const moved = (name) => (after[name] || 0) - (before[name] || 0);
      assert.equal(moved('sockjs_messages_received_total'), 6);
      assert.equal(moved('sockjs_messages_sent_total'), 6);
      assert.equal(moved('sockjs_message_bytes_received_total'), 2 * 11);
      assert.equal(moved('sockjs_sessions_opened_total'), 2);
      assert.ok(moved('sockjs_http_responses_total{class="1xx"}') >= 1, 'the websocket');
      assert.ok(moved('sockjs_http_responses_total{class="2xx"}') >= 3, 'info, streaming, sends');
      assert.equal(after.sockjs_ready, 1);

      // Log lines come through a pipe, a moment after what they describe.
      const entries = () => server.lines.filter((l) => l.length > 0).map((l) => JSON.parse(l));
      const isStreaming = (e) => e.msg === 'request' && e.transport === 'xhr-streaming';
      for (let i = 0; i < 100 && !entries().some(isStreaming); ++i) await sleep(20);
      assert.ok(entries().every((e) => e.time && e.level && typeof e.msg === 'string'));
      const streaming = entries().find(isStreaming);
      assert.ok(streaming, 'a request line for the xhr-streaming receiver');
      assert.equal(streaming.method, 'POST');
      assert.equal(streaming.status, 200);
      assert.equal(typeof streaming.duration_us, 'number');
      assert.equal(streaming.peer, '127.0.0.1');
      assert.match(streaming.session, /^[^/.]+$/);
      assert.match(streaming.path, new RegExp(`/${streaming.session}/xhr_streaming$`));
    } finally {
      await stop(server);
    }
  });

  test('SIGTERM: every session of every transport gets 1001, then the process exits', async () => {
    const drainMs = 3000;
    const server = await startServer(['--quiet', '--drain-timeout', String(drainMs)]);
    const perTransport = 4;
    const clients = [];
    try {
      // The client's own transports in Node...
      for (const transport of ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource']) {
        for (let i = 0; i < perTransport; ++i) {
          const c = await connect(`${server.url}/echo`, transport);
          clients.push({ transport, closed: c.closedEvent(drainMs + 2000) });
        }
      }
      // ...and the two that need a browser, spoken raw: held responses that
      // must end with the close frame.
      const held = (urlPath) => new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: server.port, path: urlPath, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => { body += c; });
          res.on('end', () => resolve(body));
          res.on('error', reject);
        }).on('error', reject);
      });
      for (let i = 0; i < perTransport; ++i) {
        const id = `drain${i}`;
        clients.push({ transport: 'htmlfile', closed: held(`/echo/000/h${id}/htmlfile?c=cb`) });
        // The first jsonp poll opens the session; the second is held.
        const open = await held(`/echo/000/j${id}/jsonp?c=cb`);
        assert.match(open, /cb\("o"\)/);
        clients.push({ transport: 'jsonp-polling', closed: held(`/echo/000/j${id}/jsonp?c=cb`) });
      }
      // Every receiver attached: as many open connections as clients (the
      // client's keep-alive /info connections may add some).
      const total = clients.length;
      let open = 0;
      for (let i = 0; i < 100 && open < total; ++i) {
        open = (await scrape(server)).sockjs_connections_open;
        if (open < total) await sleep(20);
      }
      assert.ok(open >= total, `${open} of ${total} receivers connected`);
      await sleep(200); // their requests read and attached to the sessions

      const signalled = Date.now();
      server.child.kill('SIGTERM');
      const results = await Promise.all(clients.map(async (c) => {
        const closed = await c.closed;
        const got = typeof closed === 'string'
          ? closed.includes('c[1001,\\"Server shutting down\\"]') || closed.includes('c[1001,"Server shutting down"]')
          : closed.code === 1001 && closed.reason === 'Server shutting down';
        return { transport: c.transport, got, closed };
      }));
      const missed = results.filter((r) => !r.got);
      assert.deepEqual(missed.map((r) => `${r.transport}: ${JSON.stringify(r.closed)}`), []);
      const exit = await server.exited;
      assert.equal(exit.code, 0);
      assert.ok(exit.at - signalled <= drainMs + 1000,
                `exited ${exit.at - signalled} ms after SIGTERM (drain ${drainMs} ms); ` +
                `its last lines: ${server.lines.slice(-5).join(' | ')}`);
    } finally {
      await stop(server);
    }
  });
});
