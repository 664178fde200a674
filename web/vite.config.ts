// Vite config. The dashboard is served by pnode-analytics itself (WEB_ROOT = web/dist),
// so the API is same-origin. For `npm run dev` / `npm run preview` against a running
// `pnode-analytics serve`, set API_TARGET=http://127.0.0.1:<port> and every API path
// (and the /ws/pnodes WebSocket) is proxied there.
import { defineConfig, type ProxyOptions } from 'vite';

const apiTarget = process.env.API_TARGET;

// API routes of the server (docs/API.md, plus /openapi.json and /ws/pnodes).
// Regex keys so that /node/... does not catch Vite's own /node_modules/ in dev.
const apiPaths = [
  '^/health', '^/pnodes', '^/recommendations', '^/network/', '^/operators', '^/node/',
  '^/nodes/', '^/alerts', '^/registry', '^/graveyard', '^/all-nodes', '^/prune',
  '^/openapi\\.json', '^/docs', '^/redoc',
];

function proxy(): Record<string, ProxyOptions> | undefined {
  if (!apiTarget) return undefined;
  const table: Record<string, ProxyOptions> = {};
  for (const p of apiPaths) table[p] = { target: apiTarget, changeOrigin: false };
  table['^/ws/'] = { target: apiTarget, ws: true, changeOrigin: false };
  return table;
}

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 200,
  },
  server: { host: '127.0.0.1', proxy: proxy() },
  preview: { host: '127.0.0.1', proxy: proxy() },
});
