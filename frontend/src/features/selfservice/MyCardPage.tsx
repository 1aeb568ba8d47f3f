import { PrinterOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { CardBack, CardFront } from '../cards/CardFaces';
import { useMyCard } from './api';

export default function MyCardPage() {
  const { t } = useI18n();
  const { data: card, isPending, isError, error, refetch } = useMyCard();
  if (isPending) return <LoadingState rows={4} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <section aria-labelledby="card-title">
      <div className="page-header no-print">
        <Typography.Title level={2} id="card-title">
          {t('me.cardTitle')}
        </Typography.Title>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('me.printCard')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary" className="no-print">
        {t('me.cardHint')}
      </Typography.Paragraph>
      <Space wrap size="large" className="card-pair">
        <CardFront card={card} />
        <CardBack card={card} qrUrl="/api/v1/me/card.svg" />
      </Space>
    </section>
  );
}
