/**
 * Structured JSON-lines logger for main and the CLI. Redacts anything that
 * looks like a secret by field name, so keys, passphrases and credentials
 * never reach a log even if a caller passes them by mistake.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const SECRET_FIELD = /pass(word|phrase)?|secret|token|api[-_]?key|credential|private|^key$|datakey|kek|authorization/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createFileLogger(file: string, mirror?: (line: string) => void): Logger {
  mkdirSync(path.dirname(file), { recursive: true });
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...(redact(fields ?? {}) as object) });
    appendFileSync(file, line + '\n', { mode: 0o600 });
    mirror?.(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string, message: string, fields?: Record<string, unknown>) =>
    lines.push(JSON.stringify({ level, message, ...(redact(fields ?? {}) as object) }));
  return { lines, info: (m, f) => write('info', m, f), warn: (m, f) => write('warn', m, f), error: (m, f) => write('error', m, f) };
}
