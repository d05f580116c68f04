import { AirlockError } from '../../../shared/errors';
import type { AirlockServices } from '../../services/airlock-services';
import type { GroupHandlers } from '../router';

export function bundlesHandlers(services: AirlockServices): GroupHandlers<'bundles'> {
  return {
    'bundles.chooseFile': async () => {
      const file = await services.chooseBundle();
      return file ? { path: file } : null;
    },
    'bundles.import': async ({ path }) => {
      const r = await services.importBundle(path);
      return { outcome: r.outcome, importId: r.importId ?? null, report: r.report ?? null };
    },
    'bundles.cancel': () => services.cancelImport(),
    'bundles.list': () => services.unlocked().catalog.list(),
    'bundles.report': ({ importId }) => {
      const report = services.unlocked().catalog.report(importId);
      if (!report) throw new AirlockError('intake.not-found', `No import with id ${importId} is recorded in this vault.`);
      return report;
    },
  };
}
