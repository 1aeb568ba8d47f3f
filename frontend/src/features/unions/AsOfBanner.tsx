import { Alert, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { fetchTreeLevel, unionKeys } from './api';
import { statusLabel } from './labels';

/**
 * A union page opened from a past date's tree or search keeps that date: what the union was
 * called and how it stood then, with the way back to that date's tree and to today.
 */
export function AsOfBanner({ unionId, asOf, onToday }: { unionId: string; asOf: string; onToday: () => void }) {
  const { t } = useI18n();
  const then = useQuery({
    queryKey: unionKeys.tree(asOf, unionId),
    queryFn: () => fetchTreeLevel(unionId, asOf),
    retry: false,
  });
  const node = then.data?.[0];
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="as-of-banner"
      title={t('unionAsOf.title', { date: formatDate(asOf) })}
      description={
        <Space direction="vertical" size={4}>
          {node ? (
            <span data-testid="as-of-state">
              {t('unionAsOf.state', {
                name: node.name,
                status: statusLabel(t, node.status),
                n: formatNumber(node.child_count),
              })}
            </span>
          ) : then.isError ? (
            <span>{t('unionAsOf.notThen')}</span>
          ) : null}
          <Space wrap>
            <Link to={`/unions?as_of=${asOf}`}>{t('unionAsOf.backToTree', { date: formatDate(asOf) })}</Link>
            <a onClick={onToday} role="button" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && onToday()}>
              {t('unionAsOf.today')}
            </a>
          </Space>
        </Space>
      }
    />
  );
}
