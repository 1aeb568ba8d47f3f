import { Tag } from 'antd';
import { useI18n } from '../../i18n/context';
import type { ClientRead } from './api';

export function StatusTag({ client }: { client: ClientRead }) {
  const { t } = useI18n();
  return client.status === 'active' ? (
    <Tag color="green">{t('clients.statusActive')}</Tag>
  ) : (
    <Tag color="red">{t('clients.statusRevoked')}</Tag>
  );
}
