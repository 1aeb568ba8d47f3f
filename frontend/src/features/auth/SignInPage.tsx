import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form } from 'antd';
// The two inputs by their own modules: antd's Input barrel also brings TextArea, Search and OTP,
// which the first page never shows.
import Input from 'antd/es/input/Input';
import Password from 'antd/es/input/Password';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
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

  // Once the user starts typing, fetch the code of the screens that follow sign-in: the sign-in
  // page itself downloads only what it shows. The chart library (the largest chunk) is not
  // among them: it loads on the way to a screen that draws one.
  const warmed = useRef(false);
  const warm = () => {
    if (warmed.current || import.meta.env.MODE === 'test') return;
    warmed.current = true;
    void import('../shell/AppShell');
    void import('../overview/OverviewPage');
  };

  if (auth.status === 'signedIn') return <Navigate to={next} replace />;

  const submit = async (values: Values) => {
    problem.clear();
    setBusy(true);
    try {
      // The overview's figures load alongside the profile instead of after the shell is drawn.
      await auth.signIn(values.username.trim(), values.password, () => {
        if (next !== '/') return;
        void queryClient.prefetchQuery(overviewQuery());
        if (import.meta.env.MODE !== 'test') void import('../../components/EChart');
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
      {/* Plain elements, not antd's Card and Typography: the first page loads only what it shows. */}
      <section className="signin-card" aria-labelledby="signin-title">
        <h1 id="signin-title" className="signin-title">
          {t('app.name')}
        </h1>
        <p className="signin-subtitle">{t('signin.subtitle')}</p>
        {auth.reason && !problem.general.length ? (
          <Alert type="warning" showIcon title={te(auth.reason, '')} style={{ marginBottom: 16 }} />
        ) : null}
        <FormAlert messages={problem.general} />
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={warm}
          requiredMark={false}
          disabled={busy}
        >
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
            <Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signin.submit')}
          </Button>
        </Form>
        <p className="signin-activate">
          <Link to="/activate">{t('activate.link')}</Link>
        </p>
      </section>
    </main>
  );
}
