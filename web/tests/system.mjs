// Starts the real system for the browser tests, on loopback only: the pNode simulator and
// `pnode-analytics serve` polling it (CACHE_TTL=2, a fresh SQLite file, WEB_ROOT=web/dist),
// which serves both the API and the dashboard (with its /ws/pnodes live feed), with
// ADMIN_TOKEN set to ADMIN_TOKEN below for the admin routes. As in `make run`
// (scripts/run.sh), every public pod answers pRPC on its own loopback address
// (--serve-pods), so the server probes them, and reads the pod-credits lists the
// simulator serves on its first seed's port. stop() ends exactly the
// processes started here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(webDir, '..');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The server's admin token (silences, acknowledgements). */
export const ADMIN_TOKEN = 'e2e-admin-token';

/** Resolves with the first regex match in the process's output (stdout and stderr). */
function waitForLine(proc, regex, what, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no line matching ${regex} within ${timeoutMs} ms. Output:\n${buffer.slice(-2000)}`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk.toString();
      const m = regex.exec(buffer);
      if (m) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        proc.stderr?.off('data', onData);
        resolve(m);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before printing ${regex}. Output:\n${buffer.slice(-2000)}`));
    });
  });
}

/** GET on 127.0.0.1 with a timeout: {status, headers, body}. */
export function get(url, headers = {}, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** True when the server answers a WebSocket upgrade on `pathname` with 101. */
function probeWebSocket(port, pathname) {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, path: pathname, timeout: 3000,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(true);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(false);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function waitFor(fn, what, timeoutMs = 30_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
}

export async function startSystem({ log = () => {} } = {}) {
  const binary = process.env.PNODE_BIN || path.join(repoRoot, 'build', 'pnode-analytics');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build it first (make build)`);
  const webRoot = path.join(webDir, 'dist');
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error(`${webRoot}/index.html is missing: run npm run build`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pnode-web-e2e-'));
  const procs = [];
  const spawnLogged = (cmd, args, opts) => {
    const p = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    procs.push(p);
    return p;
  };

  const system = {
    tmp,
    baseURL: '',
    apiURL: '',
    servesDashboard: false,
    hasWebSocket: false,
    async stop() {
      for (const p of procs.reverse()) {
        if (p.exitCode === null && p.signalCode === null) {
          p.kill('SIGTERM');
          await Promise.race([new Promise((r) => p.once('exit', r)), sleep(3000)]);
          if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
        }
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };

  try {
    // 1. The simulated network: 9 seeds on ephemeral loopback ports, with churn, every
    // public pod answering pRPC, and the credits lists on every seed port.
    const sim = spawnLogged(binary, ['sim', '--seeds', '9', '--base-port', '0', '--churn', '--serve-pods']);
    const ipNodes = (await waitForLine(sim, /^IP_NODES=(\S+)$/m, 'sim'))[1];
    const firstSeed = ipNodes.split(',')[0];
    log(`sim seeds: ${ipNodes}`);

    // 2. The server polling it every 2 s.
    const serve = spawnLogged(binary, ['serve'], {
      env: {
        ...process.env,
        IP_NODES: ipNodes,
        CACHE_TTL: '2',
        PORT: '0',
        DATABASE_URL: `sqlite:///${path.join(tmp, 'db.sqlite')}`,
        WEB_ROOT: webRoot,
        ADMIN_TOKEN,
        CREDITS_MAINNET_URL: `http://${firstSeed}/credits/mainnet`,
        CREDITS_DEVNET_URL: `http://${firstSeed}/credits/devnet`,
      },
    });
    const port = Number((await waitForLine(serve, /serving http:\/\/127\.0\.0\.1:(\d+)/, 'serve'))[1]);
    serve.stdout.resume();
    serve.stderr.resume();
    sim.stdout.resume();
    sim.stderr.resume();
    system.apiURL = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await get(`${system.apiURL}/health`)).status === 200, 'a first snapshot');
    // History routes need a few cycles to have something to chart.
    await sleep(4500);

    // 3. The dashboard, served by the same server: "/" for a browser, and the live feed.
    const root = await get(`${system.apiURL}/`, { Accept: 'text/html,application/xhtml+xml' });
    system.servesDashboard = String(root.headers['content-type'] ?? '').includes('text/html') && root.body.includes('id="app"');
    if (!system.servesDashboard) throw new Error(`pnode-analytics serve did not answer GET / (Accept: text/html) with ${webRoot}/index.html`);
    system.hasWebSocket = await probeWebSocket(port, '/ws/pnodes');
    if (!system.hasWebSocket) throw new Error('pnode-analytics serve did not accept a WebSocket on /ws/pnodes');
    system.baseURL = system.apiURL;
    return system;
  } catch (e) {
    await system.stop();
    throw e;
  }
}
