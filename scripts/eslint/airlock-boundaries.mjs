/**
 * Airlock's layering rules inside src/main, as one small ESLint plugin:
 *
 * - `feature-boundaries`: a feature is a folder of src/main/services
 *   (vault, pki, bundles, trust, intake, jobs, session, files, log). Code
 *   outside a feature imports it only through its public entry, the folder's
 *   index.ts (or, for callers that must not load the whole feature, a light
 *   entry named index-<name>.ts), never one of its internal files.
 * - `domain-without-ipc`: services are domain code: they import neither the
 *   IPC contract and channels (src/shared/ipc) nor the IPC layer, the CLI or
 *   the Electron glue (src/main/ipc, src/main/cli, src/main/electron).
 */
import path from 'node:path';

const SERVICES = path.join('src', 'main', 'services');

/** The absolute file an import specifier names (relative specifiers only), without extension. */
function resolved(context, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  return path.resolve(path.dirname(context.filename), specifier).replace(/\.(m?[jt]sx?|d\.mts)$/, '');
}

/** { root, feature, rest } when `abs` lies inside src/main/services/<feature>/. */
function featureOf(abs, cwd) {
  const rel = path.relative(path.join(cwd, SERVICES), abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [feature, ...rest] = rel.split(path.sep);
  return rest.length ? { feature, rest: rest.join('/') } : { feature: undefined, rest: feature };
}

function importSources(node) {
  // import … from 'x', export … from 'x', import('x')
  return node.source && typeof node.source.value === 'string' ? node.source : undefined;
}

const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Import another feature only through its index.ts.' },
    schema: [],
    messages: {
      internal:
        "'{{spec}}' reaches into the internals of the {{feature}} feature ({{file}}). Import '{{entry}}' (its index.ts) and export what you need there.",
    },
  },
  create(context) {
    const cwd = context.cwd;
    const self = featureOf(context.filename.replace(/\.(m?[jt]sx?)$/, ''), cwd);
    const check = (node) => {
      const src = importSources(node);
      if (!src) return;
      const abs = resolved(context, src.value);
      if (!abs) return;
      const target = featureOf(abs, cwd);
      if (!target || !target.feature) return;
      if (self && self.feature === target.feature) return;
      if (target.rest === 'index' || /^index-[a-z0-9-]+$/.test(target.rest)) return;
      const entry = path.relative(path.dirname(context.filename), path.join(cwd, SERVICES, target.feature)).split(path.sep).join('/');
      context.report({ node: src, messageId: 'internal', data: { spec: src.value, feature: target.feature, file: target.rest, entry: entry.startsWith('.') ? entry : `./${entry}` } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

const FORBIDDEN_FOR_DOMAIN = [
  [path.join('src', 'shared', 'ipc'), 'the IPC contract and channels (src/shared/ipc): DTOs belong to src/main/ipc; give services their own types'],
  [path.join('src', 'main', 'ipc'), 'the IPC layer (src/main/ipc)'],
  [path.join('src', 'main', 'cli'), 'the command line (src/main/cli)'],
  [path.join('src', 'main', 'electron'), 'the Electron glue (src/main/electron)'],
];

const domainWithoutIpc = {
  meta: {
    type: 'problem',
    docs: { description: 'Services (domain code) do not import the IPC contract, the IPC layer, the CLI or the glue.' },
    schema: [],
    messages: { layer: "Services are domain code and must not import {{what}} ('{{spec}}')." },
  },
  create(context) {
    const cwd = context.cwd;
    const check = (node) => {
      const src = importSources(node);
      if (!src) return;
      const abs = resolved(context, src.value);
      if (!abs) return;
      for (const [dir, what] of FORBIDDEN_FOR_DOMAIN) {
        const rel = path.relative(path.join(cwd, dir), abs);
        if (!rel.startsWith('..') && !path.isAbsolute(rel)) context.report({ node: src, messageId: 'layer', data: { what, spec: src.value } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'feature-boundaries': featureBoundaries, 'domain-without-ipc': domainWithoutIpc } };
