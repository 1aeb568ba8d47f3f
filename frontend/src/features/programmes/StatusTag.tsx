import { Tag } from 'antd';
import { useI18n } from '../../i18n/context';
import { STATUS_COLOR, type Status } from './figures';

export function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`status-${status}`}>
      {t(`progressStatus.${status}`)}
    </Tag>
  );
}
