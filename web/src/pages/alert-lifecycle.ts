// The alerts page's lifecycle controls (issue 12): the admin token field, the silences of
// /silences with "remove" and a form to add one, and the alert states of /alerts/active
// with "Acknowledge" and "Silence" on firing ones. Mutations need the admin token (admin.ts);
// without it nothing is sent and the page says why.
import { api, ApiError } from '../api';
import { adminAuthor, adminErrorText, adminToken, setAdminAuthor, setAdminToken, TOKEN_NEEDED } from '../admin';
import { h, replace } from '../dom';
import { fmtInt, fmtTime } from '../format';
import { isAbort, type PageContext } from '../page';
import { href } from '../router';
import type { AlertState, Silence } from '../types';
import { empty, errorBox, loading, section, select, severityBadge } from '../ui';

// The alert rules (src/api/openapi.json, AlertState.rule).
const RULES = ['offline', 'low_uptime', 'storage_critical', 'storage_warning', 'version_outdated', 'version_behind', 'isolated', 'weak_connectivity', 'underutilized', 'gossip_flapping'];
const SHOWN_STATES = 50; // the page stays short; the API lists them all
const ACK_COMMENT = 'acknowledged from the dashboard';

const field = (label: string, input: HTMLElement) => h('label', { class: 'field' }, h('span', null, label), input);
const textInput = (id: string, placeholder = '', value = '') => h('input', { type: 'text', id, name: id, placeholder, value, autocomplete: 'off' });

/** Builds the three sections and keeps them current; returns them for the page to place. */
export function lifecycleSections(ctx: PageContext): HTMLElement[] {
  const message = h('p', { id: 'admin-message', role: 'status', class: 'muted small' });
  const say = (text: string, bad = false) => {
    message.textContent = text;
    message.className = bad ? 'error' : 'ok small';
  };
  /** The token, or null after saying that one is needed. */
  const tokenOrSay = (): string | null => {
    const t = adminToken();
    if (!t) say(TOKEN_NEEDED, true);
    return t || null;
  };

  // The admin token: type="password" so it is not shown; kept in sessionStorage only.
  const tokenInput = h('input', { type: 'password', id: 'admin-token', name: 'admin-token', autocomplete: 'off', placeholder: 'ADMIN_TOKEN', value: adminToken() });
  const authorInput = textInput('admin-author', 'your name', adminAuthor());
  const tokenState = h('span', { class: 'muted small', id: 'admin-token-state' });
  const showTokenState = () => {
    tokenState.textContent = adminToken()
      ? 'Token set for this tab (sessionStorage; forgotten when the tab closes).'
      : 'No token: silences and acknowledgements need the server\'s ADMIN_TOKEN.';
  };
  const saveToken = () => {
    setAdminToken(tokenInput.value);
    setAdminAuthor(authorInput.value);
    showTokenState();
  };
  tokenInput.addEventListener('input', saveToken);
  authorInput.addEventListener('input', saveToken);
  const forget = h('button', { class: 'button', type: 'button', id: 'admin-forget', onclick: () => {
    tokenInput.value = '';
    saveToken();
  } }, 'Forget token');
  showTokenState();

  // The alert states.
  const statesEl = h('div', null, loading());
  let ackOpen = ''; // key of the state whose acknowledgement form is open: no re-render meanwhile
  let states: AlertState[] = [];
  const key = (a: AlertState) => `${a.rule}/${a.address}`;

  function renderStates() {
    if (ackOpen) return;
    if (!states.length) return replace(statesEl, h('p', { class: 'ok', id: 'alert-states-empty' }, '✓ No alert is pending or firing.'));
    const shown = [...states].sort((a, b) => Number(b.state === 'firing') - Number(a.state === 'firing')).slice(0, SHOWN_STATES);
    replace(statesEl,
      h('ul', { class: 'alert-list', id: 'alert-states' }, ...shown.map(stateItem)),
      states.length > shown.length ? h('p', { class: 'muted small' }, `The first ${SHOWN_STATES} of ${fmtInt(states.length)} alert states (firing first).`) : null);
  }

  function stateItem(a: AlertState): HTMLElement {
    const li = h('li', { class: `alert sev-${a.severity}`, dataset: { rule: a.rule, address: a.address, state: a.state } },
      severityBadge(a.severity), ' ', h('span', { class: 'mono small' }, a.rule), ' ',
      h('a', { href: href('node', a.address), class: 'mono' }, a.address), ' — ', a.message,
      h('div', { class: 'muted small' },
        a.state === 'firing' ? `firing since ${fmtTime(a.firing_since)}` : `pending since ${fmtTime(a.active_since)}`,
        a.silenced ? ` · silenced (${a.silence_id ?? ''})` : '',
        a.acknowledgement ? ` · acknowledged by ${a.acknowledgement.author}: ${a.acknowledgement.comment}` : ''));
    if (a.state !== 'firing') return li;
    const actions = h('div', { class: 'toolbar' },
      a.acknowledgement ? null : h('button', { class: 'button ack', type: 'button', onclick: () => openAck(a, li, actions) }, 'Acknowledge'),
      h('button', { class: 'button silence', type: 'button', onclick: () => prefillSilence(a) }, 'Silence'));
    li.append(actions);
    return li;
  }

  function openAck(a: AlertState, li: HTMLElement, actions: HTMLElement) {
    if (!tokenOrSay()) return;
    ackOpen = key(a);
    const comment = textInput('ack-comment', 'comment', ACK_COMMENT);
    const close = () => {
      ackOpen = '';
      renderStates();
    };
    const send = async () => {
      const token = tokenOrSay();
      if (!token) return;
      try {
        await api.ackAlert(token, { rule: a.rule, address: a.address, author: adminAuthor() || 'dashboard', comment: comment.value });
        say(`Acknowledged ${a.rule} on ${a.address}.`);
        close();
        void loadStates();
      } catch (e) {
        say(adminErrorText(e), true);
      }
    };
    actions.replaceWith(h('div', { class: 'toolbar ack-form' }, field('Comment', comment),
      h('button', { class: 'button primary', type: 'button', id: 'ack-send', onclick: () => void send() }, 'Send acknowledgement'),
      h('button', { class: 'button', type: 'button', onclick: close }, 'Cancel')));
    li.querySelector('input')?.focus();
  }

  async function loadStates() {
    try {
      states = (await api.activeAlerts({}, ctx.signal)).alerts;
      renderStates();
    } catch (e) {
      if (isAbort(e)) return;
      replace(statesEl, e instanceof ApiError && e.status === 503 ? empty('No alert lifecycle: the server keeps none without a store.') : errorBox(e, 'Alert states'));
    }
  }

  // The silences: the list and the form.
  const silencesEl = h('div', null, loading());
  const form = {
    address: textInput('silence-address', 'node address'),
    pubkey: textInput('silence-pubkey', 'operator pubkey'),
    rule: '',
    duration: textInput('silence-duration', '2h, 90m, 1d or seconds', '2h'),
    comment: textInput('silence-comment', 'why', ''),
  };
  const ruleSelect = select('silence-rule', '', [['', 'any rule'], ...RULES.map((r): [string, string] => [r, r])], (v) => (form.rule = v), 'Rule');

  function prefillSilence(a: AlertState) {
    form.address.value = a.address;
    form.pubkey.value = '';
    form.rule = a.rule;
    (ruleSelect.querySelector('select') as HTMLSelectElement).value = a.rule;
    form.comment.focus();
    say(`Silence ${a.rule} on ${a.address}: set a duration and a comment, then "Add silence".`);
  }

  async function addSilence() {
    const token = tokenOrSay();
    if (!token) return;
    const address = form.address.value.trim();
    const pubkey = form.pubkey.value.trim();
    if (!address && !pubkey && !form.rule) return say('A silence needs a node address, a pubkey or a rule.', true);
    try {
      const s = await api.addSilence(token, {
        ...(address ? { address } : {}), ...(pubkey ? { pubkey } : {}), ...(form.rule ? { rule: form.rule } : {}),
        duration: form.duration.value.trim(), comment: form.comment.value, author: adminAuthor() || 'dashboard',
      });
      say(`Added silence ${s.id} until ${fmtTime(s.ends_at)}.`);
      void loadSilences();
      void loadStates();
    } catch (e) {
      say(adminErrorText(e), true);
    }
  }

  async function removeSilence(s: Silence) {
    const token = tokenOrSay();
    if (!token) return;
    try {
      await api.removeSilence(token, s.id);
      say(`Removed silence ${s.id}.`);
      void loadSilences();
      void loadStates();
    } catch (e) {
      say(adminErrorText(e), true);
    }
  }

  const silenceItem = (s: Silence) => h('li', { class: 'alert', dataset: { id: s.id } },
    h('strong', { class: 'mono' }, s.id), ' ',
    Object.entries(s.matchers).map(([k, v]) => h('span', { class: 'chip small' }, `${k}=${v}`)), ' ',
    `until ${fmtTime(s.ends_at)} — ${s.comment} (${s.author})`, ' ',
    h('button', { class: 'button remove', type: 'button', onclick: () => void removeSilence(s) }, 'remove'));

  async function loadSilences() {
    try {
      const list = (await api.silences(ctx.signal)).silences;
      replace(silencesEl, list.length
        ? h('ul', { class: 'alert-list', id: 'silences' }, ...list.map(silenceItem))
        : h('p', { class: 'muted', id: 'silences-empty' }, 'No active silence.'));
    } catch (e) {
      if (isAbort(e)) return;
      replace(silencesEl, e instanceof ApiError && e.status === 503 ? empty('No silences: the server keeps none without a store.') : errorBox(e, 'Silences'));
    }
  }

  void loadStates();
  void loadSilences();
  ctx.onSnapshot(() => {
    void loadStates();
    void loadSilences();
  }, 5000);

  return [
    section('Admin token',
      h('div', { class: 'toolbar' }, field('Admin token', tokenInput), field('Author', authorInput), forget),
      tokenState, message),
    section('Silences', silencesEl,
      h('form', { class: 'toolbar', id: 'silence-form', onsubmit: (e: Event) => {
        e.preventDefault();
        void addSilence();
      } },
      field('Node address', form.address), field('Pubkey', form.pubkey), ruleSelect,
      field('Duration', form.duration), field('Comment', form.comment),
      h('button', { class: 'button primary', type: 'submit', id: 'silence-add' }, 'Add silence'))),
    section('Alert states (pending and firing)', statesEl),
  ];
}
