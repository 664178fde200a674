// Ad-hoc screenshot of a dashboard URL (for looking at a page during development):
//   node tests/shot.mjs http://127.0.0.1:4173/#/nodes out.png [width] [height] [dark]
import { chromium } from 'playwright-core';

const [url, out, width = '1360', height = '900', scheme = 'light'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) }, colorScheme: scheme === 'dark' ? 'dark' : 'light' });
page.on('console', (m) => m.type() === 'error' && console.log(`console error: ${m.text()}`));
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
await page.goto(url);
await page.waitForTimeout(Number(process.env.WAIT_MS || 4000));
await page.screenshot({ path: out, fullPage: process.env.FULL !== '0' });
await browser.close();
