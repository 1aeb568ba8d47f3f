import { DatePicker, Form, Input } from 'antd';
import { useI18n } from '../../i18n/context';
import type { Dayjs } from 'dayjs';
import { DATE_FORMAT, dayjs } from '../../lib/format';

/** Decision number and dates that every change of the tree carries. */
export function DecisionFields({
  required = true,
  dateName = 'effective_date',
  decisionName = 'decision_no',
  withNote = true,
  dateLabel,
}: {
  dateLabel?: string;
  required?: boolean;
  dateName?: string;
  decisionName?: string;
  withNote?: boolean;
}) {
  const { t, te } = useI18n();
  const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');
  return (
    <>
      <Form.Item
        name={decisionName}
        label={t('union.decisionNo')}
        rules={[{ required, whitespace: true, message: te('required', '') }, { max: 64, message: te('too_long', '') }]}
        extra={t('union.decisionNoHint')}
      >
        <Input maxLength={64} placeholder="125/QĐ-LĐLĐ" />
      </Form.Item>
      <Form.Item
        name={dateName}
        label={dateLabel ?? t('union.effectiveDate')}
        rules={[{ required, message: te('required', '') }]}
      >
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="decision_date" label={t('union.decisionDate')}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      {withNote ? (
        <Form.Item name="note" label={t('union.note')} rules={[{ max: 1000, message: te('too_long', '') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      ) : null}
    </>
  );
}
