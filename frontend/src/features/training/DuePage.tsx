import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../api/problem';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { downloadFile } from '../../lib/download';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate, type dayjs } from '../../lib/format';
import { postLabel } from '../members/labels';
import { UnionSelect } from '../unions/UnionSelect';
import { useDue, type DueRow } from './api';
import { levelLabel } from './labels';

export default function DuePage() {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [unionId, setUnionId] = useState<string | undefined>();
  const [asOf, setAsOf] = useState<ReturnType<typeof dayjs> | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState(1);
  const query = { union_id: unionId, as_of: toApiDate(asOf) ?? undefined, overdue_only: overdueOnly };
  const { data, isPending, isError, error, refetch } = useDue({ ...query, page, size: 50 });
  const columns: ColumnsType<DueRow> = [
    {
      key: 'member',
      title: t('course.member'),
      render: (_, r) => (
        <div>
          <Link to={`/members/${r.member_id}?tab=qualifications`}>{r.member_name}</Link>
          <div className="muted-small">{r.member_card_number ?? ''}</div>
        </div>
      ),
    },
    { key: 'post', title: t('due.post'), render: (_, r) => `${postLabel(t, r.post)} · ${r.union_name}` },
    { key: 'since', title: t('due.since'), width: 120, render: (_, r) => formatDate(r.from_date) },
    { key: 'requirement', title: t('due.requirement'), render: (_, r) => r.requirement_name },
    { key: 'current', title: t('due.currentLevel'), width: 130, render: (_, r) => levelLabel(r.current_level, r.kind) },
    { key: 'due', title: t('due.dueOn'), width: 110, render: (_, r) => formatDate(r.due_on) },
    {
      key: 'overdue',
      title: t('due.overdue'),
      width: 130,
      render: (_, r) =>
        r.overdue_days > 0 ? <Tag color="red">{t('due.overdueDays', { n: formatNumber(r.overdue_days) })}</Tag> : <Tag>{t('due.notYet')}</Tag>,
    },
  ];
  const exportXlsx = async () => {
    try {
      const q: Record<string, string | boolean> = { overdue_only: overdueOnly };
      if (query.union_id) q.union_id = query.union_id;
      if (query.as_of) q.as_of = query.as_of;
      const name = await downloadFile('/api/v1/training/due.xlsx', q, 'can-dao-tao.xlsx');
      message.success(t('export.done', { name }));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || '', p.params));
    }
  };
  return (
    <section aria-labelledby="due-title">
      <div className="page-header">
        <Typography.Title level={2} id="due-title">
          {t('due.title')}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()}>
          {t('due.export')}
        </Button>
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <UnionSelect allowClear placeholder={t('compliance.union')} aria-label={t('compliance.union')} style={{ width: 320 }} value={unionId} onChange={(v) => setUnionId(v ?? undefined)} />
          <DatePicker format={DATE_FORMAT} placeholder={t('compliance.asOf')} aria-label={t('compliance.asOf')} value={asOf} onChange={setAsOf} />
          <Space>
            <Switch checked={overdueOnly} onChange={setOverdueOnly} aria-label={t('due.overdueOnly')} />
            {t('due.overdueOnly')}
          </Space>
        </Space>
        {isError ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<DueRow>
            rowKey={(r) => `${r.post_id}-${r.requirement_code}`}
            loading={isPending}
            columns={columns}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('due.none')} /> }}
            pagination={{
              current: page,
              pageSize: 50,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
              showTotal: (n) => <span data-testid="due-total">{t('due.total', { n: formatNumber(n) })}</span>,
            }}
            scroll={{ x: 1000 }}
          />
        )}
      </Card>
    </section>
  );
}
