import { Form, Input } from 'antd';
import { useI18n } from '../../i18n/context';
import { ChildUnionsSelect } from '../unions/ChildUnionsSelect';

/** The units a request asks (the asking union's active children; none chosen: all of them) and its note. */
export function UnitsAndNote({ unionId }: { unionId: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="unit_ids" label={t('reports.unitsAsked')} extra={t('reports.unitsAskedHint')}>
        <ChildUnionsSelect parentId={unionId} />
      </Form.Item>
      <Form.Item name="note" label={t('reports.note')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
    </>
  );
}
