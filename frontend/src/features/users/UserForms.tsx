import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, Divider, Form, Input, List, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { ROLES, roleLabel, type Role } from '../unions/labels';
import { UnionSelect } from '../unions/UnionSelect';
import { useAddRole, useCreateUser, useRemoveRole, useSetPassword, useUpdateUser, type UserRead } from './api';

const PASSWORD_RULES = (t: ReturnType<typeof useI18n>['t'], te: ReturnType<typeof useI18n>['te']) => [
  { required: true, message: te('required', '') },
  { min: 10, message: t('users.passwordHint') },
  { pattern: /(?=.*\p{L})(?=.*\d)/u, message: te('weak_password', '') },
];

function RoleFields({ prefix }: { prefix?: string }) {
  const { t, te } = useI18n();
  const name = (n: string) => (prefix ? [prefix, n] : n);
  return (
    <Space wrap align="start">
      <Form.Item name={name('role')} label={t('users.role')} rules={[{ required: true, message: te('required', '') }]}>
        <Select<Role> style={{ width: 220 }} options={ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} />
      </Form.Item>
      <Form.Item name={name('union_id')} label={t('users.roleUnion')} rules={[{ required: true, message: te('required', '') }]}>
        <UnionSelect style={{ width: 320, maxWidth: '70vw' }} />
      </Form.Item>
    </Space>
  );
}

interface CreateValues {
  username: string;
  full_name: string;
  email?: string;
  password: string;
  role: Role;
  union_id: string;
}

export function CreateUserForm({ onDone, onDirty }: { onDone: () => void; onDirty: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const problem = useFormProblem(form, ['username', 'full_name', 'email', 'password', 'roles'], {
    'roles.0.role': 'role',
    'roles.0.union_id': 'union_id',
  });
  const create = useCreateUser();

  const submit = async (v: CreateValues) => {
    problem.clear();
    try {
      const user = await create.mutateAsync({
        username: v.username.trim(),
        full_name: v.full_name.trim(),
        email: v.email?.trim() || null,
        password: v.password,
        roles: [{ role: v.role, union_id: v.union_id }],
      });
      message.success(t('users.created', { name: user.username }));
      onDone();
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      <FormAlert messages={problem.general} />
      <Form<CreateValues> form={form} layout="vertical" onFinish={submit} onValuesChange={onDirty}>
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameHint')}
          rules={[
            { required: true, message: te('required', '') },
            { pattern: /^[a-z0-9._-]{3,64}$/, message: t('users.usernameHint') },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item name="full_name" label={t('users.fullName')} rules={[{ required: true, whitespace: true, message: te('required', '') }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="email" label={t('union.email')} rules={[{ type: 'email', message: te('invalid', '') }]}>
          <Input maxLength={254} />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')} rules={PASSWORD_RULES(t, te)}>
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <RoleFields />
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('users.create')}
        </Button>
      </Form>
    </>
  );
}

interface EditValues {
  full_name: string;
  email?: string;
  is_active: boolean;
}

export function EditUserPanel({ user, onDirty }: { user: UserRead; onDirty: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm<EditValues>();
  const [roleForm] = Form.useForm<{ role: Role; union_id: string }>();
  const [pwForm] = Form.useForm<{ password: string }>();
  const problem = useFormProblem(form, ['full_name', 'email', 'is_active']);
  const roleProblem = useFormProblem(roleForm, ['role', 'union_id']);
  const pwProblem = useFormProblem(pwForm, ['password']);
  const update = useUpdateUser();
  const addRole = useAddRole();
  const removeRole = useRemoveRole();
  const setPassword = useSetPassword();
  const [current, setCurrent] = useState(user);

  const save = async (v: EditValues) => {
    problem.clear();
    try {
      setCurrent(
        await update.mutateAsync({
          user: current,
          body: { full_name: v.full_name.trim(), email: v.email?.trim() || null, is_active: v.is_active },
        }),
      );
      message.success(t('common.saved'));
    } catch (e) {
      problem.show(e);
    }
  };

  const grant = async (v: { role: Role; union_id: string }) => {
    roleProblem.clear();
    try {
      setCurrent(await addRole.mutateAsync({ user: current, body: v }));
      roleForm.resetFields();
      message.success(t('users.roleAdded'));
    } catch (e) {
      roleProblem.show(e);
    }
  };

  const withdraw = async (assignmentId: string, label: string) => {
    const ok = await confirm({
      title: t('users.removeRoleTitle'),
      content: t('users.removeRoleConfirm', { role: label, name: current.full_name }),
      danger: true,
    });
    if (!ok) return;
    try {
      setCurrent(await removeRole.mutateAsync({ user: current, assignmentId }));
      message.success(t('users.roleRemoved'));
    } catch (e) {
      roleProblem.show(e);
    }
  };

  const changePassword = async (v: { password: string }) => {
    pwProblem.clear();
    try {
      await setPassword.mutateAsync({ user: current, password: v.password });
      pwForm.resetFields();
      message.success(t('users.passwordSet'));
    } catch (e) {
      pwProblem.show(e);
    }
  };

  return (
    <>
      <FormAlert messages={problem.general} />
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={save}
        onValuesChange={onDirty}
        initialValues={{ full_name: user.full_name, email: user.email ?? undefined, is_active: user.is_active }}
      >
        <Form.Item label={t('users.username')}>
          <Typography.Text code>{user.username}</Typography.Text>
        </Form.Item>
        <Form.Item name="full_name" label={t('users.fullName')} rules={[{ required: true, whitespace: true, message: te('required', '') }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="email" label={t('union.email')} rules={[{ type: 'email', message: te('invalid', '') }]}>
          <Input maxLength={254} />
        </Form.Item>
        <Form.Item name="is_active" label={t('users.active')} valuePropName="checked" extra={t('users.deactivateHint')}>
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={update.isPending}>
          {t('common.save')}
        </Button>
      </Form>

      <Divider titlePlacement="start">{t('users.roles')}</Divider>
      <List
        size="small"
        dataSource={current.roles}
        renderItem={(r) => (
          <List.Item
            actions={[
              <Button
                key="remove"
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('users.removeRole')}
                onClick={() => void withdraw(r.id, `${roleLabel(t, r.role)} · ${r.union_name}`)}
              />,
            ]}
          >
            {roleLabel(t, r.role)} · {r.union_name}
          </List.Item>
        )}
      />
      <FormAlert messages={roleProblem.general} />
      <Form form={roleForm} layout="vertical" onFinish={grant} style={{ marginTop: 12 }}>
        <RoleFields />
        <Button htmlType="submit" loading={addRole.isPending}>
          {t('users.addRole')}
        </Button>
      </Form>

      <Divider titlePlacement="start">{t('users.password')}</Divider>
      <FormAlert messages={pwProblem.general} />
      <Form form={pwForm} layout="vertical" onFinish={changePassword}>
        <Form.Item name="password" label={t('users.newPassword')} extra={t('users.passwordResetHint')} rules={PASSWORD_RULES(t, te)}>
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Button htmlType="submit" loading={setPassword.isPending}>
          {t('users.setPassword')}
        </Button>
      </Form>
    </>
  );
}
