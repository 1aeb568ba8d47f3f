import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { Link } from 'react-router';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { sectorLabel } from '../unions/labels';
import { useEvaluationList, useSchemes, type EvaluationListQuery, type EvaluationRead } from './api';
import { STATUS_COLOR, formatPoints, levelNameIn, statusLabel } from './labels';

interface Props {
  query: EvaluationListQuery;
  onPage: (page: number, size: number) => void;
  empty: string;
  showYear?: boolean;
  testId?: string;
}

/** Evaluations as a table: the unit (opens its sheet), status, points and level. */
export function EvaluationTable({ query, onPage, empty, showYear, testId }: Props) {
  const { t } = useI18n();
  const { data, isPending, isFetching, isError, error, refetch } = useEvaluationList(query);
  const { data: schemes } = useSchemes();
  const columns: ColumnsType<EvaluationRead> = [
    {
      key: 'unit',
      title: t('evaluation.unit'),
      render: (_, e) => (
        <div>
          <Link to={`/evaluations/${e.id}`}>{e.union_name}</Link>
          <div className="muted-small">{e.union_code}</div>
        </div>
      ),
    },
    ...(showYear ? [{ key: 'year', title: t('round.year'), width: 80, render: (_: unknown, e: EvaluationRead) => e.year }] : []),
    { key: 'sector', title: t('evaluation.sector'), width: 150, render: (_, e) => sectorLabel(t, e.sector) },
    {
      key: 'status',
      title: t('evaluation.status'),
      width: 150,
      render: (_, e) => <Tag color={STATUS_COLOR[e.status]}>{statusLabel(t, e.status)}</Tag>,
    },
    {
      key: 'deadline',
      title: t('evaluation.deadline'),
      width: 150,
      render: (_, e) => {
        // The deadline of the step the rating waits for (the unit's, else the appraiser's).
        const due = e.status === 'draft' || e.status === 'returned' ? e.self_assessment_deadline : e.status === 'submitted' ? e.appraisal_deadline : null;
        return (
          <span>
            {formatDate(due) || '—'}
            {e.overdue ? (
              <Tag color="error" style={{ marginLeft: 6 }}>
                {t('evaluation.lateTag')}
              </Tag>
            ) : null}
          </span>
        );
      },
    },
    { key: 'total', title: t('evaluation.totalPoints'), width: 110, align: 'right', render: (_, e) => formatPoints(e.total_points) },
    {
      key: 'level',
      title: t('evaluation.level'),
      width: 220,
      render: (_, e) =>
        e.level ? (
          <span>
            {levelNameIn(schemes, e.year, e.level)}
            {e.strong ? (
              <Tag color="green" style={{ marginLeft: 6 }}>
                {t('evaluation.strong')}
              </Tag>
            ) : null}
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'updated', title: t('evaluation.updated'), width: 150, render: (_, e) => formatDateTime(e.updated_at) },
  ];
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Table<EvaluationRead>
      rowKey="id"
      size="middle"
      data-testid={testId}
      loading={isPending || isFetching}
      dataSource={data?.items ?? []}
      columns={columns}
      scroll={{ x: 1050 }}
      locale={{ emptyText: <EmptyState description={empty} /> }}
      onChange={(p) => onPage(p.current ?? 1, p.pageSize ?? 20)}
      pagination={{
        current: query.page ?? 1,
        pageSize: query.size ?? 20,
        total: data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (n) => t('evaluations.total', { n: formatNumber(n) }),
      }}
    />
  );
}
