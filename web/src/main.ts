// The dashboard shell: header (navigation, freshness, theme), hash router, page lifecycle.
import './styles.css';
import { h, replace } from './dom';
import { fmtAgo } from './format';
import type { Page, PageContext } from './page';
import { parseHash } from './router';
import { NetworkState } from './state';
import { errorBox } from './ui';
import { networkPage } from './pages/network';
import { nodesPage } from './pages/nodes';
import { nodePage } from './pages/node';
import { stakersPage } from './pages/stakers';
import { operatorsPage } from './pages/operators';
import { alertsPage } from './pages/alerts';
import { topologyPage } from './pages/topology';
import { developersPage } from './pages/developers';

const PAGES: Record<string, { page: Page; nav?: string }> = {
  network: { page: networkPage, nav: 'Network' },
  nodes: { page: nodesPage, nav: 'Nodes' },
  node: { page: nodePage },
  stakers: { page: stakersPage, nav: 'Stakers' },
  operators: { page: operatorsPage, nav: 'Operators' },
  alerts: { page: alertsPage, nav: 'Alerts' },
  topology: { page: topologyPage, nav: 'Topology' },
  developers: { page: developersPage, nav: 'Developers' },
};

// ------------------------------------------------------------------ theme

type Theme = 'light' | 'dark';
function initialTheme(): Theme {
  const saved = localStorage.getItem('theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
function applyTheme(t: Theme) {
  document.documentElement.dataset.theme = t;
  themeButton.textContent = t === 'dark' ? '☀' : '☾';
  themeButton.title = t === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme';
  window.dispatchEvent(new Event('themechange'));
}
const themeButton = h('button', {
  type: 'button',
  class: 'icon-button',
  id: 'theme-toggle',
  'aria-label': 'Toggle dark/light theme',
  onclick: () => {
    const next: Theme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('theme', next);
    applyTheme(next);
  },
});

// ------------------------------------------------------------------ shell

const state = new NetworkState();
const navLinks = Object.entries(PAGES)
  .filter(([, p]) => p.nav)
  .map(([key, p]) => h('a', { href: `#/${key}`, dataset: { page: key } }, p.nav!));
const freshness = h('span', { id: 'freshness', class: 'freshness' }, 'connecting…');
const modeDot = h('span', { class: 'live-dot' });
const cycleBadge = h('span', { id: 'cycle', class: 'cycle' });
const main = h('main', { id: 'page' });

document.getElementById('app')!.replaceChildren(
  h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/network' }, h('span', { class: 'logo' }, '◆'), 'pNode Analytics'),
    h('nav', { class: 'nav', 'aria-label': 'Pages' }, ...navLinks),
    h('div', { class: 'live', id: 'live', 'aria-live': 'polite' }, modeDot, freshness, cycleBadge),
    themeButton),
  main,
  h('footer', { class: 'footer' }, 'Data from the pnode-analytics API · ', h('a', { href: '#/developers' }, 'API docs')),
);
applyTheme(initialTheme());

function renderFreshness() {
  const age = state.age();
  const live = document.getElementById('live')!;
  live.dataset.mode = state.mode;
  live.classList.toggle('stale', Number.isFinite(age) && state.isStale());
  modeDot.title = state.mode === 'live' ? 'Live updates (WebSocket)' : state.mode === 'polling' ? 'Polling every 15 s' : 'Connecting';
  freshness.textContent = Number.isFinite(age) ? `updated ${fmtAgo(age)}` : state.mode === 'connecting' ? 'connecting…' : 'no data yet';
  freshness.dataset.lastUpdated = String(state.lastUpdated);
  cycleBadge.textContent = state.cycle !== null ? `cycle ${state.cycle}` : state.mode === 'polling' ? 'polling' : '';
}
state.addEventListener('snapshot', renderFreshness);
state.addEventListener('status', renderFreshness);
setInterval(renderFreshness, 1000);

// ------------------------------------------------------------------ router

let leave: (() => void) | null = null;

function mount() {
  leave?.();
  const route = parseHash(location.hash);
  const entry = PAGES[route.page];
  for (const a of navLinks) a.classList.toggle('active', a.dataset.page === route.page || (route.page === 'node' && a.dataset.page === 'nodes'));
  const controller = new AbortController();
  const disposers: (() => void)[] = [];
  const root = h('div', { class: `page page-${entry ? route.page : 'missing'}` });
  replace(main, root);
  leave = () => {
    controller.abort();
    for (const d of disposers) d();
    leave = null;
  };
  const ctx: PageContext = {
    route,
    state,
    signal: controller.signal,
    onSnapshot(fn, minIntervalMs = 0) {
      let last = 0;
      let timer: number | undefined;
      const run = () => {
        timer = undefined;
        last = Date.now();
        fn();
      };
      const listener = () => {
        if (timer !== undefined) return;
        const wait = last + minIntervalMs - Date.now();
        if (wait <= 0) run();
        else timer = window.setTimeout(run, wait);
      };
      state.addEventListener('snapshot', listener);
      disposers.push(() => {
        state.removeEventListener('snapshot', listener);
        window.clearTimeout(timer);
      });
    },
    onDispose(fn) {
      disposers.push(fn);
    },
    title(text) {
      document.title = `${text} · pNode Analytics`;
    },
  };
  if (!entry) {
    ctx.title('Not found');
    root.append(errorBox(`There is no page “${route.page}”.`), h('p', null, h('a', { href: '#/network' }, 'Go to the network overview')));
    return;
  }
  try {
    const done = entry.page(root, ctx);
    if (done instanceof Promise) done.catch((e) => root.append(errorBox(e)));
  } catch (e) {
    root.append(errorBox(e));
  }
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', mount);
mount();
state.start();

// A read-only handle for the browser tests and for curious users in the console.
(window as unknown as { pnodeDashboard: unknown }).pnodeDashboard = {
  state,
  get snapshotsApplied() {
    return state.snapshotsApplied;
  },
};
