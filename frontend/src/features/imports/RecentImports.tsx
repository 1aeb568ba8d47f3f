import { Card, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { Link } from 'react-router';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { resultCounts, useRecentImports, type ImportJobSummary, type ImportStatus } from './api';

const STATUS_COLOR: Record<ImportStatus, string> = {
  validating: 'processing',
  validated: 'blue',
  committing: 'processing',
  committed: 'green',
  failed: 'red',
  cancelled: 'default',
};

/** The latest imports the officer may see (their own and their unions'): who, when, which
 * file, how far it got, its counts; each opens its report on this page (?job=<id>). */
export function RecentImports() {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useRecentImports();
  const columns: ColumnsType<ImportJobSummary> = [
    {
      key: 'when',
      title: t('imports.recent.when'),
      width: 150,
      render: (_, j) => <span className="nowrap">{formatDateTime(j.created_at)}</span>,
    },
    { key: 'who', title: t('imports.recent.who'), width: 170, render: (_, j) => j.created_by_name ?? '—' },
    {
      key: 'file',
      title: t('imports.recent.file'),
      render: (_, j) => (
        <Link to={`/imports?job=${j.id}`} data-testid="recent-import-link">
          {j.file_name}
        </Link>
      ),
    },
    {
      key: 'kind',
      title: t('imports.recent.kind'),
      width: 120,
      render: (_, j) => t(j.kind === 'members' ? 'imports.kindMembers' : 'imports.kindEnterprises'),
    },
    {
      key: 'status',
      title: t('imports.recent.status'),
      width: 150,
      render: (_, j) => <Tag color={STATUS_COLOR[j.status]}>{t(`imports.status.${j.status}`)}</Tag>,
    },
    {
      key: 'counts',
      title: t('imports.recent.counts'),
      width: 280,
      render: (_, j) => {
        const c = resultCounts(j);
        return j.status === 'committed'
          ? t('imports.recent.committedCounts', {
              created: formatNumber(c.created),
              updated: formatNumber(c.updated),
              skipped: formatNumber(c.skipped),
            })
          : t('imports.recent.checkedCounts', {
              rows: formatNumber(j.total_rows),
              valid: formatNumber(j.valid_rows),
              bad: formatNumber(c.badRows),
            });
      },
    },
  ];
  return (
    <Card style={{ marginTop: 16 }} title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('imports.recent.title')}</Typography.Title>} data-testid="recent-imports">
      {isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : (
        <Table<ImportJobSummary>
          rowKey="id"
          size="small"
          className="card-table"
          loading={isPending}
          dataSource={data?.items ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('imports.recent.none') }}
        />
      )}
    </Card>
  );
}
