/** Small assertions on errors, shared by the unit suites. */
import { isAirlockError, type AirlockError } from '../../src/shared/errors';

/** The AirlockError a promise rejects with; resolving, or rejecting with anything else, fails the test. */
export async function rejection(p: Promise<unknown>): Promise<AirlockError> {
  try {
    await p;
  } catch (e) {
    if (isAirlockError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** The code of the error `fn` throws: undefined when it does not throw, 'other' for an error that is not an AirlockError. */
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isAirlockError(e) ? e.code : 'other';
  }
  return undefined;
}
