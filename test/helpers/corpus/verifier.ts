/**
 * Loads the verifier under test (src/main/services/bundles/verify.ts) by a
 * runtime import, so the corpus compiles and reports clearly while the
 * verifier is still being written.
 */
import type { VerificationReport } from '../../../src/shared/verification';
import type { CaseOptions } from './cases';

export type VerifyBundle = (source: string, opts: CaseOptions & { concurrency?: number }) => Promise<VerificationReport>;

const VERIFY_MODULE = '../../../src/main/services/bundles/verify';

export async function loadVerifier(): Promise<{ verifyBundle?: VerifyBundle; error?: string }> {
  try {
    const m = (await import(/* @vite-ignore */ VERIFY_MODULE)) as { verifyBundle?: VerifyBundle };
    if (typeof m.verifyBundle !== 'function') return { error: 'verify.ts does not export verifyBundle' };
    return { verifyBundle: m.verifyBundle };
  } catch (e) {
    return { error: `cannot load ${VERIFY_MODULE}: ${(e as Error).message}` };
  }
}

/** One line per check, for assertion messages. */
export function explain(r: VerificationReport): string {
  return r.checks.map((c) => `  ${c.status.padEnd(4)} ${c.id}${c.code ? ` [${c.code}]` : ''}: ${c.reason}`).join('\n');
}
