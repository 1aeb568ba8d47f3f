import { App, DatePicker, Form, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useCreateRequest, type Report } from './api';
import { UnitsAndNote } from './RequestFields';

interface ForwardValues {
  deadline: Dayjs;
  unit_ids?: string[];
  note?: string;
}

const FIELDS = ['deadline', 'unit_ids', 'note'] as const;

/** Forward the request of `report` to its unit's own children (the same form and period, an earlier deadline). */
export function ForwardModal({ report, onClose }: { report: Report; onClose: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ForwardValues>();
  const problem = useFormProblem(form, FIELDS);
  const create = useCreateRequest();
  const parentDeadline = dayjs(report.deadline);

  const submit = async (v: ForwardValues) => {
    problem.clear();
    try {
      const created = await create.mutateAsync({
        union_id: report.union_id,
        template_id: report.template.id,
        period_from: report.period_from,
        period_to: report.period_to,
        deadline: toApiDate(v.deadline)!,
        note: v.note?.trim() || null,
        unit_ids: v.unit_ids?.length ? v.unit_ids : null,
        parent_request_id: report.request_id,
      });
      message.success(t('reports.requestSent', { n: formatNumber(created.units) }));
      onClose();
      navigate(`/reports/requests/${created.id}`);
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('reports.forwardTitle', { unit: report.union_name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('reports.send')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('reports.forwardHint', { deadline: formatDate(report.deadline) })}
      </Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form<ForwardValues> form={form} name="report-forward" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="deadline" label={t('reports.deadline')} rules={[{ required: true, message: te('required', '') }]}>
          <DatePicker format={DATE_FORMAT} disabledDate={(d) => !d.isBefore(parentDeadline, 'day')} />
        </Form.Item>
        <UnitsAndNote unionId={report.union_id} />
      </Form>
    </Modal>
  );
}
