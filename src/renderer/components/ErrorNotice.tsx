import type { ErrorDto } from '../../shared/errors';

/** An error as a person reads it: the message (what happened, what to do), then the code for support. */
export function ErrorNotice({
  error,
  onDismiss,
  title,
  testId = 'error',
}: {
  error: ErrorDto | null | undefined;
  onDismiss?: () => void;
  title?: string;
  testId?: string;
}) {
  if (!error) return null;
  const detail = error.detail ? Object.entries(error.detail) : [];
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={error.code}>
      <div className="notice-body">
        {title && <strong className="notice-title">{title}</strong>}
        <p className="notice-message">{error.message}</p>
        {detail.length > 0 && (
          <dl className="notice-detail">
            {detail.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
        )}
        <p className="notice-code">
          Code: <code>{error.code}</code>
        </p>
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-quiet" onClick={onDismiss} aria-label="Dismiss this message">
          Dismiss
        </button>
      )}
    </div>
  );
}

export function InfoNotice({ children, testId, tone = 'info' }: { children: React.ReactNode; testId?: string; tone?: 'info' | 'warn' | 'ok' }) {
  return (
    <div className={`notice notice-${tone}`} role="status" data-testid={testId}>
      <div className="notice-body">{children}</div>
    </div>
  );
}
