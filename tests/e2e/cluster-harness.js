// A cluster of sockjs-server nodes on 127.0.0.1, optionally behind HAProxy
// or nginx run with the configs in config/ (ports rewritten). Every process
// is started here and stopped by PID; nodes log every request, so that tests
// can see which node served what.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const serverBinary = process.env.SOCKJS_SERVER
  || path.join(root, 'build/bin/sockjs-server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `condition()` holds, for at most `ms`; resolves to its last
 * value. For log lines, which come through a pipe, a moment after the
 * responses they describe.
 */
async function eventually(condition, ms = 2000) {
  const deadline = Date.now() + ms;
  let value = condition();
  while (!value && Date.now() < deadline) {
    await sleep(20);
    value = condition();
  }
  return value;
}

/** `n` distinct free TCP ports on 127.0.0.1 (free when asked). */
async function freePorts(n) {
  const servers = [];
  const ports = [];
  for (let i = 0; i < n; ++i) {
    const s = net.createServer();
    await new Promise((res) => s.listen(0, '127.0.0.1', res));
    servers.push(s);
    ports.push(s.address().port);
  }
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

function waitForPort(port, ms = 10000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} never opened`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function stopChild(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGCONT'); // a stopped process cannot take SIGTERM
    child.kill(signal);
  });
}

/** One sockjs-server process of the cluster. */
class Node {
  constructor({ index, httpPort, clusterPort, adminPort, peers, flags }) {
    Object.assign(this, { index, httpPort, clusterPort, adminPort, peers, flags });
    this.name = `127.0.0.1:${clusterPort}`;
    this.url = `http://127.0.0.1:${httpPort}`;
    this.lines = [];
    this.child = null;
  }

  start() {
    const args = ['--port', String(this.httpPort), '--threads', '1',
                  '--cluster-port', String(this.clusterPort),
                  '--admin-port', String(this.adminPort ?? 0),
                  '--cluster-peers', this.peers.join(','), ...this.flags];
    const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let pending = '';
    const onData = (chunk) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop();
      for (const line of parts) this.lines.push(line);
      if (process.env.E2E_CLUSTER_LOG) for (const l of parts) console.log(`[node${this.index}] ${l}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node ${this.index} did not start`)), 10000);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`node ${this.index} exited (${code ?? sig}): ${this.lines.slice(-5).join(' | ')}`));
      });
      const check = setInterval(() => {
        if (this.lines.some((l) => l.startsWith('listening on'))) {
          clearInterval(check);
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve(this);
        }
      }, 20);
    });
  }

  /** Members this node counts now, itself included, from its log. */
  members() {
    for (let i = this.lines.length - 1; i >= 0; --i) {
      const m = / (\d+) members$/.exec(this.lines[i]);
      if (m) return Number(m[1]);
    }
    return 1;
  }

  /** Log lines since index `from` that name `text`. */
  linesWith(text, from = 0) {
    return this.lines.slice(from).filter((l) => l.includes(text));
  }

  get pid() { return this.child && this.child.pid; }
  signal(sig) { this.child.kill(sig); }
  stop() { return this.child ? stopChild(this.child) : Promise.resolve(); }

  kill9() {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

function proxyConfig(kind, frontPort, nodes) {
  const file = kind === 'haproxy' ? 'haproxy-cluster.cfg' : 'nginx-cluster.conf';
  let text = fs.readFileSync(path.join(root, 'config', file), 'utf8');
  text = text.split('127.0.0.1:8080').join(`127.0.0.1:${frontPort}`);
  nodes.forEach((node, i) => {
    text = text.split(`127.0.0.1:${8081 + i}`).join(`127.0.0.1:${node.httpPort}`);
    text = text.split(`port ${9081 + i}`).join(`port ${node.adminPort}`);
  });
  return text;
}

async function startProxy(kind, frontPort, nodes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sockjs-${kind}-`));
  fs.chmodSync(dir, 0o777); // nginx workers may run as another user
  fs.mkdirSync(path.join(dir, 'tmp'), { mode: 0o777 });
  const config = path.join(dir, kind === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf');
  fs.writeFileSync(config, proxyConfig(kind, frontPort, nodes));
  const [command, args] = kind === 'haproxy'
    ? ['haproxy', ['-db', '-f', config]]
    : ['nginx', ['-p', dir, '-e', 'stderr', '-c', config, '-g', 'daemon off;']];
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
    waitForPort(frontPort).then(resolve, reject);
  });
  child.removeAllListeners('exit');
  return {
    kind,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `size` nodes that know each other (and, with `proxy`, HAProxy or
 * nginx in front), and waits until every node counts every member. Ports
 * are picked free, but another process may take one before a node binds
 * it: then the whole start is tried again on other ports.
 */
async function startCluster(options = {}) {
  for (let attempt = 1; ; ++attempt) {
    try {
      return await startClusterOnce(options);
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

async function startClusterOnce({ size = 3, proxy = null, flags = [] } = {}) {
  const ports = await freePorts(3 * size + 1);
  const peers = Array.from({ length: size }, (_, i) => `127.0.0.1:${ports[size + i]}`);
  const nodes = Array.from({ length: size }, (_, i) => new Node({
    index: i + 1, httpPort: ports[i], clusterPort: ports[size + i],
    adminPort: ports[2 * size + 1 + i], peers, flags,
  }));
  const cluster = {
    nodes,
    names: nodes.map((n) => n.name),
    proxy: null,
    url: null,
    port: null,
    async waitMembers(count = size, ms = 10000, among = nodes) {
      const deadline = Date.now() + ms;
      while (among.some((n) => n.members() !== count)) {
        if (Date.now() > deadline)
          throw new Error(`members: ${among.map((n) => n.members()).join(',')}, wanted ${count}`);
        await sleep(20);
      }
    },
    /** Starts a node again (same ports and name) after it stopped. */
    async restart(node) {
      node.lines = [];
      await node.start();
    },
    async stop() {
      if (cluster.proxy) await cluster.proxy.stop();
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await cluster.waitMembers();
    if (proxy) {
      cluster.proxy = await startProxy(proxy, ports[2 * size], nodes);
      cluster.port = ports[2 * size];
      cluster.url = `http://127.0.0.1:${cluster.port}`;
    }
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

module.exports = { startCluster, freePorts, sleep, eventually, Node };
