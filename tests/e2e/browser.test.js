// The real sockjs-client (npm 1.6.1) in headless Debian Chromium, on a page
// served from another origin than sockjs-server, forced onto each browser
// transport; then one same-origin run and the demo page at `/`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer, escapedClasses } = require('./harness');
const { startPageServer } = require('./page-server');

const transports = ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource',
                    'iframe-eventsource', 'iframe-htmlfile',
                    'iframe-xhr-polling', 'jsonp-polling'];
const screenshotDir = process.env.E2E_ARTIFACTS
  || path.resolve(__dirname, '../../build/e2e');

let browser, pages, server, userDataDir;

test.before(async () => {
  pages = await startPageServer();
  // The iframe page loads the page site's own client build.
  server = await startServer(['--sockjs-url', `${pages.url}/sockjs.min.js`]);
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sockjs-e2e-chromium-'));
  // A fresh profile every run (Playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // E2E_TLS: the test's own certificate, made at test time.
    ignoreHTTPSErrors: Boolean(process.env.E2E_TLS),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
           '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (pages) await pages.stop();
  fs.rmSync(userDataDir, { recursive: true, force: true });
});

// Runs inside the page: opens SockJS on one transport, echoes `texts`,
// then reports what happened, including the /close service's close event.
async function runInPage(page, { base, transport, texts }) {
  return page.evaluate(async ({ base, transport, texts }) => {
    const open = (url) => new Promise((resolve, reject) => {
      const sock = new SockJS(url, null, { transports: [transport] });
      const inbox = [];
      let waiting = null;
      sock.onmessage = (e) => {
        if (waiting) { const w = waiting; waiting = null; w(e.data); }
        else inbox.push(e.data);
      };
      sock.next = () => inbox.length ? Promise.resolve(inbox.shift())
        : new Promise((r) => { waiting = r; });
      sock.closed = new Promise((r) => { sock.onclose = (e) => r({ code: e.code, reason: e.reason }); });
      sock.onopen = () => resolve(sock);
      sock.closed.then((c) => reject(new Error(`closed ${c.code} ${c.reason} before open`)));
    });
    const timeout = (p, ms, what) => Promise.race([p, new Promise((_, rej) =>
      setTimeout(() => rej(new Error(`${what}: timed out`)), ms))]);
    const result = { echoes: [] };
    const echo = await timeout(open(`${base}/echo`), 10000, 'open /echo');
    result.transport = echo.transport;
    for (const text of texts) {
      echo.send(text);
      result.echoes.push(await timeout(echo.next(), 10000, 'echo'));
    }
    echo.close();
    result.normalClose = await timeout(echo.closed, 5000, 'close /echo');
    const close = await timeout(open(`${base}/close`), 10000, 'open /close');
    result.serverClose = await timeout(close.closed, 5000, 'close by /close');
    return result;
  }, { base, transport, texts });
}

const texts = ['hello', 'héllo wörld €', '😀 astral 𝄞', ...Object.values(escapedClasses())];

for (const transport of transports) {
  test(`chromium cross-origin ${transport}`, async () => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.log(`[${transport}] page error: ${e.message}`));
    try {
      await page.goto(pages.url + '/');
      const result = await runInPage(page, { base: server.url, transport, texts });
      assert.equal(result.transport, transport);
      assert.deepEqual(result.echoes, texts);
      assert.equal(result.normalClose.code, 1000);
      assert.deepEqual(result.serverClose, { code: 3000, reason: 'Go away!' });
    } finally {
      await page.close();
    }
  });
}

test('chromium same-origin websocket and xhr-streaming', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url + '/');
    for (const transport of ['websocket', 'xhr-streaming']) {
      const result = await runInPage(page, { base: '', transport, texts });
      assert.equal(result.transport, transport);
      assert.deepEqual(result.echoes, texts);
      assert.deepEqual(result.serverClose, { code: 3000, reason: 'Go away!' });
    }
  } finally {
    await page.close();
  }
});

test('chromium demo page: type a message, see the echo', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url + '/');
    await page.selectOption('#transport', 'xhr-streaming');
    await page.click('#connect');
    await page.waitForSelector('#status:has-text("open")', { timeout: 10000 });
    await page.fill('#message', 'hello from the demo page');
    await page.click('#send');
    await page.waitForSelector('#log .in:has-text("hello from the demo page")',
                               { timeout: 10000 });
    fs.mkdirSync(screenshotDir, { recursive: true });
    const shot = path.join(screenshotDir, 'demo-page.png');
    await page.screenshot({ path: shot });
    assert.ok(fs.statSync(shot).size > 0);
  } finally {
    await page.close();
  }
});

test('chromium demo page: channels on one connection', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url + '/');
    await page.click('#mx-connect');
    await page.waitForSelector('#ch-ann .lines :text("Ann says hi!")', { timeout: 10000 });
    await page.waitForSelector('#ch-carl .lines :text("channel closed")', { timeout: 10000 });
    await page.fill('#ch-ann input', 'the plan');
    await page.click('#ch-ann button');
    await page.waitForSelector('#ch-ann .lines :text("Ann nods: the plan")', { timeout: 10000 });
    await page.fill('#ch-bob input', 'the plan');
    await page.click('#ch-bob button');
    await page.waitForSelector('#ch-bob .lines :text("Bob says no to: the plan")', { timeout: 10000 });
    // Each answer is in its own channel's box only.
    assert.equal(await page.locator('#ch-bob .lines :text("Ann")').count(), 0);
  } finally {
    await page.close();
  }
});
