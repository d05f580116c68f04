import type { AuditRecordDto } from '../../../shared/ipc/contract';
import type { AirlockServices } from '../../services/airlock-services';
import type { AuditRecord } from '../../services/vault';
import type { GroupHandlers } from '../router';

export function auditHandlers(services: AirlockServices): GroupHandlers<'audit'> {
  return {
    'audit.list': ({ limit, beforeSeq }) => services.unlocked().vault.audit.list({ limit, ...(beforeSeq ? { before: beforeSeq } : {}) }).map(auditDto),
  };
}

function auditDto(r: AuditRecord): AuditRecordDto {
  return { seq: r.seq, time: r.time, actor: r.actor, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail, hash: r.hash };
}
