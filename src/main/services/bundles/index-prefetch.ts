/**
 * A light public entry of the bundles feature (container, SHA384SUMS and the
 * hashing workers only — no PKI, no schemas): start hashing a bundle's listed
 * files first. The CLI verifies one bundle per process, so its workers can
 * hash while the PKI and schema code load and the anchors are read. Nothing
 * here judges the bundle: verifyBundle uses the digests only when the bundle
 * it opens lists exactly the same files at the same places, and otherwise
 * cancels them and hashes itself.
 */
import { SUMS, openBundle, readSmall, type BundleFile } from './container';
import { hashFiles, type HashOutcome } from './hash-pool';
import { parseSums } from './sums';

export interface DigestPrefetch {
  source: string;
  /** One key per job, in order (see prefetchKey). */
  keys: readonly string[];
  outcomes: Promise<HashOutcome[]>;
  /** Stop hashing (the workers are terminated); harmless once finished. */
  cancel(): void;
}

/** What identifies a job: path, the file holding the bytes, and where they are in it. */
export function prefetchKey(f: BundleFile): string {
  return `${f.path}\0${f.file}\0${f.offset}\0${f.size}\0${f.ino ?? ''}\0${f.dev ?? ''}`;
}

/** Start hashing every file SHA384SUMS lists; undefined when the bundle cannot even be opened (the verifier will say why). */
export async function prefetchDigests(source: string, opts: { concurrency?: number } = {}): Promise<DigestPrefetch | undefined> {
  try {
    const opened = await openBundle(source);
    const byPath = new Map(opened.files.map((f) => [f.path, f]));
    const sumsFile = byPath.get(SUMS);
    if (!sumsFile || sumsFile.size > 64 << 20) return undefined;
    const files = parseSums(await readSmall(sumsFile)).flatMap((s) => byPath.get(s.path) ?? []);
    const controller = new AbortController();
    const outcomes = hashFiles(
      files.map((file) => ({ file })),
      { ...(opts.concurrency ? { concurrency: opts.concurrency } : {}), signal: controller.signal },
    );
    // Settled by the verifier (or cancelled unused): never an unhandled rejection.
    outcomes.catch(() => undefined);
    return { source, keys: files.map(prefetchKey), outcomes, cancel: () => controller.abort() };
  } catch {
    return undefined;
  }
}
