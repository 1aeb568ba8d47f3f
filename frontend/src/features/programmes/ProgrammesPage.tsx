import { PlusOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/context';
import { useAuth } from '../auth/context';
import { ProgrammesList } from './ProgrammesList';

export default function ProgrammesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  return (
    <section aria-labelledby="programmes-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="programmes-title">
            {t('programmes.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('programmes.intro')}</Typography.Text>
        </div>
        {can('programmes:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/programmes/new')}>
            {t('programmes.create')}
          </Button>
        ) : null}
      </div>
      <ProgrammesList />
    </section>
  );
}
