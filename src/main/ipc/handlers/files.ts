import type { AirlockServices } from '../../services/airlock-services';
import type { GroupHandlers } from '../router';

export function filesHandlers(services: AirlockServices): GroupHandlers<'files'> {
  return {
    // The preload's report of a drop grants nothing by itself: main asks the user.
    'files.dropped': async ({ path }) => {
      services.unlocked();
      return { granted: await services.files.offerDropped(path) };
    },
  };
}
