import {
  ApartmentOutlined,
  DeleteOutlined,
  EditOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  SwapOutlined,
  TeamOutlined, PrinterOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Input, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorState, EmptyState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useAuth } from '../auth/context';
import { RatingHistory } from '../evaluations/RatingHistory';
import { AsOfBanner } from './AsOfBanner';
import { EventDetails } from './EventDetails';
import { Whereabouts } from './Whereabouts';
import { UnionCadres } from './UnionCadres';
import { useUnion, useUnionHistory, useUnionList, type UnionRead } from './api';

// Unions that hold members directly: their members' cards print on sheets.
const CARD_LEVELS = ['grassroots', 'occupational', 'member_union', 'departmental', 'union_group'];
import { eventLabel, kindLabel, levelLabel, sectorLabel, statusLabel, STATUS_COLOR } from './labels';
import { CommuneName } from '../places/CommuneName';

const TABS = ['info', 'children', 'cadres', 'ratings', 'history'] as const;
type TabKey = (typeof TABS)[number];
// Units a yearly evaluation rates.
const RATED_LEVELS: string[] = ['grassroots', 'occupational', 'direct_superior'];

function Info({ union }: { union: UnionRead }) {
  const { t } = useI18n();
  const dash = '—';
  return (
    <Descriptions bordered column={{ xs: 1, md: 2 }} size="middle">
      <Descriptions.Item label={t('union.code')}>{union.code}</Descriptions.Item>
      <Descriptions.Item label={t('union.shortName')}>{union.short_name || dash}</Descriptions.Item>
      <Descriptions.Item label={t('union.level')}>{levelLabel(t, union.level)}</Descriptions.Item>
      <Descriptions.Item label={t('union.kind')}>{kindLabel(t, union.kind)}</Descriptions.Item>
      <Descriptions.Item label={t('union.sector')}>{sectorLabel(t, union.sector)}</Descriptions.Item>
      <Descriptions.Item label={t('union.status')}>
        <Tag color={STATUS_COLOR[union.status]}>{statusLabel(t, union.status)}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('union.parent')}>
        {union.parent_id ? <Link to={`/unions/${union.parent_id}`}>{union.parent_name ?? union.parent_id}</Link> : dash}
      </Descriptions.Item>
      <Descriptions.Item label={t('union.childCount')}>{formatNumber(union.child_count ?? 0)}</Descriptions.Item>
      <Descriptions.Item label={t('union.foundedOn')}>{formatDate(union.founded_on) || dash}</Descriptions.Item>
      <Descriptions.Item label={t('union.foundingDecision')}>{union.founding_decision_no || dash}</Descriptions.Item>
      {union.ended_on ? (
        <Descriptions.Item label={t('union.endedOn')}>{formatDate(union.ended_on)}</Descriptions.Item>
      ) : null}
      <Descriptions.Item label={t('union.memberCount')}>
        {union.member_count == null ? <Typography.Text type="secondary">{t('overview.membersPendingShort')}</Typography.Text> : formatNumber(union.member_count)}
      </Descriptions.Item>
      <Descriptions.Item label={t('union.address')}>{union.address || dash}</Descriptions.Item>
      <Descriptions.Item label={t('union.communeCode')}>
        <CommuneName code={union.commune_code} />
      </Descriptions.Item>
      <Descriptions.Item label={t('union.phone')}>{union.phone || dash}</Descriptions.Item>
      <Descriptions.Item label={t('union.email')}>{union.email || dash}</Descriptions.Item>
      <Descriptions.Item label={t('union.updatedAt')}>{formatDateTime(union.updated_at)}</Descriptions.Item>
    </Descriptions>
  );
}

function Children({ union }: { union: UnionRead }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [q, setQ] = useState('');
  const { data, isPending, isError, error, refetch } = useUnionList({
    parent_id: union.id,
    page,
    size,
    sort: 'name',
    q: q || undefined,
  });
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('unions.searchChildren')}
        aria-label={t('unions.searchChildren')}
        onSearch={(v) => {
          setQ(v.trim());
          setPage(1);
        }}
        style={{ maxWidth: 360, marginBottom: 12 }}
      />
      <Table<UnionRead>
        rowKey="id"
        size="middle"
        loading={isPending}
        dataSource={data?.items ?? []}
        scroll={{ x: 640 }}
        locale={{ emptyText: <EmptyState description={t('unions.noChildren')} /> }}
        pagination={{
          current: page,
          pageSize: size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.totalRows', { n: formatNumber(total) }),
          onChange: (p, s) => {
            setPage(p);
            setSize(s);
          },
        }}
        columns={[
          { title: t('union.code'), dataIndex: 'code', width: 140 },
          {
            title: t('union.name'),
            dataIndex: 'name',
            render: (name: string, row) => <Link to={`/unions/${row.id}`}>{name}</Link>,
          },
          { title: t('union.level'), dataIndex: 'level', render: (v: string) => levelLabel(t, v), width: 180 },
          {
            title: t('union.status'),
            dataIndex: 'status',
            width: 120,
            render: (v: string) => <Tag color={STATUS_COLOR[v]}>{statusLabel(t, v)}</Tag>,
          },
          {
            title: t('union.childCount'),
            dataIndex: 'child_count',
            align: 'right',
            width: 120,
            render: (v: number | null) => formatNumber(v ?? 0),
          },
        ]}
      />
    </>
  );
}

function History({ union }: { union: UnionRead }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useUnionHistory(union.id);
  if (isPending) return <LoadingState />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  if (!data.length) return <EmptyState description={t('unions.noHistory')} />;
  return (
    <Timeline
      items={data.map((e) => ({
        key: e.id,
        content: (
          <div>
            <Typography.Text strong>{formatDate(e.effective_date)}</Typography.Text> — {eventLabel(t, e.event_type)}
            {e.decision_no ? (
              <div>
                {t('union.decisionNo')}: {e.decision_no}
                {e.decision_date ? ` (${formatDate(e.decision_date)})` : ''}
              </div>
            ) : null}
            <EventDetails details={e.details} />
          </div>
        ),
      }))}
    />
  );
}

export default function UnionDetailPage() {
  const { unionId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabKey) : 'info';
  const { data: union, isPending, isError, error, refetch } = useUnion(unionId);

  if (isPending) return <LoadingState rows={10} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;

  const writable = can('unions:write') && union.status === 'active';
  const asOf = params.get('as_of') ?? undefined;
  const toToday = () => {
    const next = new URLSearchParams(params);
    next.delete('as_of');
    setParams(next, { replace: true });
  };
  const go = (action: string) => navigate(`/unions/${union.id}/${action}`);

  return (
    <section aria-labelledby="union-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to={asOf ? `/unions?as_of=${asOf}` : '/unions'}>{t('nav.unions')}</Link> },
          ...(union.parent_id ? [{ title: <Link to={`/unions/${union.parent_id}`}>{union.parent_name}</Link> }] : []),
          { title: union.short_name || union.name },
        ]}
      />
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="union-title">
            {union.name}
          </Typography.Title>
          <Space size="small" wrap>
            <Tag>{union.code}</Tag>
            <Tag color="blue">{levelLabel(t, union.level)}</Tag>
            <Tag color={STATUS_COLOR[union.status]}>{statusLabel(t, union.status)}</Tag>
          </Space>
        </div>
        <Space wrap>
          {can('members:read') ? (
            <Button icon={<TeamOutlined />} onClick={() => navigate(`/members?union_id=${union.id}`)}>
              {t('unions.viewMembers')}
            </Button>
          ) : null}
          {can('members:read') && CARD_LEVELS.includes(union.level) ? (
            <Button icon={<PrinterOutlined />} onClick={() => navigate(`/print/unions/${union.id}/cards`)}>
              {t('cards.printSheet')}
            </Button>
          ) : null}
          {writable ? (
            <>
            <Button icon={<EditOutlined />} onClick={() => go('edit')}>
              {t('unions.edit')}
            </Button>
            {union.parent_id ? (
              <Button icon={<SwapOutlined />} onClick={() => go('move')}>
                {t('unions.move')}
              </Button>
            ) : null}
            {union.parent_id ? (
              <Button icon={<MergeCellsOutlined />} onClick={() => go('merge')}>
                {t('unions.merge')}
              </Button>
            ) : null}
            <Button danger icon={<DeleteOutlined />} onClick={() => go('dissolve')}>
              {t('unions.dissolve')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/unions/new?parent=${union.id}`)}>
              {t('unions.foundChild')}
            </Button>
            </>
          ) : null}
        </Space>
      </div>
      {asOf ? <AsOfBanner unionId={union.id} asOf={asOf} onToday={toToday} /> : null}
      <Whereabouts union={union} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            const next = new URLSearchParams(params);
            if (key === 'info') next.delete('tab');
            else next.set('tab', key);
            setParams(next, { replace: true });
          }}
          items={[
            { key: 'info', label: t('unions.tabInfo'), children: <Info union={union} /> },
            {
              key: 'children',
              label: (
                <span>
                  <ApartmentOutlined /> {t('unions.tabChildren')} ({formatNumber(union.child_count ?? 0)})
                </span>
              ),
              children: <Children union={union} />,
            },
            ...(can('members:read')
              ? [{ key: 'cadres', label: t('unions.tabCadres'), children: tab === 'cadres' ? <UnionCadres unionId={union.id} /> : null }]
              : []),
            ...(can('evaluations:read') && RATED_LEVELS.includes(union.level)
              ? [{ key: 'ratings', label: t('evaluation.ratingHistory'), children: tab === 'ratings' ? <RatingHistory unionId={union.id} /> : null }]
              : []),
            { key: 'history', label: t('unions.tabHistory'), children: <History union={union} /> },
          ]}
        />
      </Card>
    </section>
  );
}
