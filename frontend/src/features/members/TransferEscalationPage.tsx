import { App, Breadcrumb, Button, Card, Form, InputNumber, Radio, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAuth } from '../auth/context';
import { UnionSelect } from '../unions/UnionSelect';
import { useEscalation, useSetEscalation } from './api';

const FIELDS = ['days'] as const;
type Values = { mode: 'never' | 'after'; days?: number | null };

/** One union's setting: after how many days a transfer request into it goes up to its upper union. */
function EscalationForm({ unionId }: { unionId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const problem = useFormProblem(form, FIELDS);
  const { data, isPending, isError, error, refetch } = useEscalation(unionId);
  const save = useSetEscalation(unionId);
  const mode = Form.useWatch('mode', form);
  useEffect(() => {
    if (data) form.setFieldsValue({ mode: data.days == null ? 'never' : 'after', days: data.days ?? 30 });
  }, [data, form]);
  if (isPending) return <LoadingState rows={3} />;
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const submit = async (v: Values) => {
    problem.clear();
    try {
      const saved = await save.mutateAsync(v.mode === 'never' ? null : (v.days ?? null));
      message.success(saved.days == null ? t('escalation.savedNever') : t('escalation.saved', { days: saved.days }));
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} aria-label={t('escalation.title')} data-testid="escalation-form">
      <Typography.Paragraph data-testid="escalation-current">
        {data.days == null ? t('escalation.currentNever') : t('escalation.current', { days: data.days })}
      </Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form.Item name="mode" label={t('escalation.mode')}>
        <Radio.Group>
          <Space orientation="vertical">
            <Radio value="never">{t('escalation.never')}</Radio>
            <Radio value="after">{t('escalation.after')}</Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      {mode === 'after' ? (
        <Form.Item name="days" label={t('escalation.days')} rules={[{ required: true, message: t('escalation.daysRequired') }]}>
          <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
        </Form.Item>
      ) : null}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** Settings of the automatic escalation of transfer requests that wait too long (issue 14, item 5). */
export default function TransferEscalationPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const first = me?.roles[0];
  const [unionId, setUnionId] = useState<string | undefined>(first?.union_id);
  return (
    <section aria-labelledby="escalation-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/transfers">{t('nav.transfers')}</Link> }, { title: t('escalation.title') }]} />
      <Typography.Title level={2} id="escalation-title">
        {t('escalation.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('escalation.intro')}</Typography.Paragraph>
      <Card>
        <Form layout="vertical">
          <Form.Item label={t('escalation.union')} htmlFor="escalation-union">
            <UnionSelect
              id="escalation-union"
              style={{ width: '100%', maxWidth: 520 }}
              value={unionId}
              onChange={(v) => setUnionId(v ?? undefined)}
              initialOption={first ? { id: first.union_id, name: first.union_name } : null}
            />
          </Form.Item>
        </Form>
        {unionId ? <EscalationForm key={unionId} unionId={unionId} /> : null}
      </Card>
    </section>
  );
}
