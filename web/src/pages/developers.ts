// For developers: the API reference from /openapi.json (the server's one description of
// its routes, src/api/openapi.json), a live request explorer, and a viewer of the
// /ws/pnodes feed.
import { api, withQuery } from '../api';
import { h, replace } from '../dom';
import { fmtBytes, fmtInt } from '../format';
import { isAbort, type Page } from '../page';
import { replaceQuery } from '../router';
import type { OpenApiDocument, OpenApiParameter } from '../types';
import { errorBox, loading, section } from '../ui';

interface Operation {
  method: string;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params: OpenApiParameter[];
}

function fromOpenApi(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      ops.push({ method, path, summary: op.summary ?? '', description: op.description, tag: op.tags?.[0] ?? 'other', params: op.parameters ?? [] });
    }
  }
  return ops;
}

export const developersPage: Page = (root, ctx) => {
  ctx.title('Developers');
  const refEl = h('div', null, loading('Loading the API description…'));
  const explorerEl = h('div');
  const sourceNote = h('p', { class: 'muted small', id: 'api-source' });
  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Developers'),
      h('p', { class: 'muted' }, 'Every dashboard number comes from this JSON API on the same host. ', h('a', { href: '/openapi.json', target: '_blank', rel: 'noopener' }, 'openapi.json'), ' · ', h('a', { href: '/docs', target: '_blank', rel: 'noopener' }, 'interactive docs'), ' · live feed: ', h('code', null, 'GET /ws/pnodes'), ' (WebSocket)')),
    h('div', { class: 'grid-main' }, section('Request explorer', explorerEl), section('Live feed', liveFeed(ctx))),
    section('API reference', sourceNote, refEl),
  );

  let sample = '';
  api.pnodes({ status: 'online', limit: 1, sort_by: 'score' }, ctx.signal).then((r) => {
    sample = r.pnodes[0]?.address ?? '';
    for (const el of root.querySelectorAll<HTMLInputElement>('input[data-param="address"]')) if (!el.value) el.value = sample;
  }, () => undefined);

  function renderReference(ops: Operation[]) {
    const byTag = new Map<string, Operation[]>();
    for (const op of ops) byTag.set(op.tag, [...(byTag.get(op.tag) ?? []), op]);
    replace(refEl, ...[...byTag.entries()].map(([tag, list]) => h('div', { class: 'api-group' }, h('h3', null, tag),
      ...list.map((op) => h('details', { class: 'api-op' },
        h('summary', null, h('span', { class: `method m-${op.method}` }, op.method.toUpperCase()), ' ', h('code', null, op.path), ' ', h('span', { class: 'muted' }, op.summary)),
        op.description ? h('p', { class: 'small' }, op.description) : null,
        op.params.length
          ? h('table', { class: 'data params' }, h('thead', null, h('tr', null, h('th', null, 'Parameter'), h('th', null, 'In'), h('th', null, 'Type'), h('th', null, 'Default'), h('th', null, 'Allowed'))),
            h('tbody', null, ...op.params.map((p) => h('tr', null, h('td', { class: 'mono' }, p.name, p.required ? ' *' : ''), h('td', null, p.in), h('td', null, p.schema?.type ?? ''),
              h('td', { class: 'mono' }, p.schema?.default !== undefined ? String(p.schema.default) : ''),
              h('td', { class: 'small' }, allowed(p), p.description ? h('div', { class: 'muted' }, p.description) : null)))))
          : h('p', { class: 'muted small' }, 'No parameters.'),
        op.method === 'get' ? h('button', { type: 'button', class: 'button', onclick: () => buildExplorer(ops, op) }, 'Try it') : null)))));
  }

  function buildExplorer(ops: Operation[], chosen: Operation) {
    const gets = ops.filter((o) => o.method === 'get');
    const form = h('form', { class: 'explorer', id: 'explorer' });
    const out = h('div', { class: 'explorer-out' });
    const picker = h('select', { 'aria-label': 'Route', id: 'explorer-route', onchange: (e: Event) => buildExplorer(ops, gets[Number((e.target as HTMLSelectElement).value)]) },
      ...gets.map((o, i) => h('option', { value: String(i), selected: o === chosen ? true : undefined }, `GET ${o.path}`)));
    const inputs = chosen.params.filter((p) => p.in === 'path' || p.in === 'query').map((p) => {
      const id = `p-${p.name}`;
      const s = p.schema ?? {};
      const input = s.enum
        ? h('select', { id, dataset: { param: p.name, in: p.in } }, h('option', { value: '' }, s.default !== undefined ? `(default ${String(s.default)})` : '(none)'), ...s.enum.map((v) => h('option', { value: String(v) }, String(v))))
        : s.type === 'boolean'
          ? h('select', { id, dataset: { param: p.name, in: p.in } }, h('option', { value: '' }, `(default ${String(s.default ?? false)})`), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'))
          : h('input', { id, type: 'text', dataset: { param: p.name, in: p.in }, placeholder: s.default !== undefined ? `default ${String(s.default)}` : p.required ? 'required' : '', value: p.name === 'address' ? sample : '' });
      return h('label', { class: 'field', for: id }, h('span', null, p.name, p.required ? ' *' : ''), input);
    });
    const send = async (e: Event) => {
      e.preventDefault();
      let path = chosen.path;
      const query: Record<string, string> = {};
      for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]')) {
        const v = el.value.trim();
        if (el.dataset.in === 'path') path = path.replace(`{${el.dataset.param}}`, encodeURIComponent(v));
        else if (v) query[el.dataset.param!] = v;
      }
      const url = withQuery(path, query);
      replace(out, loading(`GET ${url}`));
      const t0 = performance.now();
      try {
        const res = await fetch(url, { signal: ctx.signal, headers: { Accept: 'application/json' } });
        const text = await res.text();
        const ms = performance.now() - t0;
        let pretty = text;
        try {
          pretty = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          /* not JSON */
        }
        const cap = 200_000;
        replace(out,
          h('div', { class: 'explorer-status' }, h('span', { class: `badge ${res.ok ? 'ok-badge' : 'sev-critical'}`, id: 'explorer-status' }, `${res.status} ${res.statusText}`),
            ` ${ms.toFixed(0)} ms · ${fmtBytes(text.length)} · ${res.headers.get('content-type') ?? ''}`),
          h('pre', { class: 'code small' }, `curl '${location.origin}${url}'`),
          h('pre', { class: 'code json', id: 'explorer-body' }, pretty.length > cap ? `${pretty.slice(0, cap)}\n… (${fmtInt(pretty.length - cap)} more characters)` : pretty));
      } catch (err) {
        if (!isAbort(err)) replace(out, errorBox(err, 'Request'));
      }
    };
    form.addEventListener('submit', send);
    replace(form, h('label', { class: 'field' }, h('span', null, 'Route'), picker), h('p', { class: 'muted small' }, chosen.summary), h('div', { class: 'fields' }, ...inputs), h('button', { type: 'submit', class: 'button primary', id: 'explorer-send' }, 'Send request'));
    replace(explorerEl, form, out);
    replaceQuery({ route: chosen.path });
  }

  async function load() {
    let ops: Operation[] = [];
    try {
      const doc = await api.openapi(ctx.signal);
      ops = fromOpenApi(doc);
      sourceNote.textContent = `${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''} — from /openapi.json (OpenAPI ${doc.openapi}).`;
    } catch (e) {
      if (isAbort(e)) return;
      sourceNote.textContent = `Cannot read /openapi.json: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!ops.length) return;
    renderReference(ops);
    const wanted = ctx.route.query.get('route');
    buildExplorer(ops, ops.find((o) => o.path === wanted && o.method === 'get') ?? ops.find((o) => o.path === '/pnodes') ?? ops[0]);
  }
  void load();
};

function allowed(p: OpenApiParameter): string {
  const s = p.schema ?? {};
  if (s.enum) return s.enum.join(' | ');
  if (s.minimum !== undefined || s.maximum !== undefined) return `${s.minimum ?? '…'} – ${s.maximum ?? '…'}`;
  if (s.pattern) return s.pattern;
  return '';
}

/** Connects to /ws/pnodes on demand and shows each message's headline and size. */
function liveFeed(ctx: Parameters<Page>[1]): HTMLElement {
  const log = h('ol', { class: 'feed', reversed: true });
  const status = h('span', { class: 'muted small' }, 'not connected');
  let ws: WebSocket | null = null;
  const button = h('button', {
    type: 'button',
    class: 'button',
    onclick: () => {
      if (ws) return ws.close();
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/pnodes`);
      status.textContent = 'connecting…';
      button.textContent = 'Disconnect';
      ws.onopen = () => (status.textContent = 'connected');
      ws.onmessage = (e) => {
        const text = String(e.data);
        let line = text.slice(0, 120);
        try {
          const m = JSON.parse(text);
          line = `cycle ${m.cycle} · ${m.summary?.online_pnodes ?? '?'} online · ${m.changed?.length ?? 0} changed · ${m.removed?.length ?? 0} removed`;
        } catch {
          /* show the raw start */
        }
        log.prepend(h('li', null, h('span', { class: 'muted' }, new Date().toLocaleTimeString()), ' ', line, h('span', { class: 'muted' }, ` (${fmtBytes(text.length)})`)));
        while (log.children.length > 30) log.lastElementChild!.remove();
      };
      ws.onclose = () => {
        status.textContent = 'disconnected';
        button.textContent = 'Connect';
        ws = null;
      };
    },
  }, 'Connect');
  ctx.onDispose(() => ws?.close());
  return h('div', null, h('p', { class: 'small' }, 'Each message carries the new summary, network_stats, the nodes that changed and the addresses removed since the previous cycle.'),
    h('div', { class: 'toolbar' }, button, status), log);
}
