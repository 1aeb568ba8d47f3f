import { Tooltip, Typography } from 'antd';
import { useI18n } from '../../i18n/context';
import { communeLabel, useCommuneNames } from './api';

/** A stored commune code shown by its name ("Phường Mỹ Tho, Tỉnh Đồng Tháp"); the code only
 * while the name loads, or for a code the official list does not know. */
export function CommuneName({ code }: { code: string | null | undefined }) {
  const { t } = useI18n();
  const { data } = useCommuneNames([code]);
  if (!code) return <Typography.Text type="secondary">—</Typography.Text>;
  const commune = data?.get(code);
  if (!commune) return <span className="mono">{code}</span>;
  return (
    <Tooltip title={t('places.code', { code })}>
      <span data-testid="commune-name">
        {communeLabel(commune)}
        {commune.current ? null : <Typography.Text type="secondary"> ({t('places.retired')})</Typography.Text>}
      </span>
    </Tooltip>
  );
}
