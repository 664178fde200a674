// What a page gets from the shell: its route, the live network state, an AbortSignal
// that fires when the user leaves, and hooks for live updates and clean-up.
import type { Route } from './router';
import type { NetworkState } from './state';

export interface PageContext {
  route: Route;
  state: NetworkState;
  signal: AbortSignal;
  /** Calls fn on each new snapshot (at most once per minIntervalMs, trailing call kept). */
  onSnapshot(fn: () => void, minIntervalMs?: number): void;
  /** Runs fn when the page is left. */
  onDispose(fn: () => void): void;
  /** Sets the document title. */
  title(text: string): void;
}

export type Page = (root: HTMLElement, ctx: PageContext) => void | Promise<void>;

/** True for the error a fetch throws when the page's signal aborted it. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
