import { STATUS_LABELS, STATUS_SYMBOLS } from '../lib/checks';
import type { CheckStatus } from '../../shared/verification';

export function StatusIcon({ status }: { status: CheckStatus }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span className="status-symbol" aria-hidden="true">
        {STATUS_SYMBOLS[status]}
      </span>
      <span className="status-label">{STATUS_LABELS[status]}</span>
    </span>
  );
}
