// A tiny static server on another origin than sockjs-server: it serves the
// test page and its own sockjs-client build, as a real site would.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const bundle = fs.readFileSync(
  path.join(path.dirname(require.resolve('sockjs-client/package.json')),
            'dist', 'sockjs.min.js'));

const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>sockjs e2e</title>
<script src="/sockjs.min.js"></script></head>
<body><p>sockjs-client end-to-end page</p></body></html>`;

function startPageServer() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/sockjs.min.js') {
        res.writeHead(200, { 'Content-Type': 'application/javascript' });
        res.end(bundle);
      } else if (req.url === '/' || req.url.startsWith('/?')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
        res.end(page);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({ port, url: `http://127.0.0.1:${port}`,
                stop: () => new Promise((r) => server.close(r)) });
    });
  });
}

module.exports = { startPageServer };
