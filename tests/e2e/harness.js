// Starting sockjs-server for a test and talking to it through the real
// sockjs-client. Servers listen on ephemeral 127.0.0.1 ports and are
// stopped by PID.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const SockJS = require('sockjs-client');
const { startCluster } = require('./cluster-harness');

const serverBinary = process.env.SOCKJS_SERVER
  || path.resolve(__dirname, '../../build/bin/sockjs-server');

/**
 * Starts sockjs-server with extra flags; resolves to {port, url, stop}. With
 * E2E_CLUSTER=haproxy or nginx, that is three cluster nodes behind that
 * proxy, balanced round robin without stickiness. With E2E_TLS=DIR, the
 * server speaks TLS with DIR/cert.pem and DIR/key.pem (clients trust it
 * through NODE_EXTRA_CA_CERTS, Chromium by ignoring certificate errors).
 */
function startServer(flags = []) {
  const proxy = process.env.E2E_CLUSTER;
  if (proxy) {
    return startCluster({ proxy, flags }).then((cluster) => ({
      port: cluster.port, url: cluster.url, stop: cluster.stop, cluster,
    }));
  }
  const tls = process.env.E2E_TLS;
  if (tls) {
    return startProgram(serverBinary, [
      '--quiet', '--tls-cert', path.join(tls, 'cert.pem'),
      '--tls-key', path.join(tls, 'key.pem'), ...flags], { scheme: 'https' });
  }
  return startProgram(serverBinary, ['--quiet', ...flags]);
}

/**
 * Starts a server program on a free port (`--port 0` is added) and resolves
 * to {port, url, stop, child} once it prints "listening on HOST:PORT".
 */
function startProgram(binary, args = [], { scheme = 'http' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0', ...args],
                        { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(binary)} did not start within 5 s`));
    }, 5000);
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on ([\d.]+):(\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      const port = Number(match[2]);
      resolve({
        port,
        url: `${scheme}://127.0.0.1:${port}`,
        stop: () => stopProcess(child),
        child,
      });
    });
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Opens a SockJS connection forced onto `transport`; resolves once open to
 * a small client that queues received messages.
 */
function connect(url, transport, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const options = transport ? { transports: [transport] } : {};
    const sock = new SockJS(url, null, options);
    const received = [];
    const waiters = [];
    let closed = null;
    const closeWaiters = [];
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`${transport}: no open within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.onopen = () => {
      clearTimeout(timer);
      resolve(client);
    };
    sock.onmessage = (e) => {
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(e.data);
      else received.push(e.data);
    };
    sock.onclose = (e) => {
      clearTimeout(timer);
      closed = { code: e.code, reason: e.reason };
      for (const w of waiters.splice(0)) w.reject(new Error(`closed ${e.code} ${e.reason}`));
      for (const w of closeWaiters.splice(0)) w(closed);
      if (!client.opened) reject(new Error(`${transport}: closed ${e.code} ${e.reason} before open`));
    };
    const client = {
      sock,
      get opened() { return sock.readyState !== SockJS.CONNECTING; },
      get transport() { return sock.transport; },
      send: (data) => sock.send(data),
      close: () => sock.close(),
      /** The next message, or a rejection after timeoutMs. */
      next(ms = timeoutMs) {
        if (received.length) return Promise.resolve(received.shift());
        if (closed) return Promise.reject(new Error(`closed ${closed.code}`));
        return new Promise((res, rej) => {
          const waiter = { resolve: (d) => { clearTimeout(t); res(d); },
                           reject: (e) => { clearTimeout(t); rej(e); } };
          const t = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            rej(new Error(`no message within ${ms} ms`));
          }, ms);
          waiters.push(waiter);
        });
      },
      /** Resolves to {code, reason} once closed. */
      closedEvent(ms = timeoutMs) {
        if (closed) return Promise.resolve(closed);
        return new Promise((res, rej) => {
          const t = setTimeout(() => rej(new Error(`not closed within ${ms} ms`)), ms);
          closeWaiters.push((c) => { clearTimeout(t); res(c); });
        });
      },
    };
  });
}

/** Strings that exercise every escaped code-point class of spec §5.3. */
function escapedClasses() {
  const ranges = [[0x00, 0x1f], [0x200c, 0x200f], [0x2028, 0x202f],
                  [0x2060, 0x206f], [0xfff0, 0xffff]];
  const out = {};
  for (const [lo, hi] of ranges) {
    let s = '';
    for (let cp = lo; cp <= hi; ++cp) s += String.fromCharCode(cp);
    out[`U+${lo.toString(16).padStart(4, '0')}-U+${hi.toString(16).padStart(4, '0')}`] = s;
  }
  out['quotes and backslashes'] = '"\\"\\\\/';
  out['raw utf-8 (é, €, U+0080-U+009F, U+FEFF)'] = 'é€\u0080\u009f\u00ad\ufeff';
  return out;
}

module.exports = { startServer, startProgram, connect, escapedClasses, SockJS };
