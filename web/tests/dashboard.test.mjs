// End-to-end tests of the dashboard in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) against the real system: simulator + pnode-analytics serve.
// Every page must render real data from the simulated network (addresses 127.1.x.x)
// without console errors; a new collector cycle must reach an open page without a
// reload. A screenshot of each page goes to build/screenshots/<page>.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ADMIN_TOKEN, get, repoRoot, startSystem } from './system.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(repoRoot, 'build', 'screenshots');
const SIM_ADDRESS = /^127\.1\.\d+\.\d+:\d+$/;

let system;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  system = await startSystem({ log: (m) => console.log(m) });
  console.log(`dashboard and API at ${system.baseURL} (pnode-analytics serve, WEB_ROOT=web/dist, live feed on /ws/pnodes)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

/** A fresh page that records console errors and uncaught exceptions. */
async function openPage({ width = 1360, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    errors.push(`console: ${m.text()} (${m.location()?.url ?? ''})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  // Everything the page loads must come from the system under test, on loopback.
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1') return route.continue();
    errors.push(`request outside loopback blocked: ${u.href}`);
    return route.abort();
  });
  return { page, context, errors };
}

async function visit(page, hash) {
  await page.goto(`${system.baseURL}/${hash}`, { waitUntil: 'domcontentloaded' });
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

function assertNoErrors(errors) {
  assert.deepEqual(errors, [], `browser errors:\n${errors.join('\n')}`);
}

/** Texts of the elements matching selector. */
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent?.trim() ?? ''));

// One bound for the whole suite (Node 18's runner has no --test-timeout flag).
describe('dashboard', { timeout: 10 * 60_000 }, () => {
  test('server answers API clients with JSON on GET /', async () => {
    const r = await get(`${system.apiURL}/`, { Accept: 'application/json' });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).api_name, 'Xandeum PNode Analytics API');
  });

  test('network page shows the summary, health and history charts', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/network');
    await page.waitForSelector('#card-online .card-value');
    const online = Number((await page.textContent('#card-online .card-value')).replace(/,/g, ''));
    const api = JSON.parse((await get(`${system.apiURL}/pnodes?limit=1`)).body);
    assert.ok(online > 0, 'pods online is a positive count');
    assert.ok(Math.abs(online - api.summary.online_pnodes) <= 20, `online ${online} close to the API's ${api.summary.online_pnodes}`);
    assert.match(await page.textContent('#card-committed .card-value'), /\d(\.\d)? (GB|TB|PB)$/);
    await page.waitForSelector('#health-score .gauge-value');
    assert.match(await page.textContent('#health-status'), /healthy|fair|degraded|critical/);
    assert.equal((await page.$$('.factors .factor')).length, 4, 'four health factors');
    await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 3);
    const top = await texts(page, '.top-list a.mono');
    assert.ok(top.length >= 1 && top.every((a) => /^127\.1\./.test(a)), `top nodes are simulated pods: ${top}`);
    await page.waitForTimeout(300);
    await shoot(page, 'network');
    assertNoErrors(errors);
    await context.close();
  });

  test('nodes page lists every pod; search, filter, sort and CSV export work', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/nodes');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."]');
    const keys = await page.$$eval('table.data tbody tr[data-key]', (rows) => rows.map((r) => r.dataset.key));
    assert.equal(keys.length, 25, 'first page holds 25 rows');
    assert.ok(keys.every((k) => SIM_ADDRESS.test(k)));
    await shoot(page, 'nodes');

    // Sort by uptime ascending: the rows' uptimes are non-decreasing.
    await page.click('th button[data-sort="uptime"]');
    await page.click('th button[data-sort="uptime"]');
    assert.match(page.url(), /sort=uptime&dir=asc/);

    // Search one address: exactly that row remains.
    const target = keys[3];
    await page.fill('#node-search', target);
    await page.waitForFunction((t) => {
      const rows = document.querySelectorAll('table.data tbody tr[data-key]');
      return rows.length === 1 && rows[0].getAttribute('data-key') === t;
    }, target);

    // Filter by status offline + the search: nothing or only offline rows.
    await page.fill('#node-search', '');
    await page.selectOption('select[name="status"]', 'online');
    await page.waitForFunction(() => [...document.querySelectorAll('table.data tbody tr[data-key] .dot')].every((d) => d.classList.contains('on')));

    // CSV export of the filtered rows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    assert.match(lines[0], /Address/);
    const shown = Number((await page.textContent('#nodes-count')).match(/^([\d,]+) shown/)[1].replace(/,/g, ''));
    assert.equal(lines.length - 1, shown, 'one CSV line per filtered node');
    assert.ok(lines.slice(1).every((l) => /127\.1\.\d+\.\d+:\d+/.test(l)));
    assertNoErrors(errors);
    await context.close();
  });

  test('node page explains the scores and shows alerts, consistency and history', async () => {
    const list = JSON.parse((await get(`${system.apiURL}/pnodes?limit=1&sort_by=score`)).body);
    const address = list.pnodes[0].address;
    const { page, context, errors } = await openPage();
    await visit(page, `#/node/${encodeURIComponent(address)}`);
    await page.waitForSelector('#node-address');
    assert.equal(await page.textContent('#node-address'), address);
    await page.waitForSelector('.score-formula');
    assert.equal((await page.$$('#score-v1 ~ .factors .factor')).length, 7, 'four trust and three capacity factors');
    assert.equal((await page.$$('#score-v2 .factor')).length, 12, 'the twelve factors of score v2');
    await page.waitForSelector('#node-alerts, section .ok');
    await page.waitForSelector('#consistency-score');
    await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 3);
    await page.waitForSelector('#availability');
    await page.waitForTimeout(300);
    await shoot(page, 'node');
    assertNoErrors(errors);
    await context.close();
  });

  test('node page shows what is measured from outside: reachability, credits and location', async () => {
    // Probe results join the snapshot after the probe round: wait for a public pod that answered.
    let pod = null;
    let privatePod = null;
    const end = Date.now() + 60_000;
    while (!pod && Date.now() < end) {
      const nodes = JSON.parse((await get(`${system.apiURL}/pnodes?status=online&limit=1000`)).body).pnodes;
      pod = nodes.find((n) => n.is_public && n.probe?.reachable) ?? null;
      privatePod = nodes.find((n) => !n.is_public && !n.probe) ?? null;
      if (!pod) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(pod, 'a public pod answered the prober within 60 s');
    const { page, context, errors } = await openPage();
    // The latency chart is held to the very answer the page drew it from (the page reloads it each cycle).
    let probesBody = null;
    page.on('response', async (r) => {
      if (/\/pnodes\/[^/]+\/probes\?/.test(r.url()) && r.ok()) probesBody = await r.json();
    });
    await visit(page, `#/node/${encodeURIComponent(pod.address)}`);
    await page.waitForSelector('#reach-latency');
    assert.match(await page.textContent('#reach-gossip'), /online in gossip/);
    assert.match(await page.textContent('#reach-status'), /answers when asked/);
    assert.match(await page.textContent('#reach-latency'), /^connect [\d.,]+ ms · total [\d.,]+ ms$/);
    if (pod.probe.stats) assert.match(await page.textContent('#node-reach'), /CPU.*RAM.*Active streams/, 'the get-stats fields are shown');

    // Credits: the page states the same standing as the API.
    await page.waitForSelector('#node-credits dl, #node-credits p');
    const credits = JSON.parse((await get(`${system.apiURL}/pnodes/${encodeURIComponent(pod.address)}/credits`)).body);
    const creditsText = await page.textContent('#node-credits');
    if (credits.listed) {
      if (credits.eligible) assert.match(creditsText, /^Pod credits(?!.*not eligible).*eligible on (mainnet|devnet|both)/);
      else assert.match(creditsText, /not eligible/);
      assert.ok(creditsText.includes(credits.network), `network ${credits.network} shown: ${creditsText}`);
      assert.doesNotMatch(creditsText, /not configured/);
    } else {
      assert.match(creditsText, /not listed/);
    }

    // Location: simulated pods live on loopback, so they are "local".
    await page.waitForSelector('#location-reach');
    assert.match(await page.textContent('#location-reach'), /^local\b/);
    // Availability from probes: the shares the API states, and the sessions drawn.
    const availability = JSON.parse((await get(`${system.apiURL}/pnodes/${encodeURIComponent(pod.address)}/availability?hours=168`)).body);
    // The round that answered was recorded (sessions) before it joined the snapshot.
    assert.ok(availability.sessions.length >= 1, 'a pod that answered a probe has a session');
    await page.waitForSelector('#availability-shares');
    const shares = await page.textContent('#availability-shares');
    assert.match(shares, /^answered .* \(24 h\) · .* \(7 d\) · .* \(30 d\)$/);
    if (availability.uptime['24h'] === 1) assert.match(shares, /^answered 100\.00 ?% \(24 h\)/);
    assert.ok((await page.$$('#availability-strip span.avail-up')).length >= 1, 'an up session is drawn for a pod that answered');
    // Latency over time: one drawn point per bucket where something answered; where nothing
    // did the API says null and the chart leaves a gap (a zero would be a point).
    await page.waitForSelector('#node-latency .chart[data-points] canvas');
    assert.match(await page.textContent('#latency-summary'), /^\d+ of \d+ probes answered · mean [\d.,]+ ms · p95 /);
    let drawn = null;
    let expected = null;
    for (const end = Date.now() + 10_000; Date.now() < end; await page.waitForTimeout(200)) {
      drawn = await page.getAttribute('#node-latency .chart', 'data-points');
      const buckets = probesBody?.buckets ?? [];
      expected = [buckets.filter((b) => b.latency_mean_ms !== null).length, buckets.filter((b) => b.latency_p95_ms !== null).length].join(',');
      if (drawn === expected) break;
    }
    assert.equal(drawn, expected, 'mean and p95 points drawn = the API buckets with a latency');
    assert.ok(probesBody.overall.answered >= 1 && Number(expected.split(',')[0]) >= 1, 'a pod that answered has a latency point');
    assert.ok(probesBody.buckets.every((b) => b.answered > 0 || b.latency_mean_ms === null), 'no latency where nothing answered');
    assert.ok(Number(expected.split(',')[0]) < probesBody.buckets.length, 'a fresh system has buckets without answers: gaps, not zeros');
    await shoot(page, 'node-measured');

    // A private pod is never asked: "not probed", still apart from its gossip status.
    if (privatePod) {
      await visit(page, `#/node/${encodeURIComponent(privatePod.address)}`);
      await page.waitForFunction(() => /not probed/.test(document.querySelector('#reach-status')?.textContent ?? ''));
      assert.match(await page.textContent('#reach-gossip'), /^Gossip: /);
    }

    // The network page has one line of probe coverage.
    await visit(page, '#/network');
    await page.waitForFunction(() => /probed \d+ of \d+ public pods, \d+ answered/.test(document.querySelector('#probe-coverage')?.textContent ?? ''));
    assertNoErrors(errors);
    await context.close();
  });

  test('node page says when credits or geography are off (503), and the network page hides coverage', async () => {
    const address = JSON.parse((await get(`${system.apiURL}/pnodes?limit=1`)).body).pnodes[0].address;
    const { page, context, errors } = await openPage();
    // A server without credits sources, location database or prober answers these routes 503.
    const off = (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"jsonrpc":"2.0","error":{"code":-32603,"message":"off"},"id":null}' });
    await page.route(/\/pnodes\/[^/]+\/(credits|location)$/, off);
    await page.route(/\/network\/probe$/, off);
    await page.route(/\/network\/concentration(\?|$)/, off);
    await visit(page, `#/node/${encodeURIComponent(address)}`);
    await page.waitForFunction(() => /not configured/.test(document.querySelector('#node-credits')?.textContent ?? ''));
    await page.waitForFunction(() => /Geography is off/.test(document.querySelector('#node-location')?.textContent ?? ''));
    await visit(page, '#/network');
    await page.waitForSelector('#card-online .card-value');
    await page.waitForTimeout(500);
    assert.equal(await page.isVisible('#probe-coverage'), false, 'no coverage line without /network/probe');
    assert.equal(await page.isVisible('#concentration'), false, 'no concentration section without geography');
    // The browser logs each 503 answer as a console error: only those are expected.
    assertNoErrors(errors.filter((e) => !/status of 503/.test(e)));
    await context.close();
  });

  test('network page shows the concentration: local-only on loopback, a dominant AS and its warning when stubbed', async () => {
    const concentration = async () => JSON.parse((await get(`${system.apiURL}/network/concentration?limit=5`)).body);
    const before = await concentration();
    assert.equal(before.located, 0, 'the simulated pods live on loopback: none is located');
    const { page, context, errors } = await openPage();
    await visit(page, '#/network');
    await page.waitForSelector('#concentration-local');
    const sentence = await page.textContent('#concentration-local');
    const after = await concentration();
    const m = /^All (\d+) online nodes are on local addresses: nothing to locate\.$/.exec(sentence);
    assert.ok(m, `local-only sentence: ${sentence}`);
    assert.ok([before.online_nodes, after.online_nodes].includes(Number(m[1])), `count ${m[1]} is the API's online_nodes (${before.online_nodes}/${after.online_nodes})`);
    assert.ok(before.online_nodes > 0);
    assertNoErrors(errors);
    await context.close();

    // A located network with one AS above the max share; its name must come out as text.
    const holder = (key, name, pods, share, dominant) => ({ key, name, pods, storage: pods * 1e12, pod_share: share, storage_share: share, dominant });
    const message = 'AS64500 <b>Example</b> Hosting holds 75% of the online pods';
    const body = {
      online_nodes: 4, located: 4, unlocated: 0, max_share: 1 / 3,
      countries: { pod_hhi: 0.625, storage_hhi: 0.625, holder_count: 2, holders: [holder('DE', '', 3, 0.75, true), holder('FR', '', 1, 0.25, false)] },
      asns: { pod_hhi: 0.625, storage_hhi: 0.625, holder_count: 2, holders: [holder('AS64500', '<b>Example</b> Hosting', 3, 0.75, true), holder('AS64501', 'Other', 1, 0.25, false)] },
      warnings: [{ dimension: 'asn', key: 'AS64500', name: '<b>Example</b> Hosting', pod_share: 0.75, storage_share: 0.75, message }],
      database: { vendor: 'IPFire', created_at: 1764892800 }, timestamp: 1764979200,
    };
    const stubbed = await openPage();
    await stubbed.page.route(/\/network\/concentration(\?|$)/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await visit(stubbed.page, '#/network');
    await stubbed.page.waitForSelector('#concentration-asns tbody tr');
    const rows = await texts(stubbed.page, '#concentration-asns tbody tr');
    assert.match(rows[0], /^AS64500 <b>Example<\/b> Hosting dominant\s*3\s*75\.0%\s*75\.0%$/);
    assert.equal(await stubbed.page.$$eval('#concentration b', (els) => els.length), 0, 'holder names are escaped');
    assert.deepEqual(await texts(stubbed.page, '#concentration-warnings li'), [`warning ${message}`]);
    assert.match(await stubbed.page.textContent('#concentration'), /Herfindahl index 0\.625 by pods/);
    assert.equal(await stubbed.page.isVisible('#concentration-local'), false);
    await shoot(stubbed.page, 'network-concentration');
    assertNoErrors(stubbed.errors);
    await stubbed.context.close();
  });

  test('score v2 is shown beside the reference score: nodes table, node page breakdown, stakers', async () => {
    // Wait for a snapshot scored with a probe round: a public pod that answered, and a private one.
    let pod = null;
    let privatePod = null;
    const end = Date.now() + 60_000;
    while (!(pod && privatePod) && Date.now() < end) {
      const nodes = JSON.parse((await get(`${system.apiURL}/pnodes?status=online&limit=1000`)).body).pnodes;
      pod = nodes.find((n) => n.is_public && n.probe?.reachable) ?? null;
      privatePod = nodes.find((n) => !n.is_public) ?? null;
      if (!(pod && privatePod)) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(pod && privatePod, 'a public pod answered the prober and a private pod is online');
    const { page, context, errors } = await openPage();

    // The nodes table sorts by score v2 by default, best first; v1 keeps its column.
    await visit(page, '#/nodes?status=online');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."] .score-v2');
    const v2 = (await texts(page, 'table.data tbody tr[data-key] .score-v2')).map(Number);
    assert.ok(v2.length > 1 && v2.every((s, i) => Number.isFinite(s) && (i === 0 || s <= v2[i - 1])), `score v2 column, descending: ${v2.slice(0, 5)}`);
    assert.ok((await page.$$('table.data tbody tr[data-key] .badge.score')).length > 0, 'the reference score is still shown');

    // The node page's breakdown: measured reachability counts for the public pod ...
    await visit(page, `#/node/${encodeURIComponent(pod.address)}`);
    await page.waitForSelector('#score-v2 .factor[data-factor="reachability"] .bar');
    assert.match(await page.textContent('#score-v2-known'), /of 100 points known/);
    assert.match(await page.textContent('#score-v2 .big-score'), /^\d+\.\d$/);
    // ... and is unknown (left out, not zero) for the private one.
    await visit(page, `#/node/${encodeURIComponent(privatePod.address)}`);
    await page.waitForSelector('#score-v2 .factor[data-factor="reachability"]');
    assert.match(await page.textContent('#score-v2 .factor[data-factor="reachability"]'), /unknown — not counted/);
    assert.match(await page.textContent('#score-v2-known'), /unknown, left out: reachability/);

    // The stakers page: each recommendation and the comparison carry score v2.
    await visit(page, '#/stakers');
    await page.waitForSelector('#recommendations li.rec .score-v2');
    const recs = await page.$$eval('#recommendations li.rec', (els) => els.map((e) => e.dataset.address));
    assert.match(await page.textContent('#recommendations li.rec:first-child .score-v2'), /^\d+\.\d$/);
    await page.check(`#recommendations li.rec[data-address="${recs[0]}"] input[type=checkbox]`);
    await page.check(`#recommendations li.rec[data-address="${recs[1]}"] input[type=checkbox]`);
    await page.waitForSelector('#compare table.compare-table');
    assert.ok((await texts(page, '#compare tbody th')).includes('Score v2'));
    await shoot(page, 'score-v2');
    assertNoErrors(errors);
    await context.close();
  });

  test('node page shows the alert timeline from /alerts/history, newest first', async () => {
    // Alerts fire after their `for` (2 cycles): wait for a node with some.
    let first = null;
    const end = Date.now() + 60_000;
    while (!first && Date.now() < end) {
      first = JSON.parse((await get(`${system.apiURL}/alerts/history?limit=1`)).body).events[0] ?? null;
      if (!first) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(first, 'an alert fired in the simulated network within 60 s');
    const address = first.address;
    const { page, context, errors } = await openPage();
    await visit(page, `#/node/${encodeURIComponent(address)}`);
    await page.waitForSelector('#alert-timeline li');
    const items = await page.$$eval('#alert-timeline li', (els) => els.map((e) => ({ type: e.dataset.event, text: e.textContent ?? '' })));
    const history = JSON.parse((await get(`${system.apiURL}/alerts/history?limit=1000&node=${encodeURIComponent(address)}`)).body).events;
    assert.ok(items.length >= 1 && items.length <= history.length, `${items.length} timeline items, ${history.length} events`);
    // Newest first: while all fit (50), the page's last item is the node's oldest event, the one found above.
    if (items.length < 50) {
      assert.equal(items.at(-1).type, first.type);
      assert.ok(items.at(-1).text.includes(first.data.rule), `oldest item names ${first.data.rule}: ${items.at(-1).text}`);
    }
    assert.ok(items.every((i) => i.type === 'alert_firing' || i.type === 'alert_resolved'));
    await shoot(page, 'node-alert-timeline');
    assertNoErrors(errors);
    await context.close();
  });

  test('stakers page filters by measured availability and reward eligibility', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/stakers?min_uptime_7d=0.9&eligible=true');
    await page.waitForFunction(() => /also pass the measured filters/.test(document.querySelector('#stakers-note')?.textContent ?? ''));
    const shown = await page.$$eval('#recommendations li.rec', (els) => els.map((e) => e.dataset.address));
    const avail = JSON.parse((await get(`${system.apiURL}/network/availability`)).body).nodes;
    const by = new Map(avail.map((n) => [n.address, n]));
    const passes = (a) => by.get(a)?.eligible === true && (by.get(a)?.uptime_7d ?? -1) >= 0.9;
    for (const a of shown) assert.ok(passes(a), `${a} is shown but fails the measured filters`);
    // The filter matters here: some of the unfiltered top nodes fail it.
    const top = JSON.parse((await get(`${system.apiURL}/recommendations?min_uptime_days=1&limit=50`)).body).recommendations;
    assert.ok(top.some((r) => !passes(r.address)), 'every top node passes: the test would prove nothing');
    assert.ok(top.every((r) => shown.includes(r.address) || !passes(r.address) || shown.length === 20),
      'a node that passes is missing from the filtered list');
    assertNoErrors(errors);
    await context.close();
  });

  test('stakers page ranks nodes with reasons and compares them side by side', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/stakers');
    await page.waitForSelector('#recommendations li.rec');
    const recs = await page.$$eval('#recommendations li.rec', (els) => els.map((e) => e.dataset.address));
    assert.ok(recs.length >= 2 && recs.every((a) => SIM_ADDRESS.test(a)));
    assert.ok((await page.$$('#recommendations li.rec:first-child .reasons li')).length >= 3, 'reasons are listed');
    await page.check(`#recommendations li.rec[data-address="${recs[0]}"] input[type=checkbox]`);
    await page.check(`#recommendations li.rec[data-address="${recs[1]}"] input[type=checkbox]`);
    await page.waitForSelector('#compare table.compare-table');
    const heads = await texts(page, '#compare thead th a');
    assert.deepEqual(heads, [recs[0], recs[1]]);
    assert.match(await page.textContent('#compare .verdict'), /Recommended: 127\.1\./);
    await shoot(page, 'stakers');
    assertNoErrors(errors);
    await context.close();
  });

  test('operators page finds an operator by pubkey with its nodes and totals', async () => {
    const list = JSON.parse((await get(`${system.apiURL}/operators?limit=1`)).body);
    const pubkey = list.operators[0].pubkey;
    const { page, context, errors } = await openPage();
    await visit(page, '#/operators');
    await page.waitForSelector('table.data tbody tr[data-key]');
    await page.fill('#pubkey-input', pubkey);
    await page.press('#pubkey-input', 'Enter');
    await page.waitForSelector('#operator-nodes .card-value');
    assert.equal(Number(await page.textContent('#operator-nodes .card-value')), list.operators[0].node_count);
    const rows = await page.$$eval('#operator ~ section table.data tbody tr[data-key]', (r) => r.map((x) => x.dataset.key));
    if (list.operators[0].node_count <= 25) assert.deepEqual([...rows].sort(), [...list.operators[0].addresses].sort());
    else assert.equal(rows.length, 25);
    await page.waitForSelector('.alert-list, section .ok');
    await shoot(page, 'operators');
    assertNoErrors(errors);
    await context.close();
  });

  test('alerts page lists active alerts and filters them by severity', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/alerts');
    await page.waitForSelector('#alerts-total .card-value');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."]');
    const total = Number((await page.textContent('#alerts-total .card-value')).replace(/,/g, ''));
    assert.ok(total > 0, 'the simulated network has alerts');
    await shoot(page, 'alerts');
    await page.selectOption('select[name="severity"]', 'warning');
    await page.waitForFunction(() => {
      const badges = [...document.querySelectorAll('table.data tbody tr[data-key] .badge')];
      return badges.length > 0 && badges.every((b) => b.textContent === 'warning');
    });
    assert.match(page.url(), /severity=warning/);
    assertNoErrors(errors);
    await context.close();
  });

  test('alerts page: without a token no mutation is sent and the page says one is needed; a wrong one is refused', async () => {
    const { page, context, errors } = await openPage();
    const mutations = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') mutations.push(`${r.method()} ${r.url()}`);
    });
    await visit(page, '#/alerts');
    await page.waitForSelector('#silence-form');
    assert.match(await page.textContent('#admin-token-state'), /No token/);
    await page.fill('#silence-address', '127.1.0.1:9001');
    await page.fill('#silence-comment', 'no token');
    await page.click('#silence-add');
    await page.waitForFunction(() => /admin token is needed/.test(document.querySelector('#admin-message')?.textContent ?? ''));
    // Acknowledge without a token: no form opens, nothing is sent.
    await page.waitForSelector('#alert-states li, #alert-states-empty');
    const ack = await page.$('#alert-states li[data-state="firing"] button.ack');
    if (ack) {
      await page.evaluate(() => (document.querySelector('#admin-message').textContent = ''));
      await ack.click();
      await page.waitForFunction(() => /admin token is needed/.test(document.querySelector('#admin-message')?.textContent ?? ''));
      assert.equal(await page.$('#ack-send'), null, 'no acknowledgement form without a token');
    }
    await page.waitForTimeout(300);
    assert.deepEqual(mutations, [], 'no request is sent without a token');
    // A wrong token is sent, refused (401) and explained.
    await page.fill('#admin-token', 'not-the-token');
    await page.click('#silence-add');
    await page.waitForFunction(() => /refused the admin token \(401\)/.test(document.querySelector('#admin-message')?.textContent ?? ''));
    assert.equal(mutations.length, 1);
    await shoot(page, 'alerts-no-token');
    assertNoErrors(errors.filter((e) => !/status of 401/.test(e)));
    await context.close();
  });

  test('alerts page adds a silence (POST with the token) and removes it (DELETE)', async () => {
    const address = JSON.parse((await get(`${system.apiURL}/pnodes?limit=1`)).body).pnodes[0].address;
    const { page, context, errors } = await openPage();
    await visit(page, '#/alerts');
    await page.waitForSelector('#silence-form');
    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.fill('#admin-author', 'e2e');
    await page.fill('#silence-address', address);
    await page.selectOption('select[name="silence-rule"]', 'offline');
    await page.fill('#silence-duration', '1h');
    await page.fill('#silence-comment', 'maintenance <b>window</b>');
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/silences'),
      page.click('#silence-add'),
    ]);
    assert.equal(post.headers().authorization, `Bearer ${ADMIN_TOKEN}`);
    assert.deepEqual(post.postDataJSON(), { address, rule: 'offline', duration: '1h', comment: 'maintenance <b>window</b>', author: 'e2e' });
    const created = await post.response();
    assert.equal(created.status(), 201);
    const id = (await created.json()).id;
    await page.waitForSelector(`#silences li[data-id="${id}"]`);
    // API text is shown as text, never parsed as markup.
    assert.ok((await page.textContent(`#silences li[data-id="${id}"]`)).includes('maintenance <b>window</b>'));
    assert.equal(await page.$(`#silences li[data-id="${id}"] b`), null);
    assert.ok(JSON.parse((await get(`${system.apiURL}/silences`)).body).silences.some((s) => s.id === id));
    // The token lives in sessionStorage only: not in localStorage, not in the URL.
    const stored = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: Object.values(localStorage) }));
    assert.ok(stored.session.includes(ADMIN_TOKEN));
    assert.ok(!stored.local.some((v) => v.includes(ADMIN_TOKEN)), 'not in localStorage');
    assert.ok(!page.url().includes(ADMIN_TOKEN), 'not in the URL');
    await shoot(page, 'alerts-silence');

    const [del] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'DELETE'),
      page.click(`#silences li[data-id="${id}"] button.remove`),
    ]);
    assert.equal(new URL(del.url()).pathname, `/silences/${id}`);
    assert.equal(del.headers().authorization, `Bearer ${ADMIN_TOKEN}`);
    assert.equal((await del.response()).status(), 200);
    await page.waitForSelector(`#silences li[data-id="${id}"]`, { state: 'detached' });
    assert.ok(!JSON.parse((await get(`${system.apiURL}/silences`)).body).silences.some((s) => s.id === id));
    assertNoErrors(errors);
    await context.close();
  });

  test('alerts page acknowledges a firing alert with POST /alerts/ack and the token', async () => {
    let firing = [];
    const end = Date.now() + 60_000;
    while (!firing.length && Date.now() < end) {
      firing = JSON.parse((await get(`${system.apiURL}/alerts/active?state=firing`)).body).alerts.filter((a) => !a.acknowledgement);
      if (!firing.length) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(firing.length, 'an alert fires in the simulated network within 60 s');
    const { page, context, errors } = await openPage();
    await visit(page, '#/alerts');
    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.fill('#admin-author', 'e2e');
    const item = '#alert-states li[data-state="firing"]:has(button.ack)';
    await page.waitForSelector(item);
    const target = await page.$eval(item, (li) => ({ rule: li.dataset.rule, address: li.dataset.address }));
    await page.click(`${item} button.ack`);
    await page.fill('#ack-comment', 'on it');
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/alerts/ack'),
      page.click('#ack-send'),
    ]);
    assert.equal(post.headers().authorization, `Bearer ${ADMIN_TOKEN}`);
    assert.deepEqual(post.postDataJSON(), { ...target, author: 'e2e', comment: 'on it' });
    assert.equal((await post.response()).status(), 200);
    await page.waitForFunction((t) => [...document.querySelectorAll('#alert-states li')]
      .some((li) => li.dataset.rule === t.rule && li.dataset.address === t.address && /acknowledged by e2e: on it/.test(li.textContent ?? '')), target);
    const states = JSON.parse((await get(`${system.apiURL}/alerts/active?state=firing&rule=${target.rule}&node=${encodeURIComponent(target.address)}`)).body).alerts;
    if (states.length) assert.equal(states[0].acknowledgement?.author, 'e2e'); // unless it resolved meanwhile (churn)
    await shoot(page, 'alerts-acknowledged');
    assertNoErrors(errors);
    await context.close();
  });

  test('topology page shows which seeds see which pods', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/topology');
    await page.waitForSelector('#seed-table tbody tr');
    assert.equal((await page.$$('#seed-table tbody tr')).length, 9, 'nine seeds');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."]');
    assert.ok((await page.$$('table.data tbody tr[data-key] .cell.on')).length > 0, 'the matrix marks seed → pod listings');
    await shoot(page, 'topology');
    assertNoErrors(errors);
    await context.close();
  });

  test('developers page documents the API and sends live requests', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/developers');
    await page.waitForSelector('.api-op');
    assert.ok((await page.$$('.api-op')).length >= 15, 'every route is documented');
    assert.match(await page.textContent('#api-source'), /from \/openapi\.json/, 'the reference is the server\'s own description');
    await page.waitForSelector('#explorer');
    await page.click('#explorer-send');
    await page.waitForSelector('#explorer-status');
    assert.match(await page.textContent('#explorer-status'), /^200/);
    assert.match(await page.textContent('#explorer-body'), /"address": "127\.1\./);
    await shoot(page, 'developers');
    assertNoErrors(errors);
    await context.close();
  });

  test('a new cycle reaches an open page without a reload', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/nodes');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."]');
    await page.waitForFunction(() => Number(document.querySelector('#freshness')?.dataset.lastUpdated) > 0);
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    const before = await page.evaluate(() => ({
      lastUpdated: Number(document.querySelector('#freshness').dataset.lastUpdated),
      applied: window.pnodeDashboard.snapshotsApplied,
    }));
    // CACHE_TTL is 2 s: the WebSocket delivers the next cycle within seconds.
    await page.waitForFunction((b) => Number(document.querySelector('#freshness').dataset.lastUpdated) > b.lastUpdated && window.pnodeDashboard.snapshotsApplied > b.applied, before, { timeout: 40_000 });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    assert.match(await page.textContent('#freshness'), /updated (just now|\d+s ago)/);
    assert.equal(await page.getAttribute('#live', 'data-mode'), 'live');
    assert.match(await page.textContent('#cycle'), /^cycle \d+$/);
    assert.ok((await page.$$('table.data tbody tr[data-key^="127.1."]')).length > 0, 'the table still shows pods');
    assertNoErrors(errors);
    await context.close();
  });

  test('risk and tier badges explain themselves on hover and on tap', async () => {
    const recs = JSON.parse((await get(`${system.apiURL}/recommendations?min_uptime_days=1&limit=20`)).body).recommendations;
    assert.ok(recs.length >= 1 && Array.isArray(recs[0].risk_factors), 'the API says which factors cost points');
    const { page, context, errors } = await openPage();
    await visit(page, '#/stakers');
    const badge = `#recommendations li.rec[data-address="${recs[0].address}"] .rec-head .badge.explain:not(.score)`;
    await page.waitForSelector(badge);
    // Hover: the title holds the rule and the largest factors, as the API lists them.
    const title = await page.getAttribute(badge, 'title');
    assert.match(title, /^(Low|Medium|High) risk: score [\d.]+ (is 80 or more|is between 60 and 80|is below 60)/);
    const top = recs[0].risk_factors[0];
    if (top) assert.ok(title.includes(top.factor.replace(/_/g, ' ')), `the title names ${top.factor}: ${title}`);
    // Tap (a click on a touch screen): a popover with the same explanation, closed by Escape.
    await page.click(badge);
    await page.waitForSelector('#explain-pop:not([hidden])');
    assert.equal(await page.getAttribute(badge, 'aria-expanded'), 'true');
    const popped = await page.textContent('#explain-pop');
    assert.match(popped, /risk: score/);
    if (top) assert.ok(popped.includes(top.factor.replace(/_/g, ' ')));
    await shoot(page, 'badge-explained');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#explain-pop', { state: 'hidden' });
    // The nodes table: every score badge explains itself too.
    await visit(page, '#/nodes');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."] .badge.explain');
    const titles = await page.$$eval('table.data tbody tr[data-key] td .badge.score', (els) => els.map((e) => e.getAttribute('title') ?? ''));
    assert.ok(titles.length > 0 && titles.every((t) => /^(Low risk|Medium risk|High risk|Offline|Unknown):/.test(t)), `explained score badges: ${titles.slice(0, 3)}`);
    assertNoErrors(errors);
    await context.close();
  });

  test('a pre-release is labelled as one wherever versions are shown, and never as the latest', async () => {
    const all = JSON.parse((await get(`${system.apiURL}/pnodes?status=online&limit=1000`)).body).pnodes;
    const pre = all.find((n) => /^\d+\.\d+(\.\d+)?-./.test(n.version));
    assert.ok(pre, 'the simulated network runs trynet builds');
    const analytics = JSON.parse((await get(`${system.apiURL}/network/analytics`)).body);
    assert.doesNotMatch(analytics.version_analysis.latest_version, /-/, 'the API never calls a pre-release the latest');
    const { page, context, errors } = await openPage();
    await visit(page, `#/nodes?version=${encodeURIComponent(pre.version)}`);
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."] .badge.prerelease');
    assert.match(await page.textContent('select[name="version"] option:checked'), /\(pre-release\)$/);
    await visit(page, `#/node/${encodeURIComponent(pre.address)}`);
    await page.waitForSelector('#node-version .badge.prerelease');
    assert.match(await page.textContent('#node-version .card-sub'), /pre-release/);
    await visit(page, '#/network');
    await page.waitForSelector('.dist-row .badge.prerelease');
    await page.waitForSelector('#card-latest .card-value');
    assert.equal(await page.$('#card-latest .badge.prerelease'), null, 'the latest release is not a pre-release');
    assert.match(await page.textContent('#card-latest .card-label'), /Latest release/);
    assertNoErrors(errors);
    await context.close();
  });

  test('network headline storage and the storage chart share one definition (online pods)', async () => {
    const { page, context, errors } = await openPage();
    await visit(page, '#/network');
    await page.waitForSelector('#card-committed .card-value');
    const stats = JSON.parse((await get(`${system.apiURL}/pnodes?limit=1`)).body).network_stats;
    const online = stats.online_storage_committed;
    assert.equal(typeof online, 'number');
    // The headline is the online pods' sum (within a cycle of churn), not the all-nodes total.
    const [, value, unit] = (await page.textContent('#card-committed .card-value')).match(/^([\d.]+) (B|KB|MB|GB|TB|PB)$/);
    const shown = Number(value) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB', 'PB'].indexOf(unit);
    assert.ok(Math.abs(shown - online) <= 0.1 * online, `headline ${value} ${unit} is the online pods' ${online} B`);
    assert.match(await page.textContent('#card-committed .card-sub'), /online pods, as charted below/);
    // The newest history row (what the storage chart draws) sums the same nodes.
    const hist = JSON.parse((await get(`${system.apiURL}/network/history?hours=1`)).body).history;
    const last = hist[hist.length - 1];
    assert.ok(last && Math.abs(last.total_storage_committed - online) <= 0.1 * online,
      `latest history row ${last?.total_storage_committed} vs the online headline ${online}`);
    const captions = await texts(page, '.chart figcaption');
    assert.ok(captions.some((c) => /Storage of online pods/.test(c)), `chart titles: ${captions}`);
    assertNoErrors(errors);
    await context.close();
  });

  test('on a 390 px phone every page is in the navigation and the nodes table fits', async () => {
    const { page, context, errors } = await openPage({ width: 390, height: 844 });
    await visit(page, '#/network');
    await page.waitForSelector('#card-online .card-value');
    const links = await page.$$eval('nav.nav a', (els) => els.map((a) => {
      const r = a.getBoundingClientRect();
      return { page: a.dataset.page, left: r.left, right: r.right, visible: r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden' };
    }));
    assert.deepEqual(links.map((l) => l.page), ['network', 'nodes', 'stakers', 'operators', 'alerts', 'topology', 'developers']);
    for (const l of links) assert.ok(l.visible && l.left >= 0 && l.right <= 390, `nav link ${l.page} is on screen: ${JSON.stringify(l)}`);
    for (const l of links) {
      await page.click(`nav.nav a[data-page="${l.page}"]`);
      await page.waitForSelector(`main .page-${l.page} :is(.panel, .cards, table, .rec-list)`);
      await page.waitForTimeout(500);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the ${l.page} page does not scroll sideways (${overflow}px)`);
    }
    await page.click('nav.nav a[data-page="nodes"]');
    await page.waitForSelector('table.data tbody tr[data-key^="127.1."]');
    const fit = await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap');
      const visible = (sel) => [...document.querySelectorAll(sel)].every((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right <= window.innerWidth;
      });
      return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        table: wrap.scrollWidth - wrap.clientWidth,
        status: visible('table.data tbody tr[data-key] .dot'),
        uptime: visible('th button[data-sort="uptime"]'),
        hidden: getComputedStyle(document.querySelector('th button[data-sort="pubkey"]').closest('th')).display,
      };
    });
    assert.ok(fit.page <= 1, `no sideways scrolling of the page (${fit.page}px)`);
    assert.ok(fit.table <= 1, `no sideways scrolling of the nodes table (${fit.table}px)`);
    assert.ok(fit.status, 'every row shows its status');
    assert.ok(fit.uptime, 'the uptime column is on screen');
    assert.equal(fit.hidden, 'none', 'less important columns are hidden on a phone');
    await shoot(page, 'nodes-phone');
    assertNoErrors(errors);
    await context.close();
  });

  test('an offline node page says so first, never "No active alerts"', async (t) => {
    let offline = null;
    const end = Date.now() + 90_000;
    while (!offline && Date.now() < end) {
      const r = JSON.parse((await get(`${system.apiURL}/pnodes?status=offline&limit=1`)).body);
      offline = r.pnodes[0] ?? null;
      if (!offline) await new Promise((r) => setTimeout(r, 2000));
    }
    if (!offline) return t.skip('no node went offline in the simulated network within 90 s');
    const { page, context, errors } = await openPage();
    await visit(page, `#/node/${encodeURIComponent(offline.address)}`);
    await page.waitForSelector('#offline-notice');
    assert.match(await page.textContent('#offline-notice'), /Offline since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await page.waitForSelector('#node-alerts, #offline-no-alerts');
    assert.doesNotMatch(await page.textContent('main'), /No active alerts/);
    await shoot(page, 'node-offline');
    assertNoErrors(errors);
    await context.close();
  });

  test('dark theme and a phone-sized screen render the network page', async () => {
    const { page, context, errors } = await openPage({ width: 390, height: 844, colorScheme: 'dark' });
    await visit(page, '#/network');
    await page.waitForSelector('#card-online .card-value');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.waitForFunction(() => document.querySelectorAll('.chart canvas').length >= 3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await page.waitForTimeout(300);
    await shoot(page, 'network-phone-dark');
    await page.click('#theme-toggle');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    assertNoErrors(errors);
    await context.close();
  });
});
