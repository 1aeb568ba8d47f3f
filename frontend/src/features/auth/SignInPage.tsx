import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n/context';
import { safeNext } from '../../lib/nav';
import { useFormProblem } from '../../lib/useFormProblem';
import { overviewQuery } from '../overview/api';
import { useAuth } from './context';

interface Values {
  username: string;
  password: string;
}

const FIELDS = ['username', 'password'] as const;

export default function SignInPage() {
  const { t, te } = useI18n();
  const auth = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const problem = useFormProblem(form, FIELDS);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  // While the user types, fetch the code of the screens that follow sign-in.
  useEffect(() => {
    if (import.meta.env.MODE === 'test') return;
    const id = setTimeout(() => {
      void import('../shell/AppShell');
      void import('../overview/OverviewPage');
      void import('../../components/EChart');
    }, 300);
    return () => clearTimeout(id);
  }, []);

  if (auth.status === 'signedIn') return <Navigate to={next} replace />;

  const submit = async (values: Values) => {
    problem.clear();
    setBusy(true);
    try {
      // The overview's figures load alongside the profile instead of after the shell is drawn.
      await auth.signIn(values.username.trim(), values.password, () => {
        if (next === '/') void queryClient.prefetchQuery(overviewQuery);
      });
      navigate(next, { replace: true });
    } catch (error) {
      problem.show(error);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin-page">
      <div className="signin-lang">
        <LanguageSwitch />
      </div>
      <Card className="signin-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('signin.subtitle')}</Typography.Paragraph>
        {auth.reason && !problem.general.length ? (
          <Alert type="warning" showIcon title={te(auth.reason, '')} style={{ marginBottom: 16 }} />
        ) : null}
        <FormAlert messages={problem.general} />
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item
            label={t('signin.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: te('required', '') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('signin.password')}
            name="password"
            rules={[{ required: true, message: te('required', '') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signin.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
