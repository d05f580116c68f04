/** Bundle path grammar (spec §1). */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
export const MAX_SEGMENTS = 8;

/** Undefined when valid, else the reason. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.startsWith('/')) return 'absolute path';
  const segs = path.split('/');
  if (segs.length > MAX_SEGMENTS) return `more than ${MAX_SEGMENTS} segments`;
  for (const s of segs) {
    if (s === '' ) return 'empty segment';
    if (s === '.' || s === '..') return `segment "${s}"`;
    if (!SEGMENT.test(s)) return `segment "${s.slice(0, 140)}" does not match [A-Za-z0-9][A-Za-z0-9._-]{0,127}`;
    if (s.endsWith('.')) return `segment "${s}" ends with a dot`;
    if (RESERVED.test(s)) return `segment "${s}" is a Windows reserved name`;
  }
  return undefined;
}

/** Case-insensitive key for duplicate detection (grammar is ASCII-only). */
export function foldKey(path: string): string {
  return path.toLowerCase();
}
