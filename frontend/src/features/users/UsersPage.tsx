import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { ROLES, roleLabel, type Role } from '../unions/labels';
import { useUserList, type UserRead } from './api';
import { CreateUserForm, EditUserPanel } from './UserForms';
import { FilterField } from '../../components/FilterField';

type Panel = { kind: 'create' } | { kind: 'edit'; user: UserRead } | null;

export default function UsersPage() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const confirm = useConfirm();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [active, setActive] = useState<'all' | 'active' | 'inactive'>('all');
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [panel, setPanel] = useState<Panel>(null);
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);

  const { data, isPending, isError, error, refetch } = useUserList({
    q: q || undefined,
    role,
    is_active: active === 'all' ? undefined : active === 'active',
    page,
    size,
  });

  const close = async () => {
    if (dirty && !(await confirm({ title: t('unsaved.title'), content: t('unsaved.body'), okText: t('unsaved.leave'), danger: true }))) {
      return;
    }
    release();
    setDirty(false);
    setPanel(null);
  };

  return (
    <section aria-labelledby="users-title">
      <div className="page-header">
        <Typography.Title level={2} id="users-title">
          {t('users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setPanel({ kind: 'create' })}>
          {t('users.create')}
        </Button>
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <FilterField label={t('users.search')}>
            <Input.Search
              allowClear
              placeholder={t('users.search')}
              aria-label={t('users.search')}
              onSearch={(v) => {
                setQ(v.trim());
                setPage(1);
              }}
              style={{ width: 280 }}
            />
          </FilterField>
          <FilterField label={t('users.role')}>
            <Select<Role>
              allowClear
              placeholder={t('users.role')}
              aria-label={t('users.role')}
              style={{ width: 220 }}
              value={role}
              onChange={(v) => {
                setRole(v);
                setPage(1);
              }}
              options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
            />
          </FilterField>
          <Select
            aria-label={t('users.active')}
            style={{ width: 180 }}
            value={active}
            onChange={(v) => {
              setActive(v);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('users.allStates') },
              { value: 'active', label: t('users.activeOnly') },
              { value: 'inactive', label: t('users.inactiveOnly') },
            ]}
          />
        </Space>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<UserRead>
            rowKey="id"
            loading={isPending}
            dataSource={data?.items ?? []}
            scroll={{ x: 760 }}
            locale={{ emptyText: <EmptyState description={t('users.none')} /> }}
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
              { title: t('users.username'), dataIndex: 'username', width: 160 },
              { title: t('users.fullName'), dataIndex: 'full_name' },
              {
                title: t('users.roles'),
                dataIndex: 'roles',
                render: (roles: UserRead['roles']) => (
                  <Space size={[4, 4]} wrap>
                    {roles.map((r) => (
                      <Tag key={r.id}>
                        {roleLabel(t, r.role)} · {r.union_name}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: t('users.active'),
                dataIndex: 'is_active',
                width: 120,
                render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? t('users.activeYes') : t('users.activeNo')}</Tag>,
              },
              { title: t('users.updatedAt'), dataIndex: 'updated_at', width: 160, render: (v: string) => formatDateTime(v) },
              {
                title: '',
                key: 'actions',
                width: 80,
                render: (_, user) => (
                  <Button
                    icon={<EditOutlined />}
                    aria-label={t('users.editUser', { name: user.username })}
                    onClick={() => setPanel({ kind: 'edit', user })}
                  />
                ),
              },
            ]}
          />
        )}
      </Card>
      <Drawer
        open={panel !== null}
        onClose={() => void close()}
        title={panel?.kind === 'edit' ? t('users.editUser', { name: panel.user.username }) : t('users.create')}
        size={screens.md ? 560 : '100%'}
        destroyOnHidden
      >
        {panel?.kind === 'create' ? (
          <CreateUserForm
            onDirty={() => setDirty(true)}
            onDone={() => {
              release();
              setDirty(false);
              setPanel(null);
            }}
          />
        ) : panel?.kind === 'edit' ? (
          <EditUserPanel user={panel.user} onDirty={() => setDirty(true)} />
        ) : null}
      </Drawer>
    </section>
  );
}
