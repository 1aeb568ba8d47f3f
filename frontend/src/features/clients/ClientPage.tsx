import { ArrowLeftOutlined, KeyOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Form, InputNumber, Modal, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useClient, useRevokeClient, useRotateClient, type ClientRead } from './api';
import { permissionLabel } from './labels';
import { StatusTag } from './StatusTag';
import { SecretNotice } from './SecretNotice';
import { useFail } from '../../lib/useFail';
import { WebhooksSection } from './WebhooksSection';

function RotateButton({ client, onSecret }: { client: ClientRead; onSecret: (s: string) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const fail = useFail();
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState<number>(24);
  const rotate = useRotateClient();
  const submit = async () => {
    try {
      const made = await rotate.mutateAsync({ client, overlapHours: hours });
      setOpen(false);
      message.success(t('clients.rotated'));
      onSecret(made.client_secret);
    } catch (e) {
      fail(e);
    }
  };
  return (
    <>
      <Button icon={<KeyOutlined />} onClick={() => setOpen(true)} disabled={client.status !== 'active'}>
        {t('clients.rotate')}
      </Button>
      <Modal
        open={open}
        title={t('clients.rotate.title', { name: client.name })}
        okText={t('clients.rotate')}
        cancelText={t('common.cancel')}
        confirmLoading={rotate.isPending}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('clients.rotate.body')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t('clients.rotate.overlap')} extra={t('clients.rotate.overlapHint')}>
            <InputNumber
              min={0}
              max={720}
              value={hours}
              onChange={(v) => setHours(v ?? 0)}
              aria-label={t('clients.rotate.overlap')}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function ClientPage() {
  const { clientId = '' } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const fail = useFail();
  const confirm = useConfirm();
  const { data: client, isPending, isError, error, refetch } = useClient(clientId);
  const revoke = useRevokeClient();
  const [secret, setSecret] = useState<string | null>(null);

  if (isPending) return <LoadingState />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;

  const doRevoke = async () => {
    const ok = await confirm({
      title: t('clients.revoke.title', { name: client.name }),
      content: t('clients.revoke.body'),
      okText: t('clients.revoke'),
      danger: true,
    });
    if (!ok) return;
    try {
      await revoke.mutateAsync(client);
      message.success(t('clients.revoked'));
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section aria-labelledby="client-title">
      <Link to="/clients">
        <ArrowLeftOutlined /> {t('clients.back')}
      </Link>
      <div className="page-header">
        <Typography.Title level={2} id="client-title">
          {client.name} <StatusTag client={client} />
        </Typography.Title>
        <Space wrap>
          <RotateButton client={client} onSecret={setSecret} />
          <Button danger icon={<StopOutlined />} onClick={() => void doRevoke()} disabled={client.status !== 'active'}>
            {t('clients.revoke')}
          </Button>
        </Space>
      </div>
      {client.revoked_at ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('clients.revokedNotice', { at: formatDateTime(client.revoked_at) })}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('clients.details')}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('clients.clientId')}>
                <Typography.Text copyable code>
                  {client.client_id}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('clients.organisation')}>{client.organisation}</Descriptions.Item>
              <Descriptions.Item label={t('clients.contact')}>{client.contact}</Descriptions.Item>
              <Descriptions.Item label={t('clients.purpose')}>{client.purpose}</Descriptions.Item>
              <Descriptions.Item label={t('clients.union')}>
                <Link to={`/unions/${client.union_id}`}>{client.union_name}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('clients.permissions')}>
                <Space size={[4, 4]} wrap>
                  {client.permissions.map((p) => (
                    <Tag key={p} color={p === 'members:pii' ? 'orange' : undefined} title={p}>
                      {permissionLabel(t, p)}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
              {client.pii_basis ? (
                <Descriptions.Item label={t('clients.piiBasis')}>{client.pii_basis}</Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('clients.rateLimit')}>{formatNumber(client.rate_limit_per_minute)}</Descriptions.Item>
              <Descriptions.Item label={t('clients.createdAt')}>{formatDateTime(client.created_at)}</Descriptions.Item>
              {client.secret_rotated_at ? (
                <Descriptions.Item label={t('clients.rotatedAt')}>{formatDateTime(client.secret_rotated_at)}</Descriptions.Item>
              ) : null}
              {client.previous_secret_valid_until ? (
                <Descriptions.Item label={t('clients.previousValidUntil')}>
                  {formatDateTime(client.previous_secret_valid_until)}
                </Descriptions.Item>
              ) : null}
              {client.revoked_at ? (
                <Descriptions.Item label={t('clients.revokedAt')}>{formatDateTime(client.revoked_at)}</Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('clients.usage')}>
            <Space direction="vertical" size="large">
              <Statistic title={t('clients.requests')} value={formatNumber(client.usage.requests)} />
              <Statistic title={t('clients.errors')} value={formatNumber(client.usage.errors)} />
              <Statistic
                title={t('clients.lastSeen')}
                value={client.usage.last_seen_at ? formatDateTime(client.usage.last_seen_at) : t('clients.never')}
              />
            </Space>
          </Card>
        </Col>
        <Col span={24}>
          <WebhooksSection client={client} />
        </Col>
      </Row>
      <SecretNotice secret={secret} title={t('clients.secret.title')} onClose={() => setSecret(null)} />
    </section>
  );
}
