/** Pure display helpers: bytes, durations, rates, times. No DOM, no Node. */

const KIB = 1024;
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes in binary units: "512 B", "1.5 KiB", "12.3 MiB", "2.00 GiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < KIB) return `${Math.round(bytes)} B`;
  let value = bytes / KIB;
  let unit = 0;
  while (value >= KIB && unit < UNITS.length - 1) {
    value /= KIB;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Transfer rate in MB/s (decimal megabytes, as disks and networks quote). */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) {
    return '—';
  }
  const mb = bytesPerSecond / 1_000_000;
  return `${mb >= 100 ? mb.toFixed(0) : mb >= 10 ? mb.toFixed(1) : mb.toFixed(2)} MB/s`;
}

/** Seconds as "45 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Minutes as a phrase: "1 minute", "15 minutes". */
export function formatMinutes(minutes: number): string {
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export interface TimeParts {
  /** The ISO-8601 UTC form, as recorded. */
  iso: string;
  /** The same instant in the viewer's local time zone, or '' when unparseable. */
  local: string;
  valid: boolean;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * An ISO timestamp as recorded (UTC) plus local wall time "YYYY-MM-DD HH:MM:SS (UTC±hh:mm)".
 * `offsetMinutes` overrides the local offset (tests); by default the Date's own.
 */
export function formatTime(iso: string | null | undefined, offsetMinutes?: number): TimeParts {
  if (!iso) return { iso: '—', local: '', valid: false };
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return { iso, local: '', valid: false };
  const d = new Date(t);
  const offset = offsetMinutes ?? -d.getTimezoneOffset();
  const shifted = new Date(t + offset * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const local =
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())} ` +
    `(UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
  return { iso: d.toISOString(), local, valid: true };
}

/** Hex fingerprint in colon-separated byte pairs, upper case: "AB:CD:…". */
export function formatFingerprint(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return clean.match(/.{1,2}/g)?.join(':') ?? '';
}

/** Whole days from `now` until `iso` (negative when past); null when unparseable. */
export function daysUntil(iso: string, now: Date): number | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.floor((t - now.getTime()) / 86_400_000);
}

export type ExpiryLevel = 'expired' | 'soon' | 'ok' | 'unknown';

export interface ExpiryState {
  level: ExpiryLevel;
  days: number | null;
  label: string;
}

/** Certificate expiry state: expired, within `warnDays` (default 30), or fine. */
export function expiryState(notAfter: string, now: Date, warnDays = 30): ExpiryState {
  const t = Date.parse(notAfter);
  if (Number.isNaN(t)) return { level: 'unknown', days: null, label: 'Expiry unknown' };
  const ms = t - now.getTime();
  if (ms <= 0) {
    const ago = Math.floor(-ms / 86_400_000);
    return { level: 'expired', days: -ago, label: ago === 0 ? 'Expired today' : `Expired ${ago} day${ago === 1 ? '' : 's'} ago` };
  }
  const days = Math.floor(ms / 86_400_000);
  if (days < warnDays) {
    return { level: 'soon', days, label: days === 0 ? 'Expires within a day' : `Expires in ${days} day${days === 1 ? '' : 's'}` };
  }
  return { level: 'ok', days, label: `Valid for ${days} days` };
}

export interface ProgressView {
  /** 0..100, or null when the total is unknown. */
  percent: number | null;
  bytes: string;
  files: string;
  rate: string;
  /** Remaining time estimate, or '—'. */
  eta: string;
}

export function progressView(p: {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  bytesPerSecond: number;
}): ProgressView {
  const percent = p.bytesTotal > 0 ? Math.min(100, Math.max(0, (p.bytesDone / p.bytesTotal) * 100)) : null;
  const remaining = Math.max(0, p.bytesTotal - p.bytesDone);
  const eta = p.bytesPerSecond > 0 && p.bytesTotal > 0 ? formatDuration(remaining / p.bytesPerSecond) : '—';
  return {
    percent,
    bytes: `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`,
    files: `${p.filesDone} of ${p.filesTotal} file${p.filesTotal === 1 ? '' : 's'}`,
    rate: formatRate(p.bytesPerSecond),
    eta,
  };
}
