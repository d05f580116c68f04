/**
 * Validation against Inspect's log schema (resources/schemas/inspect-log-schema.json, JSON Schema 2020-12) with
 * ajv's 2020 build. The schema is Inspect's OpenAPI export; its `discriminator` objects carry OpenAPI `mapping`
 * references ajv cannot follow, so `discriminator` is registered as an annotation and the `oneOf` beside it does
 * the work.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import inspectLogSchema from '../../../../../resources/schemas/inspect-log-schema.json';
import { AirlockError } from '../../../../shared/errors';

/** The schema roots: header.json / the whole log, one sample, one summary, one reductions entry. */
export type InspectSchemaRoot = 'EvalLog' | 'EvalSample' | 'EvalSampleSummary' | 'EvalSampleReductions';

export interface SchemaProblem {
  /** JSON pointer into the validated value ('' = the value itself). */
  path: string;
  message: string;
}

export interface SchemaResult {
  valid: boolean;
  problems: SchemaProblem[];
}

const SCHEMA_ID = 'https://airlock.invalid/schemas/inspect-log-schema.json';
let ajv: Ajv2020 | undefined;
const validators = new Map<InspectSchemaRoot, ValidateFunction>();

function validatorFor(root: InspectSchemaRoot): ValidateFunction {
  let v = validators.get(root);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
      addFormats(ajv);
      ajv.addKeyword({ keyword: 'discriminator', schemaType: 'object' });
      ajv.addSchema({ ...inspectLogSchema, $id: SCHEMA_ID });
    }
    v = ajv.getSchema(`${SCHEMA_ID}#/$defs/${root}`);
    if (!v) throw new Error(`The Inspect log schema has no $defs/${root}.`);
    validators.set(root, v);
  }
  return v;
}

/**
 * anyOf/oneOf failures report every branch; keep the most specific problems (deepest path first, then one per
 * path and message) so a reader sees "/samples/0/output/completion: must be string", not forty branch misses.
 */
function readable(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  if (!errors?.length) return [];
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  const sorted = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  for (const e of sorted) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') message = `must have property '${(e.params as { missingProperty: string }).missingProperty}'`;
    if (e.keyword === 'enum') message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    if (e.keyword === 'const') message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    const key = `${e.instancePath}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: e.instancePath, message });
  }
  return out.slice(0, 20);
}

export function validateInspectMember(root: InspectSchemaRoot, value: unknown): SchemaResult {
  const v = validatorFor(root);
  const valid = v(value) as boolean;
  return { valid, problems: valid ? [] : readable(v.errors) };
}

/** Validate a whole log (header fields plus samples and reductions, as `read_eval_log` returns it). */
export function validateEvalLog(log: unknown): SchemaResult {
  return validateInspectMember('EvalLog', log);
}

export function formatProblems(problems: SchemaProblem[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path || '(root)'} ${p.message}`);
  const more = problems.length > limit ? `; and ${problems.length - limit} more` : '';
  return shown.join('; ') + more;
}

/** Throw evals.log-schema when a member does not pass; `member` names it in the message. */
export function assertInspectMember(root: InspectSchemaRoot, value: unknown, member: string): void {
  const result = validateInspectMember(root, value);
  if (!result.valid) {
    throw new AirlockError(
      'evals.log-schema',
      `${member} does not pass the Inspect log schema (${root}): ${formatProblems(result.problems)}. Inspect's viewer would refuse it; fix the data it is built from.`,
      { member, root },
    );
  }
}
