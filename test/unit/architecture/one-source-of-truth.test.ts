/**
 * One source of truth: one lab-id format wherever a lab id is read, and one
 * registry of error codes that every code the code base reports belongs to.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT } from '../../../src/shared/ipc/contract';
import { ERROR_CODES, isErrorCode } from '../../../src/shared/error-codes';
import { isLabId } from '../../../src/shared/identifiers';
import { FAILURE_CODES } from '../../../src/shared/verification';
import { MetadataError, parseMetadata } from '../../../src/main/services/bundles/metadata';
import { modelAccessMeta } from '../../helpers/corpus/fixtures';

const SAMPLES = ['lab-1', 'lab_x.y-2', 'a'.repeat(128), 'a'.repeat(129), 'Lab-1', 'lab:1', '-lab', 'lab one', '', 'café'];

describe('one lab-id format', () => {
  it('the IPC contract, the bundle.json audience and the trust store (isLabId) agree on every sample', () => {
    for (const id of SAMPLES) {
      const expected = isLabId(id);
      expect(CONTRACT['trust.setLabId'].args.safeParse({ labId: id }).success, `contract: ${id}`).toBe(expected);
      let audienceOk = true;
      try {
        parseMetadata(Buffer.from(JSON.stringify(modelAccessMeta({ audience: [id] }))));
      } catch (e) {
        if (!(e instanceof MetadataError)) throw e;
        audienceOk = false;
      }
      expect(audienceOk, `audience: ${id}`).toBe(expected);
    }
    expect(SAMPLES.filter(isLabId)).toEqual(['lab-1', 'lab_x.y-2', 'a'.repeat(128)]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|tsx|mts|mjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('one registry of error codes', () => {
  it('every error code the sources report is registered (or is a verification FailureCode)', () => {
    const root = path.resolve(__dirname, '../../../src');
    const failureCodes = new Set<string>(FAILURE_CODES);
    const isKnown = (code: string) => isErrorCode(code) || failureCodes.has(code) || code === 'custom' /* a zod issue code */;
    const unknown: string[] = [];
    // Codes appear as `new AirlockError('x.y'` / `code: 'x.y'` in services, CLI and renderer alike.
    const re = /(?:AirlockError\(\s*|\bcode:\s*)'([a-z]+(?:\.[a-z0-9-]+)?)'/g;
    let seen = 0;
    for (const file of sourceFiles(root)) {
      if (file.endsWith('error-codes.ts') || file.endsWith('verification.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(re)) {
        seen++;
        if (!isKnown(m[1]!)) unknown.push(`${path.relative(root, file)}: ${m[1]}`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('every registered code says what it means', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z]+(\.[a-z0-9-]+)?$/);
      expect(meaning.length, code).toBeGreaterThan(10);
    }
  });
});
