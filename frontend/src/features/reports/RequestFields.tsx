import { Form, Input, Select } from 'antd';
import { useI18n } from '../../i18n/context';
import { useUnionList } from '../unions/api';

/** The units a request asks (the asking union's active children; none chosen: all of them) and its note. */
export function UnitsAndNote({ unionId }: { unionId: string | undefined }) {
  const { t } = useI18n();
  const children = useUnionList({ parent_id: unionId, status: ['active'], size: 100, sort: 'name' }, Boolean(unionId));
  return (
    <>
      <Form.Item name="unit_ids" label={t('reports.unitsAsked')} extra={t('reports.unitsAskedHint')}>
        <Select
          mode="multiple"
          allowClear
          loading={children.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          options={(children.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Form.Item name="note" label={t('reports.note')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
    </>
  );
}
