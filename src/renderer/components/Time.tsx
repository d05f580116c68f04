import { formatTime } from '../lib/format';

/** A timestamp as recorded (ISO, UTC) with the local time beside it. */
export function Time({ iso, compact = false }: { iso: string | null | undefined; compact?: boolean }) {
  const t = formatTime(iso);
  if (!t.valid) return <span className="time">{t.iso}</span>;
  if (compact) {
    return (
      <time className="time" dateTime={t.iso} title={`Local: ${t.local}`}>
        {t.iso}
      </time>
    );
  }
  return (
    <span className="time">
      <time dateTime={t.iso}>{t.iso}</time>
      <span className="time-local"> · local {t.local}</span>
    </span>
  );
}
