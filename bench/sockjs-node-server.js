// The reference: sockjs-node 0.3.24 (npm `sockjs`) with the services the
// benchmark uses, configured like sockjs-server under bench/compare.
//   node sockjs-node-server.js PORT
'use strict';
const http = require('http');
const sockjs = require('sockjs');

const port = Number(process.argv[2] || 8082);
const quiet = { log: () => {} };
const server = http.createServer();

const echo = sockjs.createServer(Object.assign({ response_limit: 128 * 1024 }, quiet));
echo.on('connection', (conn) => conn.on('data', (m) => conn.write(m)));
echo.installHandlers(server, { prefix: '/echo' });

const clients = new Set();
const broadcast = sockjs.createServer(quiet);
broadcast.on('connection', (conn) => {
  clients.add(conn);
  conn.on('data', (m) => { for (const c of clients) c.write(m); });
  conn.on('close', () => clients.delete(conn));
});
broadcast.installHandlers(server, { prefix: '/broadcast' });

server.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => process.exit(0));
