import { App, DatePicker, Form, Input, InputNumber, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, dayjs, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAddSurvey } from './api';

interface Values {
  surveyed_on?: Dayjs;
  total_workers?: number;
  female_workers?: number;
  note?: string;
}
const FIELDS = ['surveyed_on', 'total_workers', 'female_workers', 'note'] as const;

/** Records a dated worker count (khảo sát); the latest one gives the enterprise's size. */
export function SurveyModal({ enterpriseId, onClose }: { enterpriseId: string; onClose: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const problem = useFormProblem(form, FIELDS);
  const add = useAddSurvey(enterpriseId);
  const required = { required: true, message: te('required', '') };

  const close = async () => {
    if (dirty && !(await confirm({ title: t('unsaved.title'), content: t('unsaved.body'), okText: t('unsaved.leave'), danger: true }))) return;
    onClose();
  };
  const submit = async (v: Values) => {
    problem.clear();
    try {
      const saved = await add.mutateAsync({
        surveyed_on: toApiDate(v.surveyed_on) ?? '',
        total_workers: v.total_workers ?? 0,
        female_workers: v.female_workers ?? 0,
        note: v.note?.trim() || null,
      });
      message.success(saved.is_current ? t('survey.savedCurrent') : t('survey.saved'));
      onClose();
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Modal
      open
      title={t('survey.add')}
      onCancel={() => void close()}
      okText={t('common.save')}
      okButtonProps={{ htmlType: 'submit', loading: add.isPending }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form<Values> form={form} layout="vertical" onFinish={submit} onValuesChange={() => setDirty(true)} initialValues={{ surveyed_on: dayjs() }} clearOnDestroy>
          {node}
        </Form>
      )}
    >
      <FormAlert messages={problem.general} />
      <Form.Item name="surveyed_on" label={t('survey.date')} rules={[required]}>
        <DatePicker format={DATE_FORMAT} disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="total_workers" label={t('survey.total')} rules={[required]}>
        <InputNumber<number> min={0} max={1_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item
        name="female_workers"
        label={t('survey.female')}
        dependencies={['total_workers']}
        rules={[
          required,
          ({ getFieldValue }) => ({
            validator: (_, v?: number) =>
              v == null || getFieldValue('total_workers') == null || v <= getFieldValue('total_workers')
                ? Promise.resolve()
                : Promise.reject(new Error(te('female_exceeds_total', ''))),
          }),
        ]}
      >
        <InputNumber<number> min={0} max={1_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="note" label={t('union.note')} rules={[{ max: 1000, message: te('too_long', '') }]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </Modal>
  );
}
