// The real sockjs-client (npm 1.6.1) in Node, forced onto each transport it
// has in Node, against sockjs-server.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, connect, escapedClasses } = require('./harness');

const transports = ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource'];

let server;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server.stop(); });

for (const transport of transports) {
  test.describe(`node ${transport}`, () => {
    test('opens over the forced transport and echoes ASCII', async () => {
      const c = await connect(`${server.url}/echo`, transport);
      assert.equal(c.transport, transport);
      c.send('hello world');
      assert.equal(await c.next(), 'hello world');
      c.close();
    });

    test('echoes every escaped code-point class', async () => {
      const c = await connect(`${server.url}/echo`, transport);
      for (const [name, text] of Object.entries(escapedClasses())) {
        c.send(text);
        assert.equal(await c.next(), text, name);
      }
      c.close();
    });

    test('echoes astral characters', async () => {
      const c = await connect(`${server.url}/echo`, transport);
      const text = '😀 𝄞 \u{10ffff} \u{1f600}x';
      c.send(text);
      assert.equal(await c.next(), text);
      c.close();
    });

    test('echoes a 100 KB message', async () => {
      const c = await connect(`${server.url}/echo`, transport);
      const text = 'x'.repeat(100 * 1024 - 5) + 'é😀';
      c.send(text);
      assert.equal(await c.next(10000), text);
      c.close();
    });

    test('amplify answers up to 2^18 bytes', async () => {
      const c = await connect(`${server.url}/amplify`, transport);
      for (const n of [1, 10, 18]) {
        c.send(String(n));
        assert.equal((await c.next(10000)).length, 2 ** n);
      }
      c.send('99'); // clamped to 18
      assert.equal((await c.next(10000)).length, 2 ** 18);
      c.close();
    });

    test('close service delivers 3000 Go away!', async () => {
      const c = await connect(`${server.url}/close`, transport);
      const closed = await c.closedEvent();
      assert.deepEqual(closed, { code: 3000, reason: 'Go away!' });
    });

    test('broadcast reaches the other client', async () => {
      const a = await connect(`${server.url}/broadcast`, transport);
      const b = await connect(`${server.url}/broadcast`, transport);
      a.send('to everyone');
      assert.equal(await a.next(), 'to everyone');
      assert.equal(await b.next(), 'to everyone');
      a.close();
      b.close();
    });

    test('cookie_needed_echo echoes', async () => {
      const c = await connect(`${server.url}/cookie_needed_echo`, transport);
      c.send('with cookie');
      assert.equal(await c.next(), 'with cookie');
      c.close();
    });
  });
}

test('disabled_websocket_echo falls back from websocket', async () => {
  const c = await connect(`${server.url}/disabled_websocket_echo`, null);
  assert.notEqual(c.transport, 'websocket');
  c.send('fallback');
  assert.equal(await c.next(), 'fallback');
  c.close();
});

test.describe('heartbeats keep idle sessions open', () => {
  let fast;
  test.before(async () => {
    // A poll comes back every heartbeat (200 ms); the session waits 1 s for
    // the next one, so that a busy machine (or a cluster behind a proxy)
    // does not end it between two polls.
    fast = await startServer(['--heartbeat-delay', '200', '--disconnect-delay', '1000']);
  });
  test.after(async () => { await fast.stop(); });
  for (const transport of transports) {
    test(`node ${transport} idle past heartbeat_delay`, async () => {
      const c = await connect(`${fast.url}/echo`, transport);
      await new Promise((r) => setTimeout(r, 1500)); // seven heartbeats
      assert.equal(c.sock.readyState, 1, 'still open');
      c.send('after idle');
      assert.equal(await c.next(), 'after idle');
      c.close();
    });
  }
});
