import { Card, List, Typography } from 'antd';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useProgrammes } from './api';

/** The programmes the caller can see, each a link to its progress (overview and list page). */
export function ProgrammesList({ title }: { title?: string }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useProgrammes();
  return (
    <Card title={title} data-testid="programmes-list">
      {isPending ? (
        <LoadingState rows={2} />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : data.items.length === 0 ? (
        <EmptyState description={t('programmes.none')} />
      ) : (
        <List
          dataSource={data.items}
          renderItem={(p) => (
            <List.Item
              key={p.id}
              actions={[
                <Link key="open" to={`/programmes/${p.id}`}>
                  {t('programmes.open')}
                </Link>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Link to={`/programmes/${p.id}`}>
                    {p.number} · {p.title}
                  </Link>
                }
                description={
                  <Typography.Text type="secondary">
                    {p.union_name} ·{' '}
                    {t('programmes.termRange', { from: formatDate(p.term_start), to: formatDate(p.actual_end ?? p.planned_end) })}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
