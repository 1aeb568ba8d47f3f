import { App, Button, Card, Form, Input, Table, Tag, Typography } from 'antd';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { DestinationSelect } from '../members/DestinationSelect';
import { fetchMyDestinations, useMyMember, useMyTransfers, useRequestTransfer } from './api';
import { STATUS_COLOR } from './status';

const FIELDS = ['to_union_id', 'reason', 'effective_date'] as const;

export default function MyTransferPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ to_union_id: string; reason?: string }>();
  const problem = useFormProblem(form, FIELDS);
  const member = useMyMember();
  const mine = useMyTransfers();
  const request = useRequestTransfer();
  const submit = async (v: { to_union_id: string; reason?: string }) => {
    problem.clear();
    try {
      const sent = await request.mutateAsync({ to_union_id: v.to_union_id, reason: v.reason || null });
      message.success(t('me.transferSent', { union: sent.to_union_name }));
      form.resetFields();
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <section aria-labelledby="transfer-title">
      <Typography.Title level={2} id="transfer-title">
        {t('me.transferTitle')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('me.transferHint')}</Typography.Paragraph>
        <FormAlert messages={problem.general} />
        <Form form={form} layout="vertical" onFinish={submit} aria-label={t('me.transferTitle')}>
          <Form.Item label={t('me.transferTo')} name="to_union_id" rules={[{ required: true, message: t('me.transferTo') }]}>
            <DestinationSelect excludeId={member.data?.union_id} source="self" fetchPage={fetchMyDestinations} />
          </Form.Item>
          <Form.Item label={t('me.transferReason')} name="reason">
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={request.isPending}>
            {t('me.transferSubmit')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('me.myTransfers')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={mine.isPending}
          locale={{ emptyText: t('me.noTransfers') }}
          dataSource={mine.data ?? []}
          columns={[
            { title: t('me.requestedAt'), dataIndex: 'requested_at', render: (v: string) => formatDateTime(v) },
            { title: t('me.transferTo'), dataIndex: 'to_union_name' },
            {
              title: t('member.status'),
              dataIndex: 'status',
              render: (s: keyof typeof STATUS_COLOR) => <Tag color={STATUS_COLOR[s]}>{t(`me.status.${s}`)}</Tag>,
            },
            { title: t('me.decisionNote'), dataIndex: 'decision_note' },
          ]}
        />
      </Card>
    </section>
  );
}
