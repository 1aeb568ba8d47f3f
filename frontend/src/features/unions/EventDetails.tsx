import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { formatNumber } from '../../lib/format';

const UNION_REFS = ['parent_id', 'from_parent_id', 'to_parent_id', 'target_id', 'source_id'] as const;
const COUNTS = ['children_moved', 'descendants_moved', 'members_moved'] as const;

interface Change {
  from?: unknown;
  to?: unknown;
}

/** The details an event carries (union_events.details), in words and links, not raw JSON. */
export function EventDetails({ details }: { details: Record<string, unknown> }) {
  const { t } = useI18n();
  const label = (key: string) => t(`eventDetail.${key}` as MessageKey);
  const lines: ReactNode[] = [];

  if (typeof details.name === 'string') lines.push(`${label('name')}: ${details.name}`);
  for (const key of UNION_REFS) {
    const id = details[key];
    if (typeof id === 'string') {
      lines.push(
        <Link key={key} to={`/unions/${id}`}>
          {label(key)}
        </Link>,
      );
    }
  }
  for (const key of COUNTS) {
    const n = details[key];
    if (typeof n === 'number' && n > 0) lines.push(`${label(key)}: ${formatNumber(n)}`);
  }
  const changes = details.changes as Record<string, Change> | undefined;
  if (changes && typeof changes === 'object') {
    for (const [field, change] of Object.entries(changes)) {
      const name = field === 'name' || field === 'short_name' ? t(field === 'name' ? 'union.name' : 'union.shortName') : field;
      lines.push(`${name}: ${String(change?.from ?? '—')} → ${String(change?.to ?? '—')}`);
    }
  }
  if (typeof details.note === 'string' && details.note) lines.push(`${label('note')}: ${details.note}`);
  if (!lines.length) return null;
  return (
    <Typography.Text type="secondary" className="event-details">
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
    </Typography.Text>
  );
}
