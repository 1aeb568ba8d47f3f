import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { fetchMemberCard } from '../selfservice/api';
import { CardBack, CardFront } from './CardFaces';

// An A4 sheet holds 10 cards of 85.6 x 54 mm: two columns of five.
const PER_SHEET = 10;

async function sheet(unionId: string, page: number): Promise<{ cards: Schemas['CardRead'][]; total: number }> {
  const members = await unwrap(
    api.GET('/api/v1/members', {
      params: { query: { union_id: unionId, status: ['active'], sort: 'name', page, size: PER_SHEET } },
    }),
  );
  const cards = await Promise.all(
    members.items.filter((m) => m.card_number).map((m) => fetchMemberCard(m.id).catch(() => null)),
  );
  return { cards: cards.filter((c): c is Schemas['CardRead'] => c !== null), total: members.total };
}

/** A union's members' cards on A4 sheets: the fronts on one page, the backs (mirrored per row,
 * for duplex printing on the long edge) on the next. */
export default function CardSheetPage() {
  const { unionId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const { t } = useI18n();
  const union = useQuery({
    queryKey: ['unions', 'detail', unionId],
    queryFn: () => unwrap(api.GET('/api/v1/unions/{union_id}', { params: { path: { union_id: unionId } } })),
  });
  const data = useQuery({ queryKey: ['cards', 'sheet', unionId, page], queryFn: () => sheet(unionId, page) });
  if (data.isPending) return <LoadingState rows={6} />;
  if (data.isError) return <ErrorState error={data.error} onRetry={() => data.refetch()} />;
  const pages = Math.max(1, Math.ceil(data.data.total / PER_SHEET));
  const cards = data.data.cards;
  // Backs swap the two cards of each row, so each lands behind its front on a duplex print.
  const backs = cards.map((_, i) => cards[i % 2 === 0 ? Math.min(i + 1, cards.length - 1) : i - 1]);
  return (
    <main className="print-page">
      <div className="page-header no-print">
        <Typography.Title level={2}>{t('cards.sheetTitle', { union: union.data?.name ?? '' })}</Typography.Title>
        <Space>
          <Link to={`/unions/${unionId}`}>{union.data?.name}</Link>
          <span>{t('cards.sheetPage', { page, pages })}</span>
          <Button disabled={page <= 1} onClick={() => setParams({ page: String(page - 1) })}>
            {t('cards.previous')}
          </Button>
          <Button disabled={page >= pages} onClick={() => setParams({ page: String(page + 1) })}>
            {t('cards.next')}
          </Button>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('cards.print')}
          </Button>
        </Space>
      </div>
      {cards.length === 0 ? (
        <EmptyState description={t('cards.none')} />
      ) : (
        <>
          <div className="a4-sheet" data-testid="sheet-fronts">
            {cards.map((c) => (
              <CardFront key={c.member_id} card={c} />
            ))}
          </div>
          <div className="a4-sheet" data-testid="sheet-backs">
            {backs.map((c, i) => (
              <CardBack key={`${c.member_id}-${i}`} card={c} qrUrl={`/api/v1/members/${c.member_id}/card.svg`} />
            ))}
          </div>
        </>
      )}
    </main>
  );
}
