import { Card } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/context';
import { EvaluationTable } from './EvaluationTable';

/** A union's ratings, every year (on the union's page). */
export function RatingHistory({ unionId }: { unionId: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ page: 1, size: 10 });
  return (
    <Card title={t('evaluation.ratingHistory')} data-testid="rating-history">
      <EvaluationTable query={{ unit_id: unionId, ...page }} onPage={(p, size) => setPage({ page: p, size })} empty={t('evaluation.noHistory')} showYear />
    </Card>
  );
}
