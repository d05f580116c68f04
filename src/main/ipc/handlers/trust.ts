import type { TrustStoreDto } from '../../../shared/ipc/contract';
import { BUNDLE_TYPES } from '../../../shared/verification';
import type { AirlockServices } from '../../services/airlock-services';
import type { AnchorInfo, TrustList } from '../../services/trust';
import type { GroupHandlers } from '../router';

export function trustHandlers(services: AirlockServices): GroupHandlers<'trust'> {
  const list = (): TrustStoreDto => trustDto(services.unlocked().trust.list());
  return {
    'trust.list': list,
    'trust.addAnchor': async ({ types, label }) => {
      await services.addAnchorFromPicker(types, label);
      return list();
    },
    'trust.removeAnchor': ({ id }) => {
      services.unlocked().trust.removeAnchor(id);
      return list();
    },
    'trust.addCrl': async () => {
      await services.addCrlFromPicker();
      return list();
    },
    'trust.setLabId': ({ labId }) => {
      services.unlocked().trust.setLabId(labId);
      return list();
    },
  };
}

function anchorDto(a: AnchorInfo): TrustStoreDto['anchors'][number] {
  return {
    id: a.fingerprint,
    label: a.label,
    types: a.types === 'any' ? [...BUNDLE_TYPES] : a.types,
    certificate: {
      subject: a.subject,
      issuer: a.subject,
      serialNumber: a.serialNumber,
      notBefore: a.notBefore,
      notAfter: a.notAfter,
      sha256Fingerprint: a.fingerprint,
      keyAlgorithm: a.keyAlgorithm,
    },
    addedAt: a.addedAt,
    crl: a.crl ? { number: a.crl.number, thisUpdate: a.crl.thisUpdate, nextUpdate: a.crl.nextUpdate, fresh: a.crl.fresh } : null,
  };
}

function trustDto(list: TrustList): TrustStoreDto {
  return { labId: list.labId, anchors: list.anchors.map(anchorDto), crlCount: list.crls.length };
}
