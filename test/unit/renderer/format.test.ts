import { describe, expect, it } from 'vitest';
import {
  daysUntil,
  expiryState,
  formatBytes,
  formatDuration,
  formatFingerprint,
  formatMinutes,
  formatRate,
  formatTime,
  progressView,
} from '../../../src/renderer/lib/format';

describe('formatBytes', () => {
  it('uses bytes below 1 KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });
  it('uses binary units with sensible precision', () => {
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.00 MiB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.00 GiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.00 TiB');
    expect(formatBytes(5000 * 1024 ** 4)).toBe('5000 TiB');
  });
  it('shows a dash for missing or invalid values', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatRate', () => {
  it('quotes decimal MB/s', () => {
    expect(formatRate(1_500_000)).toBe('1.50 MB/s');
    expect(formatRate(25_000_000)).toBe('25.0 MB/s');
    expect(formatRate(400_000_000)).toBe('400 MB/s');
    expect(formatRate(0)).toBe('0.00 MB/s');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600 + 7 * 60 + 30)).toBe('2 h 07 min');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatMinutes', () => {
  it('pluralises', () => {
    expect(formatMinutes(1)).toBe('1 minute');
    expect(formatMinutes(15)).toBe('15 minutes');
  });
});

describe('formatTime', () => {
  it('returns the ISO form and the local form for a given offset', () => {
    const t = formatTime('2025-03-01T23:30:00Z', 120);
    expect(t.valid).toBe(true);
    expect(t.iso).toBe('2025-03-01T23:30:00.000Z');
    expect(t.local).toBe('2025-03-02 01:30:00 (UTC+02:00)');
  });
  it('handles negative and fractional offsets', () => {
    expect(formatTime('2025-03-01T00:15:00Z', -330).local).toBe('2025-02-28 18:45:00 (UTC-05:30)');
  });
  it('passes through unparseable and missing input', () => {
    expect(formatTime('not a date')).toEqual({ iso: 'not a date', local: '', valid: false });
    expect(formatTime(null).valid).toBe(false);
  });
});

describe('formatFingerprint', () => {
  it('groups hex into colon-separated upper-case pairs', () => {
    expect(formatFingerprint('a1b2c3')).toBe('A1:B2:C3');
    expect(formatFingerprint('A1:b2:c3')).toBe('A1:B2:C3');
    expect(formatFingerprint('')).toBe('');
  });
});

describe('expiry', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  it('counts whole days', () => {
    expect(daysUntil('2025-01-11T00:00:00Z', now)).toBe(10);
    expect(daysUntil('garbage', now)).toBeNull();
  });
  it('classifies expired, soon and ok', () => {
    expect(expiryState('2024-12-25T00:00:00Z', now)).toMatchObject({ level: 'expired', label: 'Expired 7 days ago' });
    expect(expiryState('2024-12-31T20:00:00Z', now)).toMatchObject({ level: 'expired', label: 'Expired today' });
    expect(expiryState('2025-01-02T00:00:00Z', now)).toMatchObject({ level: 'soon', label: 'Expires in 1 day' });
    expect(expiryState('2025-01-01T05:00:00Z', now)).toMatchObject({ level: 'soon', label: 'Expires within a day' });
    expect(expiryState('2025-01-30T00:00:00Z', now)).toMatchObject({ level: 'soon', days: 29 });
    expect(expiryState('2025-01-31T00:00:00Z', now)).toMatchObject({ level: 'ok', days: 30 });
    expect(expiryState('x', now).level).toBe('unknown');
  });
  it('honours a custom warning window', () => {
    expect(expiryState('2025-03-01T00:00:00Z', now, 90).level).toBe('soon');
  });
});

describe('progressView', () => {
  it('computes percent, counts, rate and remaining time', () => {
    const v = progressView({ bytesDone: 50 * 1024 * 1024, bytesTotal: 100 * 1024 * 1024, filesDone: 3, filesTotal: 10, bytesPerSecond: 10 * 1024 * 1024 });
    expect(v.percent).toBe(50);
    expect(v.bytes).toBe('50.0 MiB of 100 MiB');
    expect(v.files).toBe('3 of 10 files');
    expect(v.rate).toBe('10.5 MB/s');
    expect(v.eta).toBe('5 s');
  });
  it('handles an unknown total and a stalled rate', () => {
    const v = progressView({ bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 1, bytesPerSecond: 0 });
    expect(v.percent).toBeNull();
    expect(v.eta).toBe('—');
    expect(v.files).toBe('0 of 1 file');
  });
  it('clamps percent to 100', () => {
    expect(progressView({ bytesDone: 200, bytesTotal: 100, filesDone: 1, filesTotal: 1, bytesPerSecond: 1 }).percent).toBe(100);
  });
});
