// The admin token for the API's mutations (silences, acknowledgements). It is kept only in
// sessionStorage (gone when the tab closes), never in localStorage or the URL, and sent
// only as "Authorization: Bearer <token>". Also turns an admin route's refusal into words.
import { ApiError } from './api';

const TOKEN_KEY = 'pnode-admin-token';
const AUTHOR_KEY = 'pnode-admin-author';

function read(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return ''; // storage disabled: the token lasts as long as the page
  }
}

function write(key: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage disabled */
  }
}

export const adminToken = () => read(TOKEN_KEY);
export const setAdminToken = (token: string) => write(TOKEN_KEY, token.trim());
export const adminAuthor = () => read(AUTHOR_KEY);
export const setAdminAuthor = (author: string) => write(AUTHOR_KEY, author.trim());

export const TOKEN_NEEDED = 'An admin token is needed: enter the server\'s ADMIN_TOKEN in the "Admin token" field above.';

/** A readable sentence for a failed admin request. */
export function adminErrorText(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  if (e.status === 401) return 'The server refused the admin token (401): check that it is the server\'s ADMIN_TOKEN.';
  if (e.status === 403) return 'The server has no admin token configured (403): set ADMIN_TOKEN on the server to allow silences and acknowledgements.';
  if (e.status === 429) {
    const wait = e.retryAfter ? ` Try again in ${e.retryAfter} s.` : ' Try again later.';
    return `Too many wrong admin tokens from this browser (429).${wait}`;
  }
  return e.message;
}
