import { CheckOutlined, CloseOutlined, RollbackOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAuth } from '../auth/context';
import { useTransferDecision, useTransfers, type TransferDecisionKind, type TransferListQuery, type TransferRead } from './api';
import { TRANSFER_STATUSES, TRANSFER_STATUS_COLOR, transferStatusLabel, type TransferStatus } from './labels';
import { FilterField } from '../../components/FilterField';

const TABS = ['incoming', 'outgoing', 'all'] as const;
type TabKey = (typeof TABS)[number];

const DECISION: Record<TransferDecisionKind, { title: MessageKey; text: MessageKey; ok: MessageKey; done: MessageKey }> = {
  accept: { title: 'transfer.acceptTitle', text: 'transfer.acceptConfirm', ok: 'transfer.accept', done: 'transfer.accepted' },
  refuse: { title: 'transfer.refuseTitle', text: 'transfer.refuseConfirm', ok: 'transfer.refuse', done: 'transfer.refused' },
  cancel: { title: 'transfer.cancelTitle', text: 'transfer.cancelConfirm', ok: 'transfer.cancel', done: 'transfer.cancelled' },
};

/** Says exactly what accepting, refusing or withdrawing will do; a note may go with it. */
function DecisionModal({ request, decision, onClose }: { request: TransferRead; decision: TransferDecisionKind; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const problem = useFormProblem(form, ['note']);
  const decide = useTransferDecision();
  const d = DECISION[decision];
  const submit = async ({ note }: { note?: string }) => {
    problem.clear();
    try {
      await decide.mutateAsync({ id: request.id, decision, body: { note: note?.trim() || null } });
      message.success(t(d.done, { name: request.member_name }));
      onClose();
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Modal
      open
      title={t(d.title)}
      onCancel={onClose}
      okText={t(d.ok)}
      okButtonProps={{ htmlType: 'submit', loading: decide.isPending, danger: decision !== 'accept' }}
      cancelText={t('common.close')}
      destroyOnHidden
      modalRender={(node) => (
        <Form form={form} layout="vertical" onFinish={submit} clearOnDestroy>
          {node}
        </Form>
      )}
    >
      <p data-testid="decision-text">
        {t(d.text, {
          name: request.member_name,
          from: request.from_union_name,
          union: request.to_union_name,
          date: formatDate(request.effective_date),
        })}
      </p>
      <FormAlert messages={problem.general} />
      <Form.Item name="note" label={t('transfer.note')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </Modal>
  );
}

function TransferTable({ tab }: { tab: TabKey }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [status, setStatus] = useState<TransferStatus[]>([]);
  const [decision, setDecision] = useState<{ request: TransferRead; kind: TransferDecisionKind } | null>(null);
  const query: TransferListQuery =
    tab === 'all'
      ? { direction: 'all', status: status.length ? status : undefined, page, size }
      : { direction: tab, status: ['pending'], page, size };
  const { data, isPending, isError, error, refetch } = useTransfers(query);
  const mayDecide = can('members:write');

  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <>
      {tab === 'all' ? (
        <FilterField label={t('transfer.status')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('transfer.status')}
            aria-label={t('transfer.status')}
            style={{ minWidth: 240, marginBottom: 12 }}
            value={status}
            onChange={(v: TransferStatus[]) => {
              setStatus(v);
              setPage(1);
            }}
            options={TRANSFER_STATUSES.map((s) => ({ value: s, label: transferStatusLabel(t, s) }))}
          />
        </FilterField>
      ) : null}
      <Table<TransferRead>
        rowKey="id"
        size="middle"
        loading={isPending}
        dataSource={data?.items ?? []}
        scroll={{ x: 980 }}
        locale={{
          emptyText: <EmptyState description={t(tab === 'incoming' ? 'transfer.noneIncoming' : tab === 'outgoing' ? 'transfer.noneOutgoing' : 'transfer.none')} />,
        }}
        pagination={{
          current: page,
          pageSize: size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.totalRows', { n: formatNumber(n) }),
          onChange: (p, s) => {
            setPage(p);
            setSize(s);
          },
        }}
        columns={[
          {
            title: t('member.fullName'),
            key: 'member',
            render: (_, r) => (
              <div>
                <Link to={`/members/${r.member_id}`}>{r.member_name}</Link>
                <div className="muted-small">
                  {r.member_card_number ?? ''} · {formatDate(r.member_date_of_birth)}
                </div>
              </div>
            ),
          },
          { title: t('transfer.from'), dataIndex: 'from_union_name' },
          { title: t('transfer.to'), dataIndex: 'to_union_name' },
          { title: t('transfer.effectiveDate'), dataIndex: 'effective_date', width: 120, render: (v: string) => formatDate(v) },
          { title: t('memberAction.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
          { title: t('transfer.requestedAt'), dataIndex: 'requested_at', width: 150, render: (v: string) => formatDateTime(v) },
          {
            title: t('transfer.status'),
            dataIndex: 'status',
            width: 150,
            render: (v: TransferStatus, r) => (
              <div>
                <Tag color={TRANSFER_STATUS_COLOR[v]}>{transferStatusLabel(t, v)}</Tag>
                {r.escalated ? (
                  <Tag color="red" data-testid="transfer-escalated">
                    {t('transfer.escalated')}
                  </Tag>
                ) : r.overdue ? (
                  <Tag color="orange" data-testid="transfer-overdue">
                    {t('transfer.overdue')}
                  </Tag>
                ) : null}
                {r.decision_note ? <div className="muted-small">{r.decision_note}</div> : null}
              </div>
            ),
          },
          ...(mayDecide && tab !== 'all'
            ? [
                {
                  title: '',
                  key: 'actions',
                  width: tab === 'incoming' ? 230 : 120,
                  render: (_: unknown, r: TransferRead) =>
                    tab === 'incoming' ? (
                      <Space>
                        <Button type="primary" size="small" icon={<CheckOutlined />} onClick={() => setDecision({ request: r, kind: 'accept' })}>
                          {t('transfer.accept')}
                        </Button>
                        <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDecision({ request: r, kind: 'refuse' })}>
                          {t('transfer.refuse')}
                        </Button>
                      </Space>
                    ) : (
                      <Button size="small" icon={<RollbackOutlined />} onClick={() => setDecision({ request: r, kind: 'cancel' })}>
                        {t('transfer.cancel')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {decision ? <DecisionModal request={decision.request} decision={decision.kind} onClose={() => setDecision(null)} /> : null}
    </>
  );
}

export default function TransfersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'incoming';
  return (
    <section aria-labelledby="transfers-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="transfers-title">
            {t('transfer.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('transfer.intro')}</Typography.Text>
        </div>
        {can('members:write') ? (
          <Link to="/transfers/settings">
            <Button icon={<SettingOutlined />}>{t('transfer.settings')}</Button>
          </Link>
        ) : null}
      </div>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'incoming' ? {} : { tab: key }, { replace: true })}
          items={TABS.map((key) => ({
            key,
            label: t(key === 'incoming' ? 'transfer.tabIncoming' : key === 'outgoing' ? 'transfer.tabOutgoing' : 'transfer.tabAll'),
            children: tab === key ? <TransferTable tab={key} /> : null,
          }))}
        />
      </Card>
    </section>
  );
}
