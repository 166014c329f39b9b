// PURPOSE: browser tests of the playground (make web-test): serve web/dist on loopback,
// drive Debian's headless Chromium with playwright-core (never a downloaded browser), and
// check what a user sees: the MBAM scenario replayed to HTTP 500 / 0x80070542 with its
// explanation and token-flow picture, an access check decided ACE by ACE, a policy
// what-if, offline loading (its time reported), a WASM module under 2 MB. Screenshots go to
// build/web/. Exit 0 when all pass; prints one "ok"/"not ok" line per test.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = join(here, '..', 'dist');
const SHOTS = join(here, '..', '..', 'build', 'web');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.png': 'image/png' };

// A static file server: all the page needs.
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = await readFile(join(DIST, path.endsWith('/') ? path + 'index.html' : path));
    res.writeHead(200, { 'content-type': TYPES[extname(path) || '.html'] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end('not found');
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const foreign = [];
const consoleErrors = [];
// Offline: every request the page makes must stay on loopback (no CDN, no fonts).
page.on('request', (r) => {
  const u = r.url();
  if (!u.startsWith(base) && !u.startsWith('data:')) foreign.push(u);
});
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let failed = 0, n = 0;
async function test(name, fn) {
  n++;
  try {
    await fn();
    console.log(`ok ${n} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${n} - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}
const text = (sel) => page.locator(sel).innerText();

await mkdir(SHOTS, { recursive: true });

await test('the WebAssembly module is under 2 MB', async () => {
  const { size } = await stat(join(DIST, 'toksim.wasm'));
  assert.ok(size < 2 * 1024 * 1024, `toksim.wasm is ${size} bytes`);
});

await test('the page loads offline (load time reported, not asserted)', async () => {
  // A first visit in a throwaway context warms the browser itself (its first renderer);
  // the measured visit then starts with an empty cache, as a new user's does.
  const warm = await browser.newContext();
  const wp = await warm.newPage();
  await wp.goto(base);
  await wp.waitForSelector('#status[data-state=ready]', { timeout: 10000 });
  console.log(`# first visit of a fresh browser: ready ${(await wp.evaluate(() => window.toksimReadyMs)).toFixed(0)} ms`);
  await warm.close();
  // Time from navigation start until the module is ready and the page usable, measured in
  // the page; the better of two visits with an empty cache (a shared CI machine is noisy).
  const times = [];
  for (const p of [await browser.newPage(), page]) {
    await p.goto(base);
    await p.waitForSelector('#status[data-state=ready]', { timeout: 10000 });
    times.push(await p.evaluate(() => window.toksimReadyMs));
    if (p !== page) await p.close();
  }
  const ms = Math.min(...times);
  // Speed is measured, never asserted in a test (a shared CI machine is noisy): the figure is
  // printed here and recorded in docs/PERFORMANCE.md against the 2 s budget.
  console.log(`# ready ${times.map((t) => t.toFixed(0)).join(' ms, ')} ms after navigation start (best ${ms.toFixed(0)} ms; budget 2000 ms)`);
  assert.deepEqual(foreign, [], 'requests left loopback');
  assert.ok(await page.locator('#scenario-select option').count() > 10, 'shipped scenarios listed');
});

await test('MBAM scenario: HTTP 500 / 0x80070542 with its explanation and token flow', async () => {
  assert.match(await page.locator('#scenario-select option:checked').innerText(), /mbam-iis-iusrs-removed/);
  await page.click('#run-btn');
  const row = page.locator('#steps tr[data-step=request]');
  await row.waitFor();
  const outcome = await row.locator('td.outcome').innerText();
  assert.match(outcome, /HTTP 500/);
  assert.match(outcome, /0x80070542/);
  assert.match(outcome, /ERROR_BAD_IMPERSONATION_LEVEL/);
  assert.match(await row.innerText(), /Identification/);
  assert.match(await text('#run-check'), /held, 0 did not/);
  const story = await text('#story');
  assert.match(story, /Identification/);
  assert.match(story, /SeImpersonatePrivilege/);
  assert.ok((await page.locator('#explanation').textContent()).includes('finding.silent_identify_downgrade'), 'decision trace shown');
  assert.ok(await page.locator('#flow svg .edge.fail').count() >= 1, 'failing step drawn red');
  assert.ok(await page.locator('#flow svg .node.thread').count() >= 1, 'impersonating thread drawn');
  await page.locator('#scenario-panel').screenshot({ path: join(SHOTS, 'playground-scenario.png') });
  await page.locator('#flow').screenshot({ path: join(SHOTS, 'playground-flow.png') });
});

await test('every shipped scenario replays in WebAssembly with all its expectations held', async () => {
  const bad = await page.evaluate(() => {
    const out = [];
    const sel = document.getElementById('scenario-select');
    window.TOKSIM_SCENARIOS.forEach((s, i) => {
      sel.value = String(i);
      sel.dispatchEvent(new Event('change'));
      const check = document.getElementById('run-check').innerText;
      const svg = document.querySelector('#flow svg');
      if (!/ held, 0 did not/.test(check) || !svg) out.push(`${s.path}: ${check || document.getElementById('run-error').innerText}`);
    });
    return out;
  });
  assert.deepEqual(bad, []);
  await page.selectOption('#scenario-select', { index: 0 });
  const idx = await page.evaluate(() => window.TOKSIM_SCENARIOS.findIndex((s) => s.name === 'mbam-iis-iusrs-removed'));
  await page.selectOption('#scenario-select', String(idx));
});

await test('a pasted, edited scenario is replayed; bad JSON is reported with its position', async () => {
  const src = await page.inputValue('#scenario-text');
  await page.fill('#scenario-text', src.replace('"toksim": 1,', '"toksim": 1,,'));
  await page.click('#run-btn');
  await page.waitForSelector('#run-error:not([hidden])');
  assert.match(await text('#run-error'), /line \d+/);
  await page.fill('#scenario-text', src);
  await page.click('#run-btn');
  await page.waitForSelector('#run-error', { state: 'hidden' });
});

await test('access check decided ACE by ACE', async () => {
  await page.fill('#sddl', 'O:BAG:SYD:(D;;FW;;;IU)(A;;FA;;;BA)(A;;0x1200a9;;;BU)');
  await page.fill('#whoami', '');
  await page.fill('#user', 'S-1-5-21-1004336348-1177238915-682003330-1107');
  await page.fill('#groups', 'WD, BU, IU, AU');
  await page.fill('#desired', 'FILE_READ_DATA');
  await page.click('#access-btn');
  await page.waitForSelector('#ace-trace tbody tr');
  assert.match(await text('#access-verdict'), /GRANTED/);
  await page.fill('#desired', 'FILE_WRITE_DATA');
  await page.click('#access-btn');
  await page.waitForFunction(() => /DENIED/.test(document.getElementById('access-verdict').innerText));
  assert.match(await text('#access-verdict'), /STATUS_ACCESS_DENIED/);
  // ACE by ACE: #0 (the deny to INTERACTIVE) decides, the later ACEs are never reached.
  assert.equal(await page.locator('#aces tbody tr').count(), 3);
  assert.match(await page.locator('#aces tbody tr').nth(0).innerText(), /denies/);
  assert.match(await page.locator('#aces tbody tr').nth(0).getAttribute('class'), /ace-deny/);
  assert.match(await page.locator('#aces tbody tr').nth(2).innerText(), /not reached/);
  const rows = await text('#ace-trace');
  assert.match(rows, /ace/i);
  assert.match(rows, /deny/);
  await page.locator('#access-panel').screenshot({ path: join(SHOTS, 'playground-access.png') });
});

await test('access check of a whoami /all capture', async () => {
  const who = await readFile(join(here, '..', '..', 'tests', 'data', 'whoami', 'domain_user_list.txt'), 'utf8');
  await page.fill('#whoami', who);
  await page.fill('#sddl', 'O:BAG:SYD:(A;;FA;;;BA)(A;;0x1200a9;;;BU)');
  await page.fill('#desired', 'FILE_READ_DATA');
  await page.click('#access-btn');
  await page.waitForFunction(() => /GRANTED|DENIED/.test(document.getElementById('access-verdict').innerText));
  assert.match(await text('#access-verdict'), /GRANTED/);
  assert.match(await text('#access-verdict'), /ortega|S-1-5-21-3623811015-3361044348-30300820-1107/i);
});

await test('policy what-if: giving IIS_IUSRS SeImpersonatePrivilege back fixes the request', async () => {
  await page.selectOption('#right', 'SeImpersonatePrivilege');
  await page.fill('#whatif-remove', '');
  await page.fill('#whatif-add', 'BUILTIN\\IIS_IUSRS');
  await page.click('#whatif-btn');
  const row = page.locator('#whatif-result tr[data-step=request]');
  await row.waitFor();
  assert.match(await row.getAttribute('class'), /changed/);
  assert.match(await row.locator('td').nth(1).innerText(), /HTTP 500/);
  assert.match(await row.locator('td').nth(2).innerText(), /HTTP 200/);
});

await test('policy what-if: removing IIS_IUSRS from SeImpersonatePrivilege breaks a working pool', async () => {
  const idx = await page.evaluate(() => window.TOKSIM_SCENARIOS.findIndex((s) => s.name === 'iis-unc-content'));
  assert.ok(idx >= 0, 'scenario iis-unc-content shipped');
  await page.selectOption('#scenario-select', String(idx));
  await page.fill('#whatif-remove', 'BUILTIN\\IIS_IUSRS');
  await page.fill('#whatif-add', '');
  await page.click('#whatif-btn');
  await page.waitForFunction(() => /step outcome/.test(document.getElementById('whatif-holders').innerText));
  assert.match(await text('#whatif-holders'), /IIS_IUSRS/);
  assert.ok(await page.locator('#whatif-result tr.changed').count() >= 1, 'some outcome changed');
  await page.screenshot({ path: join(SHOTS, 'playground.png'), fullPage: true });
});

await test('policy what-if: an unknown holder is reported', async () => {
  await page.fill('#whatif-remove', 'CONTOSO\\nobody-here');
  await page.click('#whatif-btn');
  await page.waitForSelector('#whatif-error:not([hidden])');
  assert.match(await text('#whatif-error'), /nobody-here/);
});

await test('no script errors', async () => {
  assert.deepEqual(consoleErrors, []);
});

await browser.close();
server.close();
console.log(`web tests: ${n - failed}/${n} passed; screenshots in build/web/`);
process.exit(failed ? 1 : 0);
