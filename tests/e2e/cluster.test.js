// The cluster: three sockjs-server nodes sharing their sessions. Raw HTTP
// to single nodes shows that any node serves any session; through the proxy
// (E2E_CLUSTER: haproxy, the default, or nginx), one session's requests
// spread over the nodes. Faults: kill -9 and SIGSTOP/SIGCONT of one node.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startCluster, freePorts, sleep, eventually, Node } = require('./cluster-harness');
const { idOwnedBy } = require('./placement');
const SockJS = require('sockjs-client');

const proxyKind = process.env.E2E_CLUSTER || 'haproxy';
const clusterTimeout = 2000; // sockjs-server's default --cluster-timeout

/** One HTTP request on a fresh connection; resolves to {status, body, ms}. */
function request(base, method, path, body) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data, ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An xhr-streaming response whose frames arrive one by one. */
function openStream(base, path) {
  const frames = [];
  const waiters = [];
  let ended = false;
  const req = http.request(`${base}${path}/xhr_streaming`, { method: 'POST', agent: false }, (res) => {
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop();
      for (const f of parts) if (f !== 'h'.repeat(2048) && f !== 'h') frames.push(f);
      while (waiters.length && frames.length) waiters.shift()(frames.shift());
    });
    res.on('end', () => { ended = true; while (waiters.length) waiters.shift()(null); });
  });
  req.on('error', () => { ended = true; while (waiters.length) waiters.shift()(null); });
  req.end();
  return {
    /** The next frame, or null once the response ended, or a timeout. */
    next(ms = 3000) {
      if (frames.length) return Promise.resolve(frames.shift());
      if (ended) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms);
        waiters.push((f) => { clearTimeout(t); resolve(f); });
      });
    },
    close: () => req.destroy(),
  };
}

test.describe('any node serves any session', () => {
  let cluster;
  test.before(async () => { cluster = await startCluster(); });
  test.after(async () => { await cluster.stop(); });

  test('a session owned by each node is used through every node', async () => {
    const [a, b, c] = cluster.nodes;
    for (const owner of cluster.nodes) {
      const id = idOwnedBy(owner.name, cluster.names);
      const base = `/echo/000/${id}`;
      assert.equal((await request(a.url, 'POST', `${base}/xhr`)).body, 'o\n');
      let answer = await request(b.url, 'POST', `${base}/xhr_send`, '["one","two"]');
      assert.equal(answer.status, 204);
      assert.equal((await request(c.url, 'POST', `${base}/xhr`)).body, 'a["one","two"]\n');
      answer = await request(c.url, 'POST', `${base}/xhr_send`, '["three"]');
      assert.equal(answer.status, 204);
      assert.equal((await request(b.url, 'POST', `${base}/xhr`)).body, 'a["three"]\n');
      // A second receiver through another node is turned away (spec §6.3).
      const held = openStream(a.url, base);
      await sleep(100);
      assert.equal((await request(c.url, 'POST', `${base}/xhr`)).body,
                   'c[2010,"Another connection still open"]\n');
      await request(b.url, 'POST', `${base}/xhr_send`, '["four"]');
      assert.equal(await held.next(), 'a["four"]');
      held.close();
    }
  });

  test('unknown sessions are 404 on every node, and no node makes one', async () => {
    for (const node of cluster.nodes) {
      const answer = await request(node.url, 'POST', '/echo/000/nobody/xhr_send', '["x"]');
      assert.equal(answer.status, 404);
    }
  });

  test('a broadcast reaches the sessions of every node once', async () => {
    const streams = [];
    for (const owner of cluster.nodes) {
      const id = idOwnedBy(owner.name, cluster.names, 'b');
      const via = cluster.nodes[(owner.index) % 3]; // another node relays
      const stream = openStream(via.url, `/broadcast/000/${id}`);
      assert.equal(await stream.next(), 'o');
      streams.push({ id, stream });
    }
    const from = streams[0];
    const answer = await request(cluster.nodes[2].url, 'POST',
                                 `/broadcast/000/${from.id}/xhr_send`, '["to all nodes"]');
    assert.equal(answer.status, 204);
    for (const { stream } of streams) assert.equal(await stream.next(), 'a["to all nodes"]');
    for (const { stream } of streams) {
      await assert.rejects(stream.next(300)); // exactly once
      stream.close();
    }
  });

  test('a node with other settings is refused, with a log line on both sides', async () => {
    const [port] = await freePorts(1);
    const [httpPort] = await freePorts(1);
    const odd = new Node({ index: 4, httpPort, clusterPort: port,
                           peers: cluster.names, flags: ['--heartbeat-delay', '5000'] });
    await odd.start();
    try {
      assert.ok(await eventually(() => odd.linesWith('refuses this node').length ===
                                       cluster.nodes.length, 5000),
                `refusals: ${odd.lines.join(' | ')}`);
      assert.match(odd.linesWith('refuses this node')[0],
                   /service \/amplify: .*heartbeat_delay=25000.*heartbeat_delay=5000/);
      for (const n of cluster.nodes) {
        await eventually(() => n.linesWith(`refusing ${odd.name}`).length > 0);
        assert.equal(n.linesWith(`refusing ${odd.name}`).length, 1);
        assert.equal(n.members(), 3);
      }
      assert.equal(odd.members(), 1);
    } finally {
      await odd.stop();
    }
  });
});

test.describe(`through ${proxyKind}, round robin without stickiness`, () => {
  let cluster;
  test.before(async () => { cluster = await startCluster({ proxy: proxyKind }); });
  test.after(async () => { await cluster.stop(); });

  test("one session's requests are served by every node", async () => {
    const id = `spread${Date.now()}`;
    const base = `/echo/000/${id}`;
    assert.equal((await request(cluster.url, 'POST', `${base}/xhr`)).body, 'o\n');
    for (let i = 0; i < 6; ++i) {
      const sent = await request(cluster.url, 'POST', `${base}/xhr_send`, JSON.stringify([`m${i}`]));
      assert.equal(sent.status, 204);
      const polled = await request(cluster.url, 'POST', `${base}/xhr`);
      assert.equal(polled.body, `a["m${i}"]\n`);
    }
    const served = () => cluster.nodes.map((n) => n.linesWith(id).length);
    await eventually(() => served().reduce((x, y) => x + y) === 13);
    assert.equal(served().reduce((x, y) => x + y), 13, `log lines per node: ${served()}`);
    assert.ok(served().every((n) => n > 0), `every node served some: ${served()}`);
  });
});

/** A sockjs-client session that sends numbers and checks their echoes. */
function numberedSession(url, transport, sessionId) {
  const sock = new SockJS(url, null, { transports: [transport], sessionId: () => sessionId });
  const s = {
    id: sessionId, transport, sent: 0, received: 0, disorder: [], closed: null,
    opened: new Promise((resolve, reject) => {
      sock.onopen = resolve;
      setTimeout(() => reject(new Error(`${transport} ${sessionId}: no open`)), 5000);
    }),
    send() { if (sock.readyState === 1) sock.send(String(s.sent++)); },
    close() { sock.close(); },
  };
  sock.onmessage = (e) => {
    if (Number(e.data) !== s.received) s.disorder.push(`${e.data} after ${s.received - 1}`);
    s.received = Number(e.data) + 1;
  };
  sock.onclose = (e) => { if (!s.closed) s.closed = { code: e.code, reason: e.reason, at: Date.now() }; };
  return s;
}

test.describe('faults', () => {
  let cluster;
  test.before(async () => { cluster = await startCluster({ proxy: 'haproxy' }); });
  test.after(async () => { await cluster.stop(); });

  test('kill -9 of a node: others lose nothing, its sessions end visibly, it comes back', async () => {
    const victim = cluster.nodes[1];
    const sessions = [];
    for (const owner of cluster.nodes)
      for (const transport of ['xhr-polling', 'xhr-streaming'])
        for (let i = 0; i < 4; ++i)
          sessions.push({ owner, s: numberedSession(`${cluster.url}/echo`, transport,
                                                    idOwnedBy(owner.name, cluster.names)) });
    for (let i = 0; i < 6; ++i)
      sessions.push({ owner: null, s: numberedSession(`${cluster.url}/echo`, 'websocket', `ws${i}x${Date.now()}`) });
    await Promise.all(sessions.map(({ s }) => s.opened));
    const pump = setInterval(() => sessions.forEach(({ s }) => s.send()), 20);
    await sleep(1000);
    const killedAt = Date.now();
    await victim.kill9();
    await sleep(clusterTimeout + 1000);
    clearInterval(pump);
    await sleep(1500); // the last echoes
    let continued = 0;
    for (const { owner, s } of sessions) {
      const what = `${s.transport} session ${s.id} owned by ${owner ? owner.name : 'its socket'}` +
                   `${owner === victim ? ' (the dead node)' : ''}`;
      assert.deepEqual(s.disorder, [], `${what}: echoes out of order`);
      if (s.closed) {
        assert.ok([1002, 1006, 1011].includes(s.closed.code), `${what}: closed ${s.closed.code}`);
        assert.ok(s.closed.at - killedAt <= clusterTimeout + 1000,
                  `${what}: closed ${s.closed.at - killedAt} ms after the kill`);
      } else if (s.received === s.sent) {
        assert.notEqual(owner, victim, `${what}: still open`);
        ++continued;
      } else {
        // One of its requests went through the dead node and was cut off. A
        // browser sees the XHR fail and closes; sockjs-client's Node driver
        // waits on a truncated response forever (a poll, or a send, behind
        // which it queues the rest). If a poll had reached the session, the
        // session counts a client abort (spec §6.7) and says so on the next
        // request; otherwise it holds, in order, every echo not yet polled.
        assert.notEqual(s.transport, 'websocket', `${what}: stalled`);
        assert.notEqual(owner, victim, `${what}: still open`);
        const next = await request(cluster.nodes[0].url, 'POST', `/echo/000/${s.id}/xhr`);
        if (next.body !== 'c[1002,"Connection interrupted"]\n') {
          assert.match(next.body, /^a\[.*\]\n$/, `${what}: stalled, then ${next.body}`);
          const held = JSON.parse(next.body.slice(1)).map(Number);
          assert.deepEqual(held, held.map((_, i) => s.received + i),
                           `${what}: held echoes ${held[0]}..${held[held.length - 1]} after ${s.received - 1}`);
          assert.ok(s.received + held.length <= s.sent, `${what}: more echoes than sent`);
        }
      }
    }
    assert.ok(continued > 0, 'some sessions of the other nodes carried on');
    sessions.forEach(({ s }) => s.close());
    // Restarted, it rejoins by itself and owns sessions again.
    await cluster.restart(victim);
    await cluster.waitMembers(3);
    const fresh = numberedSession(`${cluster.url}/echo`, 'xhr-polling',
                                  idOwnedBy(victim.name, cluster.names));
    await fresh.opened;
    for (let i = 0; i < 5; ++i) fresh.send();
    await sleep(500);
    assert.equal(fresh.received, 5);
    assert.equal(fresh.closed, null);
    fresh.close();
  });

  test('SIGSTOP of a node is detected within the timeout; SIGCONT brings it back', async () => {
    const [n1, n2, victim] = cluster.nodes;
    const kept = idOwnedBy(n1.name, cluster.names, 'k');
    const lost = idOwnedBy(victim.name, cluster.names, 'l');
    assert.equal((await request(n2.url, 'POST', `/echo/000/${kept}/xhr`)).body, 'o\n');
    const held = openStream(n1.url, `/echo/000/${lost}`);
    assert.equal(await held.next(), 'o');
    const lines = cluster.nodes.map((n) => n.lines.length);
    const stoppedAt = Date.now();
    victim.signal('SIGSTOP');
    try {
      // A receiver relayed to a session on the hung node: a close frame.
      assert.equal(await held.next(clusterTimeout + 1500), 'c[1011,"Server lost session"]');
      assert.ok(Date.now() - stoppedAt <= clusterTimeout + 1000, 'close frame in time');
      // A sender for it: a defined answer within the timeout.
      const send = await request(n2.url, 'POST', `/echo/000/${lost}/xhr_send`, '["x"]');
      assert.equal(send.status, 404);
      assert.ok(send.ms <= clusterTimeout + 500, `xhr_send took ${send.ms} ms`);
      for (const n of [n1, n2]) {
        const down = () => n.linesWith(`member ${victim.name} down`, lines[n.index - 1]).length;
        await eventually(() => down() > 0);
        assert.equal(down(), 1);
      }
      // Sessions of the other nodes carry on meanwhile.
      assert.equal((await request(n1.url, 'POST', `/echo/000/${kept}/xhr_send`, '["still"]')).status, 204);
      assert.equal((await request(n2.url, 'POST', `/echo/000/${kept}/xhr`)).body, 'a["still"]\n');
    } finally {
      victim.signal('SIGCONT');
    }
    await cluster.waitMembers(3, 5000);
    const again = idOwnedBy(victim.name, cluster.names, 'a');
    assert.equal((await request(n1.url, 'POST', `/echo/000/${again}/xhr`)).body, 'o\n');
    assert.equal((await request(n2.url, 'POST', `/echo/000/${again}/xhr_send`, '["back"]')).status, 204);
    assert.equal((await request(victim.url, 'POST', `/echo/000/${again}/xhr`)).body, 'a["back"]\n');
  });
});
