import { App, Button, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../api/problem';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useChangeRequests, useDecideChangeRequest, type ChangeRequestRead } from '../selfservice/api';
import { STATUS_COLOR } from '../selfservice/status';

function shown(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}: ${String(v ?? '')}`)
    .join('; ');
}

/** The inbox of identity changes members asked for in their own accounts. */
export default function ChangeRequestsPage() {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [pendingOnly, setPendingOnly] = useState(true);
  const [page, setPage] = useState(1);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const list = useChangeRequests(pendingOnly, page);
  const decide = useDecideChangeRequest();
  const act = async (r: ChangeRequestRead, decision: 'approve' | 'reject') => {
    try {
      await decide.mutateAsync({ id: r.id, decision, note: notes[r.id] });
      message.success(t(decision === 'approve' ? 'changes.approved' : 'changes.rejected'));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(p.errors?.length ? te(p.errors[0].code, p.errors[0].message ?? '', p.errors[0].params) : te(p.code, p.detail ?? p.code, p.params));
    }
  };
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return (
    <section aria-labelledby="changes-title">
      <div className="page-header">
        <Typography.Title level={2} id="changes-title">
          {t('changes.title')}
        </Typography.Title>
        <Checkbox checked={pendingOnly} onChange={(e) => { setPendingOnly(e.target.checked); setPage(1); }}>
          {t('changes.pendingOnly')}
        </Checkbox>
      </div>
      <Table<ChangeRequestRead>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('changes.none') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('me.requestedAt'), dataIndex: 'requested_at', render: (v: string) => formatDateTime(v) },
          {
            title: t('changes.member'),
            dataIndex: 'member_name',
            render: (name: string, r) => <Link to={`/members/${r.member_id}`}>{name}</Link>,
          },
          { title: t('changes.union'), dataIndex: 'union_name' },
          {
            title: t('changes.asked'),
            key: 'changes',
            render: (_, r) => (
              <div>
                <div>{shown(r.changes)}</div>
                <div className="option-sub">{shown(r.current)}</div>
                {r.note ? <div className="option-sub">{r.note}</div> : null}
              </div>
            ),
          },
          {
            title: t('member.status'),
            dataIndex: 'status',
            render: (s: keyof typeof STATUS_COLOR) => <Tag color={STATUS_COLOR[s]}>{t(`me.status.${s}`)}</Tag>,
          },
          {
            key: 'actions',
            render: (_, r) =>
              r.status === 'pending' && can('members:write') ? (
                <Space direction="vertical">
                  <Input
                    size="small"
                    placeholder={t('me.decisionNote')}
                    aria-label={t('me.decisionNote')}
                    value={notes[r.id] ?? ''}
                    onChange={(e) => setNotes((n) => ({ ...n, [r.id]: e.target.value }))}
                  />
                  <Space>
                    <Button size="small" type="primary" onClick={() => void act(r, 'approve')} loading={decide.isPending}>
                      {t('changes.approve')}
                    </Button>
                    <Button size="small" danger onClick={() => void act(r, 'reject')} loading={decide.isPending}>
                      {t('changes.reject')}
                    </Button>
                  </Space>
                </Space>
              ) : (
                r.decision_note
              ),
          },
        ]}
      />
    </section>
  );
}
