import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n/context';

export default function NotFoundPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('state.notFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('nav.overview')}
        </Button>
      }
    />
  );
}
