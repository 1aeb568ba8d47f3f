import { Alert, List, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useUnionWhereabouts, type UnionRead } from './api';

/** On a dissolved or merged union: where its units and members went, each with a link. */
export function Whereabouts({ union }: { union: UnionRead }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useUnionWhereabouts(union.id, union.status !== 'active');
  if (union.status === 'active') return null;
  if (isPending) return <LoadingState rows={2} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const ended = data.ended_on ? formatDate(data.ended_on) : '—';
  return (
    <section aria-labelledby="whereabouts-title" data-testid="whereabouts" style={{ marginBottom: 16 }}>
      <Alert
        type="warning"
        showIcon
        title={
          <span id="whereabouts-title">
            {union.status === 'merged' ? t('whereabouts.merged', { date: ended }) : t('whereabouts.dissolved', { date: ended })}{' '}
            {data.merged_into ? (
              <Link to={`/unions/${data.merged_into.id}`} data-testid="merged-into">
                {data.merged_into.name}
              </Link>
            ) : null}
          </span>
        }
        description={
          <>
            <Typography.Text strong>{t('whereabouts.units')}</Typography.Text>
            {data.units.length === 0 ? (
              <div>{t('whereabouts.noUnits')}</div>
            ) : (
              <List
                size="small"
                dataSource={data.units}
                renderItem={(u) => (
                  <List.Item data-testid="moved-unit">
                    <span>
                      <Link to={`/unions/${u.union.id}`}>{u.union.name}</Link>{' '}
                      {u.now_under
                        ? <>
                            {t('whereabouts.nowUnder', { date: formatDate(u.moved_on) })}{' '}
                            <Link to={`/unions/${u.now_under.id}`}>{u.now_under.name}</Link>
                          </>
                        : t('whereabouts.leftOn', { date: formatDate(u.moved_on) })}
                    </span>
                  </List.Item>
                )}
              />
            )}
            <Typography.Text strong>{t('whereabouts.members')}</Typography.Text>
            {data.members.length === 0 ? (
              <div>{t('whereabouts.noMembers')}</div>
            ) : (
              <List
                size="small"
                dataSource={data.members}
                renderItem={(m) => (
                  <List.Item data-testid="moved-members">
                    {m.to ? (
                      <span>
                        <Link to={`/members?union_id=${m.to.id}`}>{t('whereabouts.memberCount', { n: formatNumber(m.members) })}</Link>{' '}
                        {t('whereabouts.to', { date: formatDate(m.moved_on) })} <Link to={`/unions/${m.to.id}`}>{m.to.name}</Link>
                      </span>
                    ) : (
                      <span>{t('whereabouts.outside', { n: formatNumber(m.members) })}</span>
                    )}
                  </List.Item>
                )}
              />
            )}
          </>
        }
      />
    </section>
  );
}
