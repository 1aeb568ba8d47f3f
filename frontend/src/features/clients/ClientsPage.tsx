import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Form, Grid, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { UnionSelect } from '../unions/UnionSelect';
import { useClientList, useCreateClient, type ClientPermission, type ClientRead } from './api';
import { CLIENT_PERMISSIONS, permissionLabel } from './labels';
import { StatusTag } from './StatusTag';
import { SecretNotice } from './SecretNotice';

interface CreateValues {
  name: string;
  organisation: string;
  contact: string;
  purpose: string;
  union_id: string;
  permissions: ClientPermission[];
  pii_basis?: string;
  rate_limit_per_minute?: number;
}

const FIELDS = ['name', 'organisation', 'contact', 'purpose', 'union_id', 'permissions', 'pii_basis', 'rate_limit_per_minute'];

function RegisterForm({ onDone }: { onDone: (secret: string, id: string) => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const problem = useFormProblem(form, FIELDS);
  const create = useCreateClient();
  const permissions = Form.useWatch('permissions', form) ?? [];
  const required = { required: true, whitespace: true, message: te('required', '') };

  const submit = async (v: CreateValues) => {
    problem.clear();
    try {
      const made = await create.mutateAsync({
        name: v.name.trim(),
        organisation: v.organisation.trim(),
        contact: v.contact.trim(),
        purpose: v.purpose.trim(),
        union_id: v.union_id,
        permissions: v.permissions,
        pii_basis: v.pii_basis?.trim() || null,
        rate_limit_per_minute: v.rate_limit_per_minute ?? null,
      });
      message.success(t('clients.registered', { name: made.name }));
      onDone(made.client_secret, made.id);
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      <FormAlert messages={problem.general} />
      <Form<CreateValues> form={form} layout="vertical" onFinish={submit} initialValues={{ permissions: ['unions:read'] }}>
        <Form.Item name="name" label={t('clients.name')} rules={[required]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="organisation" label={t('clients.organisation')} rules={[required]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="contact" label={t('clients.contact')} extra={t('clients.contactHint')} rules={[required]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="purpose" label={t('clients.purpose')} extra={t('clients.purposeHint')} rules={[required]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="union_id"
          label={t('clients.union')}
          extra={t('clients.unionHint')}
          rules={[{ required: true, message: te('required', '') }]}
        >
          <UnionSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('clients.permissions')}
          extra={t('clients.permissionsHint')}
          rules={[{ required: true, message: te('required', '') }]}
        >
          <Select<ClientPermission[]>
            mode="multiple"
            options={CLIENT_PERMISSIONS.map((p) => ({ value: p, label: permissionLabel(t, p) }))}
          />
        </Form.Item>
        {permissions.includes('members:pii') ? (
          <Form.Item name="pii_basis" label={t('clients.piiBasis')} extra={t('clients.piiBasisHint')} rules={[required]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        ) : null}
        <Form.Item name="rate_limit_per_minute" label={t('clients.rateLimit')}>
          <InputNumber min={1} max={100000} style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('clients.register')}
        </Button>
      </Form>
    </>
  );
}

export default function ClientsPage() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'active' | 'revoked' | undefined>();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [registering, setRegistering] = useState(false);
  const [made, setMade] = useState<{ secret: string; id: string } | null>(null);
  const { data, isPending, isError, error, refetch } = useClientList({ status, page, size });

  return (
    <section aria-labelledby="clients-title">
      <div className="page-header">
        <Typography.Title level={2} id="clients-title">
          {t('clients.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
          {t('clients.register')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('clients.intro')}</Typography.Paragraph>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<'all' | 'active' | 'revoked'>
            aria-label={t('clients.status')}
            style={{ width: 200 }}
            value={status ?? 'all'}
            onChange={(v) => {
              setStatus(v === 'all' ? undefined : v);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('clients.allStates') },
              { value: 'active', label: t('clients.statusActive') },
              { value: 'revoked', label: t('clients.statusRevoked') },
            ]}
          />
        </Space>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<ClientRead>
            rowKey="id"
            loading={isPending}
            dataSource={data?.items ?? []}
            scroll={{ x: 960 }}
            locale={{ emptyText: <EmptyState description={t('clients.none')} /> }}
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
                title: t('clients.name'),
                dataIndex: 'name',
                render: (name: string, c) => (
                  <Link to={`/clients/${c.id}`} aria-label={t('clients.open', { name })}>
                    {name}
                  </Link>
                ),
              },
              { title: t('clients.organisation'), dataIndex: 'organisation' },
              { title: t('clients.union'), dataIndex: 'union_name' },
              {
                title: t('clients.permissions'),
                dataIndex: 'permissions',
                render: (ps: ClientPermission[]) => (
                  <Space size={[4, 4]} wrap>
                    {ps.map((p) => (
                      <Tag key={p}>{p}</Tag>
                    ))}
                  </Space>
                ),
              },
              { title: t('clients.status'), key: 'status', width: 140, render: (_, c) => <StatusTag client={c} /> },
              {
                title: t('clients.requests'),
                key: 'requests',
                align: 'right',
                width: 110,
                render: (_, c) => formatNumber(c.usage.requests),
              },
              { title: t('clients.errors'), key: 'errors', align: 'right', width: 90, render: (_, c) => formatNumber(c.usage.errors) },
              {
                title: t('clients.lastSeen'),
                key: 'last',
                width: 160,
                render: (_, c) => (c.usage.last_seen_at ? formatDateTime(c.usage.last_seen_at) : t('clients.never')),
              },
            ]}
          />
        )}
      </Card>
      <Drawer
        open={registering}
        onClose={() => setRegistering(false)}
        title={t('clients.register')}
        size={screens.md ? 600 : '100%'}
        destroyOnHidden
      >
        <RegisterForm
          onDone={(secret, id) => {
            setRegistering(false);
            setMade({ secret, id });
          }}
        />
      </Drawer>
      <SecretNotice
        secret={made?.secret ?? null}
        title={t('clients.secret.title')}
        onClose={() => {
          const id = made?.id;
          setMade(null);
          if (id) void navigate(`/clients/${id}`);
        }}
      />
    </section>
  );
}
