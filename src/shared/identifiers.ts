/**
 * The one identifier format: bundle ids, series and lab identifiers (spec §5:
 * `[a-z0-9][a-z0-9._-]{0,127}`). A lab id is compared with a bundle's
 * `audience` entries, so the trust store, the IPC contract, the CLI, the
 * renderer's form and the bundle.json schema all use this one rule.
 */
export const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export const LAB_ID_RULE = 'A lab identifier is 1–128 characters: lower-case letters a–z, digits, “.”, “_” and “-”, starting with a letter or digit.';

export function isLabId(value: string): boolean {
  return IDENTIFIER_PATTERN.test(value);
}
