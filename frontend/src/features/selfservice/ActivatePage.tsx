import { Alert, Button, DatePicker, Form, Input, Segmented } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Dayjs } from 'dayjs';
import { FormAlert } from '../../components/FormAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n/context';
import { toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { activateAccount } from './api';

interface Values {
  personal_id?: string;
  card_number?: string;
  date_of_birth?: Dayjs;
  code?: string;
  username: string;
  password: string;
}

const FIELDS = ['personal_id', 'card_number', 'date_of_birth', 'code', 'username', 'password'] as const;

/** A member activates their own account (no sign-in yet), then signs in as anyone does. */
export default function ActivatePage() {
  const { t, te } = useI18n();
  const [form] = Form.useForm<Values>();
  const problem = useFormProblem(form, FIELDS);
  const [mode, setMode] = useState<'identity' | 'code'>('identity');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const required = [{ required: true, whitespace: true, message: te('required', '') }];
  const submit = async (v: Values) => {
    problem.clear();
    setBusy(true);
    try {
      const body =
        mode === 'code'
          ? { code: v.code, username: v.username, password: v.password }
          : { personal_id: v.personal_id, card_number: v.card_number, date_of_birth: toApiDate(v.date_of_birth), username: v.username, password: v.password };
      const result = await activateAccount(body);
      setDone(result.username);
    } catch (e) {
      problem.show(e);
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
      <section className="signin-card" aria-labelledby="activate-title">
        <h1 id="activate-title" className="signin-title">
          {t('activate.title')}
        </h1>
        {done ? (
          <>
            <Alert type="success" showIcon title={t('activate.done', { username: done })} style={{ marginBottom: 16 }} />
            <Link to="/signin">
              <Button type="primary" block>
                {t('activate.back')}
              </Button>
            </Link>
          </>
        ) : (
          <>
            <Segmented
              block
              value={mode}
              onChange={(v) => setMode(v as 'identity' | 'code')}
              options={[
                { value: 'identity', label: t('activate.byIdentity') },
                { value: 'code', label: t('activate.byCode') },
              ]}
              style={{ marginBottom: 16 }}
            />
            <FormAlert messages={problem.general} />
            <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
              {mode === 'identity' ? (
                <>
                  <Form.Item label={t('activate.personalId')} name="personal_id" rules={required}>
                    <Input inputMode="numeric" />
                  </Form.Item>
                  <Form.Item label={t('activate.cardNumber')} name="card_number" rules={required}>
                    <Input />
                  </Form.Item>
                  <Form.Item label={t('activate.dateOfBirth')} name="date_of_birth" rules={[{ required: true, message: te('required', '') }]}>
                    <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
                  </Form.Item>
                </>
              ) : (
                <Form.Item label={t('activate.code')} name="code" rules={required}>
                  <Input autoComplete="one-time-code" />
                </Form.Item>
              )}
              <Form.Item label={t('activate.username')} name="username" rules={required}>
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item label={t('activate.password')} name="password" rules={required}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t('activate.submit')}
              </Button>
            </Form>
            <p style={{ marginTop: 16 }}>
              <Link to="/signin">{t('activate.back')}</Link>
            </p>
          </>
        )}
      </section>
    </main>
  );
}
