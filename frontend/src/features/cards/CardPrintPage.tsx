import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { accountKeys, fetchMemberCard } from '../selfservice/api';
import { CardBack, CardFront } from './CardFaces';

/** One member's card, front and back, laid out to print. */
export default function CardPrintPage() {
  const { memberId = '' } = useParams();
  const { t } = useI18n();
  const { data: card, isPending, isError, error, refetch } = useQuery({
    queryKey: accountKeys.card(memberId),
    queryFn: () => fetchMemberCard(memberId),
    retry: false,
  });
  if (isPending) return <LoadingState rows={4} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <main className="print-page">
      <div className="page-header no-print">
        <Typography.Title level={2}>{t('cards.printTitle')}</Typography.Title>
        <Space>
          <Link to={`/members/${memberId}`}>{card.full_name}</Link>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('cards.print')}
          </Button>
        </Space>
      </div>
      <div className="card-pair">
        <figure>
          <figcaption className="no-print">{t('cards.front')}</figcaption>
          <CardFront card={card} />
        </figure>
        <figure>
          <figcaption className="no-print">{t('cards.back')}</figcaption>
          <CardBack card={card} qrUrl={`/api/v1/members/${memberId}/card.svg`} />
        </figure>
      </div>
    </main>
  );
}
