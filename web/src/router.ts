// Hash routing (#/nodes?status=online, #/node/<encoded address>) so the server only has
// to serve index.html and its assets.

export interface Route {
  page: string; // 'network', 'nodes', 'node', 'stakers', 'operators', 'alerts', 'topology', 'developers'
  arg: string; // decoded argument after the page ('' when none): an address or a pubkey
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  const slash = pathPart.indexOf('/');
  const page = (slash < 0 ? pathPart : pathPart.slice(0, slash)) || 'network';
  let arg = slash < 0 ? '' : pathPart.slice(slash + 1);
  try {
    arg = decodeURIComponent(arg);
  } catch {
    /* a malformed escape: keep it raw */
  }
  return { page, arg, query: new URLSearchParams(queryPart) };
}

/** '#/node/127.1.0.1%3A9001', with an optional query. */
export function href(page: string, arg?: string, query?: Record<string, string | number | undefined>): string {
  let s = `#/${page}`;
  if (arg) s += `/${encodeURIComponent(arg)}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
    const qs = q.toString();
    if (qs) s += `?${qs}`;
  }
  return s;
}

/** Rewrites the query of the current hash without navigating (filters, sort, page). */
export function replaceQuery(values: Record<string, string | number | undefined | null>): void {
  const r = parseHash(location.hash);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') r.query.delete(k);
    else r.query.set(k, String(v));
  }
  const qs = r.query.toString();
  const base = `#/${r.page}${r.arg ? `/${encodeURIComponent(r.arg)}` : ''}`;
  history.replaceState(history.state, '', qs ? `${base}?${qs}` : base);
}
