// The examples (examples/), built against the installed library by the
// examples.build test, each run and spoken to with the real sockjs-client.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { startProgram, connect, SockJS } = require('./harness');

const dir = process.env.EXAMPLES_DIR
  || path.resolve(__dirname, '../../build/examples-build');

async function withExample(name, body, args = []) {
  const server = await startProgram(path.join(dir, name), args);
  try {
    await body(server.url);
  } finally {
    await server.stop();
  }
}

test('echo: every message comes back, over websocket and xhr-streaming', () =>
  withExample('echo', async (url) => {
    for (const transport of ['websocket', 'xhr-streaming']) {
      const c = await connect(`${url}/echo`, transport);
      c.send('hello');
      assert.equal(await c.next(), 'hello');
      c.close();
    }
  }));

test('echo built with pkg-config behaves the same', () =>
  withExample('echo-pkg-config', async (url) => {
    const c = await connect(`${url}/echo`, 'xhr-polling');
    c.send('via pkg-config');
    assert.equal(await c.next(), 'via pkg-config');
    c.close();
  }));

test('chat: joins, names, messages and leaves reach everyone', () =>
  withExample('chat', async (url) => {
    const ann = await connect(`${url}/chat`, 'websocket');
    assert.equal(await ann.next(), '* guest1 joined');
    const bob = await connect(`${url}/chat`, 'xhr-streaming');
    assert.equal(await ann.next(), '* guest2 joined');
    assert.equal(await bob.next(), '* guest2 joined');
    ann.send('/nick ann');
    assert.equal(await ann.next(), '* guest1 is now ann');
    assert.equal(await bob.next(), '* guest1 is now ann');
    bob.send('hi ann');
    assert.equal(await ann.next(), 'guest2: hi ann');
    assert.equal(await bob.next(), 'guest2: hi ann');
    bob.close();
    assert.equal(await ann.next(), '* guest2 left');
    ann.close();
  }));

test('worker: slow answers come later, and nobody waits for them', () =>
  // One I/O thread: had the slow work run there, the quick answer would
  // come after the slow one.
  withExample('worker', async (url) => {
    const slow = await connect(`${url}/primes`, 'websocket');
    const quick = await connect(`${url}/primes`, 'xhr-polling');
    const order = [];
    slow.send('300000'); // a second or more of trial division
    quick.send('10');
    const answers = Promise.all([
      slow.next(60000).then((a) => { order.push('slow'); return a; }),
      quick.next(60000).then((a) => { order.push('quick'); return a; }),
    ]);
    assert.deepEqual(await answers, ['prime 300000 is 4256233', 'prime 10 is 29']);
    assert.deepEqual(order, ['quick', 'slow']);
    quick.send('x');
    assert.equal(await quick.next(), 'send a number');
    slow.close();
    quick.close();
  }, ['--threads', '1']));

test('multiplex: two channels, a callback and an actor, on one connection', () =>
  withExample('multiplex', async (url) => {
    const WebSocketMultiplex = new Function(
      `${fs.readFileSync(require.resolve('websocket-multiplex/multiplex_client.js'), 'utf8')}
       return WebSocketMultiplex;`)();
    const sock = new SockJS(`${url}/multiplex`, null, { transports: ['xhr-streaming'] });
    const multiplexer = new WebSocketMultiplex(sock);
    const inbox = (channel) => {
      const got = [];
      channel.onmessage = (e) => got.push(e.data);
      return got;
    };
    const echo = multiplexer.channel('echo');
    const count = multiplexer.channel('count');
    const echoed = inbox(echo);
    const counted = inbox(count);
    await new Promise((resolve) => { count.onopen = resolve; });
    echo.send('one');
    count.send('a');
    count.send('b');
    for (let i = 0; i < 100 && (echoed.length < 1 || counted.length < 2); ++i)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(echoed, ['one']);
    assert.deepEqual(counted, ['1', '2']);
    sock.close();
  }));
