import type { AirlockServices } from '../../services/airlock-services';
import type { GroupHandlers } from '../router';

export function appHandlers(services: AirlockServices): GroupHandlers<'app'> {
  return {
    'app.info': () => ({
      name: 'Airlock',
      version: services.options.version,
      platform: services.options.platform,
      vaultDir: services.vaultDir,
      vaultExists: services.vaultExists(),
    }),
  };
}
