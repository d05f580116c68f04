import { classificationTone } from '../lib/checks';

/** The bundle's classification marking, as a full-width banner (text, not colour alone, carries it). */
export function ClassificationBanner({ marking, position = 'top' }: { marking: string | null | undefined; position?: 'top' | 'bottom' }) {
  const text = marking?.trim() || 'CLASSIFICATION NOT STATED';
  return (
    <div
      className={`classification classification-${classificationTone(marking)}`}
      data-testid={position === 'top' ? 'classification-banner' : undefined}
      aria-label={`Classification: ${text}`}
      role="note"
    >
      {text}
    </div>
  );
}
