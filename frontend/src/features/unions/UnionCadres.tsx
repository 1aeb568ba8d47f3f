import { Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useUnionCadres, type CadreRead } from '../members/api';
import { educationLabel, postLabel, theoryLabel } from '../members/labels';

/** The union's posts held today (the server orders them chair first), or every post ever held,
 * with each holder's current levels (derived from their qualification records). */
export function UnionCadres({ unionId }: { unionId: string }) {
  const { t } = useI18n();
  const [includePast, setIncludePast] = useState(false);
  const { data, isPending, isFetching, isError, error, refetch } = useUnionCadres(unionId, includePast);
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Switch checked={includePast} onChange={setIncludePast} aria-label={t('cadre.includePast')} id="cadres-include-past" />
        <label htmlFor="cadres-include-past">{t('cadre.includePast')}</label>
      </Space>
      <Table<CadreRead>
        rowKey="id"
        size="middle"
        loading={isPending || isFetching}
        pagination={false}
        dataSource={data ?? []}
        scroll={{ x: 900 }}
        data-testid="union-cadres"
        locale={{ emptyText: <EmptyState description={includePast ? t('cadre.noneEver') : t('cadre.noneNow')} /> }}
        columns={[
          {
            title: t('cadre.post'),
            dataIndex: 'post',
            render: (v: string, p) => (
              <>
                {postLabel(t, v)}
                {includePast && !p.current ? <Tag style={{ marginLeft: 8 }}>{t('cadre.past')}</Tag> : null}
              </>
            ),
          },
          {
            title: t('cadre.member'),
            dataIndex: 'member_name',
            render: (name: string, p) => <Link to={`/members/${p.member_id}`}>{name}</Link>,
          },
          {
            title: t('member.education'),
            dataIndex: 'education_level',
            render: (v: string | null) => (v ? educationLabel(t, v) : <Typography.Text type="secondary">—</Typography.Text>),
          },
          {
            title: t('member.politicalTheory'),
            dataIndex: 'political_theory',
            render: (v: string | null) => (v ? theoryLabel(t, v) : <Typography.Text type="secondary">—</Typography.Text>),
          },
          { title: t('cadre.fullTime'), dataIndex: 'full_time', width: 150, render: (v: boolean) => (v ? t('cadre.fullTimeYes') : t('cadre.fullTimeNo')) },
          { title: t('cadre.fromDate'), dataIndex: 'from_date', width: 120, render: (v: string) => formatDate(v) },
          ...(includePast
            ? [
                {
                  title: t('cadre.toDate'),
                  dataIndex: 'to_date',
                  width: 120,
                  render: (v: string | null) => (v ? formatDate(v) : <Typography.Text type="secondary">—</Typography.Text>),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
