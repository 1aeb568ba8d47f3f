import { PlusOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import {
  useClientWebhooks,
  useCreateWebhook,
  useDeliveries,
  useRedeliver,
  useUpdateWebhook,
  type ClientRead,
  type DeliveryRead,
  type WebhookRead,
} from './api';
import { SecretNotice } from './SecretNotice';
import { useFail } from '../../lib/useFail';

// The entity types the change feed carries (core/outbox.py FEED_TYPES); actions may be typed.
const EVENT_TYPES = ['union', 'member', 'cadre_assignment', 'transfer_request', 'enterprise', 'evaluation', 'evaluation_round'];
const EVENT_TYPE_PATTERN = /^[a-z_]+(\.[a-z_]+)?$/;

function AddWebhook({ client, onSecret }: { client: ClientRead; onSecret: (s: string) => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ url: string; event_types: string[] }>();
  const problem = useFormProblem(form, ['url', 'event_types']);
  const create = useCreateWebhook(client.id);
  const submit = async (v: { url: string; event_types?: string[] }) => {
    problem.clear();
    try {
      const made = await create.mutateAsync({ url: v.url.trim(), event_types: v.event_types ?? [] });
      setOpen(false);
      form.resetFields();
      message.success(t('webhooks.created'));
      onSecret(made.secret);
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} disabled={client.status !== 'active'}>
        {t('webhooks.add')}
      </Button>
      <Modal
        open={open}
        title={t('webhooks.add')}
        okText={t('webhooks.add')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        forceRender
      >
        <FormAlert messages={problem.general} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="url"
            label={t('webhooks.url')}
            extra={t('webhooks.urlHint')}
            rules={[
              { required: true, message: te('required', '') },
              { pattern: /^https?:\/\/\S+$/, message: te('webhook_url_invalid', '') },
            ]}
          >
            <Input maxLength={2000} placeholder="https://lgsp.example.vn/unionhub" />
          </Form.Item>
          <Form.Item
            name="event_types"
            label={t('webhooks.eventTypes')}
            extra={t('webhooks.eventTypesHint')}
            rules={[
              {
                validator: (_, v?: string[]) =>
                  (v ?? []).every((x) => EVENT_TYPE_PATTERN.test(x)) ? Promise.resolve() : Promise.reject(new Error(te('invalid', ''))),
              },
            ]}
          >
            <Select mode="tags" placeholder={t('webhooks.allEvents')} options={EVENT_TYPES.map((e) => ({ value: e, label: e }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function disabledText(t: (k: MessageKey) => string, hook: WebhookRead): string {
  if (hook.disabled_reason === 'persistent_failure') return t('webhooks.disabledPersistent');
  if (hook.disabled_reason === 'client_revoked') return t('webhooks.disabledRevoked');
  return t('webhooks.disabledOther');
}

function DeliveryStatus({ d }: { d: DeliveryRead }) {
  const { t } = useI18n();
  const color = d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : 'gold';
  return <Tag color={color}>{t(`webhooks.delivery.${d.status}` as MessageKey)}</Tag>;
}

function Deliveries({ client, hook }: { client: ClientRead; hook: WebhookRead }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const fail = useFail();
  const [page, setPage] = useState(1);
  const { data, isPending, isError, error, refetch } = useDeliveries(client.id, hook.id, page);
  const redeliver = useRedeliver(client.id);
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Table<DeliveryRead>
      rowKey="id"
      size="small"
      loading={isPending}
      dataSource={data?.items ?? []}
      scroll={{ x: 980 }}
      aria-label={t('webhooks.deliveriesOf', { url: hook.url })}
      locale={{ emptyText: <EmptyState description={t('webhooks.noDeliveries')} /> }}
      pagination={{
        current: page,
        pageSize: 20,
        total: data?.total ?? 0,
        showTotal: (n) => t('common.totalRows', { n: formatNumber(n) }),
        onChange: setPage,
      }}
      columns={[
        { title: t('webhooks.createdAt'), dataIndex: 'created_at', width: 150, render: (v: string) => formatDateTime(v) },
        { title: t('webhooks.event'), dataIndex: 'event_type', width: 150 },
        { title: t('webhooks.delivery.status'), key: 'status', width: 120, render: (_, d) => <DeliveryStatus d={d} /> },
        { title: t('webhooks.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
        { title: t('webhooks.lastStatus'), dataIndex: 'last_status_code', width: 90, render: (v: number | null) => v ?? '—' },
        {
          title: t('webhooks.lastError'),
          dataIndex: 'last_error',
          ellipsis: true,
          render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—'),
        },
        {
          title: t('webhooks.nextAttempt'),
          key: 'next',
          width: 150,
          render: (_, d) => (d.status === 'pending' ? formatDateTime(d.next_attempt_at) : '—'),
        },
        {
          title: '',
          key: 'actions',
          width: 110,
          render: (_, d) => (
            <Button
              size="small"
              icon={<RedoOutlined />}
              disabled={client.status !== 'active'}
              loading={redeliver.isPending && redeliver.variables?.deliveryId === d.id}
              onClick={async () => {
                try {
                  await redeliver.mutateAsync({ subscriptionId: hook.id, deliveryId: d.id });
                  message.success(t('webhooks.redelivered'));
                } catch (e) {
                  fail(e);
                }
              }}
            >
              {t('webhooks.redeliver')}
            </Button>
          ),
        },
      ]}
    />
  );
}

/** A client's webhook subscriptions, their state (and why one is off) and delivery log. */
export function WebhooksSection({ client }: { client: ClientRead }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const fail = useFail();
  const { data, isPending, isError, error, refetch } = useClientWebhooks(client.id);
  const update = useUpdateWebhook(client.id);
  const [shown, setShown] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const toggle = async (hook: WebhookRead) => {
    try {
      await update.mutateAsync({ hook, body: { active: !hook.active } });
      message.success(hook.active ? t('webhooks.pausedDone') : t('webhooks.enabled'));
    } catch (e) {
      fail(e);
    }
  };

  const hooks = data ?? [];
  const open = hooks.find((h) => h.id === shown) ?? (hooks.length === 1 ? hooks[0] : undefined);

  return (
    <Card title={t('webhooks.title')} extra={<AddWebhook client={client} onSecret={setSecret} />}>
      <Typography.Paragraph type="secondary">{t('webhooks.intro')}</Typography.Paragraph>
      {hooks
        .filter((h) => !h.active)
        .map((h) => (
          <Alert
            key={h.id}
            type={h.disabled_reason === 'persistent_failure' ? 'error' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            message={t('webhooks.disabledNotice', { url: h.url })}
            description={disabledText(t, h)}
            role="alert"
          />
        ))}
      {isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : (
        <Table<WebhookRead>
          rowKey="id"
          size="small"
          loading={isPending}
          dataSource={hooks}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <EmptyState description={t('webhooks.none')} /> }}
          columns={[
            { title: t('webhooks.url'), dataIndex: 'url', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            {
              title: t('webhooks.eventTypes'),
              dataIndex: 'event_types',
              render: (v: string[]) =>
                v.length ? (
                  <Space size={[4, 4]} wrap>
                    {v.map((e) => (
                      <Tag key={e}>{e}</Tag>
                    ))}
                  </Space>
                ) : (
                  t('webhooks.allEvents')
                ),
            },
            {
              title: t('webhooks.state'),
              key: 'state',
              width: 120,
              render: (_, h) =>
                h.active ? (
                  <Tag color="green">{t('webhooks.active')}</Tag>
                ) : (
                  <Tag color={h.disabled_reason ? 'red' : 'default'}>{h.disabled_reason ? t('webhooks.disabled') : t('webhooks.paused')}</Tag>
                ),
            },
            { title: t('webhooks.failures'), dataIndex: 'consecutive_failures', width: 110, align: 'right' },
            {
              title: '',
              key: 'actions',
              width: 260,
              render: (_, h) => (
                <Space>
                  <Button size="small" onClick={() => setShown(h.id)} type={open?.id === h.id ? 'primary' : 'default'}>
                    {t('webhooks.showDeliveries')}
                  </Button>
                  <Button size="small" onClick={() => void toggle(h)} disabled={client.status !== 'active'}>
                    {h.active ? t('webhooks.pause') : t('webhooks.enable')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      {open ? (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={4}>{t('webhooks.deliveriesOf', { url: open.url })}</Typography.Title>
          <Deliveries key={open.id} client={client} hook={open} />
        </div>
      ) : null}
      <SecretNotice secret={secret} title={t('clients.secret.webhookTitle')} onClose={() => setSecret(null)} />
    </Card>
  );
}
