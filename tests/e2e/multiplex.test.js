// The npm websocket-multiplex client (0.1.0) in Node, through the real
// sockjs-client, against sockjs-server's /multiplex (channels ann, bob and
// carl, as in sockjs-erlang's example).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, SockJS } = require('./harness');

// The client is a browser script defining a global: evaluate it as one.
const WebSocketMultiplex = new Function(
  `${fs.readFileSync(require.resolve('websocket-multiplex/multiplex_client.js'), 'utf8')}
   return WebSocketMultiplex;`)();

let server;
test.before(async () => { server = await startServer(); });
test.after(async () => { await server.stop(); });

// A channel whose messages and close are awaited in order.
function watch(channel) {
  const events = [];
  const waiters = [];
  const push = (e) => { const w = waiters.shift(); if (w) w(e); else events.push(e); };
  channel.onmessage = (e) => push(`message: ${e.data}`);
  channel.onclose = () => push('close');
  return {
    next: (ms = 5000) => events.length ? Promise.resolve(events.shift())
      : new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`nothing on the channel in ${ms} ms`)), ms);
        waiters.push((e) => { clearTimeout(t); resolve(e); });
      }),
    pending: () => events.length,
  };
}

for (const transport of ['websocket', 'xhr-streaming']) {
  test(`multiplex over ${transport}: channels answer apart on one session`, async () => {
    const sock = new SockJS(`${server.url}/multiplex`, null, { transports: [transport] });
    const opened = new Promise((resolve) => { sock.onopen = resolve; });
    const multiplexer = new WebSocketMultiplex(sock);
    const ann = watch(multiplexer.channel('ann'));
    const bob = watch(multiplexer.channel('bob'));
    const carlChannel = multiplexer.channel('carl');
    const carl = watch(carlChannel);
    await opened;
    assert.equal(sock.transport, transport);
    assert.equal(await ann.next(), 'message: Ann says hi!');
    assert.equal(await bob.next(), "message: Bob doesn't agree.");
    assert.equal(await carl.next(), 'message: Carl says goodbye!');
    assert.equal(await carl.next(), 'close');
    multiplexer.channels.ann.send('a, b and c');
    multiplexer.channels.bob.send('everything');
    assert.equal(await ann.next(), 'message: Ann nods: a, b and c');
    assert.equal(await bob.next(), 'message: Bob says no to: everything');
    // A channel the client closes hears nothing more; the others do.
    multiplexer.channels.bob.close();
    assert.equal(await bob.next(), 'close');
    multiplexer.channels.ann.send('still here');
    assert.equal(await ann.next(), 'message: Ann nods: still here');
    assert.equal(bob.pending(), 0);
    sock.close();
  });
}
