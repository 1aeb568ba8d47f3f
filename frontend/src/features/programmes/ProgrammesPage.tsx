import { Typography } from 'antd';
import { useI18n } from '../../i18n/context';
import { ProgrammesList } from './ProgrammesList';

export default function ProgrammesPage() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="programmes-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="programmes-title">
            {t('programmes.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('programmes.intro')}</Typography.Text>
        </div>
      </div>
      <ProgrammesList />
    </section>
  );
}
