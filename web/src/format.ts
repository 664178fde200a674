// Human-readable numbers: bytes as GB/TB (binary multiples, like the API's storage_gb),
// durations as d/h/m, ages ("12s ago"), percents and counts.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

export function fmtBytes(bytes: number | null | undefined, digits = 1): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const d = i === 0 ? 0 : v >= 100 ? 0 : digits;
  return `${sign}${v.toFixed(d)} ${BYTE_UNITS[i]}`;
}

/** 93784 → "1d 2h", 4000 → "1h 6m", 59 → "59s". Two most significant units. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  let s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 && m < 10 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

export function fmtAgo(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1) return 'just now';
  return `${fmtDuration(seconds)} ago`;
}

export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtNum(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtPct(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  // Tiny non-zero shares (1e-9 %) would read as 0.0 %: say so.
  if (n > 0 && n < 10 ** -digits) return `<${(10 ** -digits).toFixed(digits)}%`;
  return `${n.toFixed(digits)}%`;
}

export function fmtSigned(n: number, digits = 0): string {
  const s = n.toFixed(digits);
  return n > 0 ? `+${s}` : s;
}

/** Unix seconds → "2025-12-17 13:38 UTC" (UTC so every viewer reads the same time). */
export function fmtTime(unix: number | null | undefined): string {
  if (!unix) return '—';
  const d = new Date(unix * 1000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function shortKey(key: string, keep = 6): string {
  if (!key) return '—';
  return key.length > keep * 2 + 1 ? `${key.slice(0, keep)}…${key.slice(-keep)}` : key;
}

export const TIER_LABEL: Record<string, string> = {
  low_risk: 'Low risk',
  medium_risk: 'Medium risk',
  high_risk: 'High risk',
  offline: 'Offline',
  unknown: 'Unknown',
};
export const tierLabel = (t: string) => TIER_LABEL[t] ?? t;

/** A pre-release build ("0.8.0-trynet.2025…", "1.0.0-rc1"): a test build, never "the latest". */
export function isPreRelease(version: string): boolean {
  return /^[vV]?\d+\.\d+(\.\d+)?-./.test(version);
}
