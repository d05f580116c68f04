/**
 * Every channel's handler, one module per API group. Handlers map a contract
 * channel to a service call and service objects to JSON-safe DTOs; arguments
 * arrive validated by the router and results are validated on the way out.
 */
import type { AirlockServices } from '../../services/airlock-services';
import type { Handlers } from '../router';
import { appHandlers } from './app';
import { auditHandlers } from './audit';
import { bundlesHandlers } from './bundles';
import { contentHandlers } from './content';
import { filesHandlers } from './files';
import { trustHandlers } from './trust';
import { vaultHandlers } from './vault';

export function createHandlers(services: AirlockServices): Handlers {
  return {
    ...appHandlers(services),
    ...vaultHandlers(services),
    ...auditHandlers(services),
    ...trustHandlers(services),
    ...bundlesHandlers(services),
    ...filesHandlers(services),
    ...contentHandlers(services),
  };
}
