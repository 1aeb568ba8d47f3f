import { EyeInvisibleOutlined, EyeOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Checkbox, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType, SortOrder } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ColumnChooser, type ColumnChoice } from '../../components/ColumnChooser';
import { ExportButtons } from '../../components/ExportButtons';
import { NumberFilter } from '../../components/NumberFilter';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatNumber, fromApiDate, toApiDate } from '../../lib/format';
import { useUrlFilters } from '../../lib/urlState';
import { useVisibleColumns } from '../../lib/useVisibleColumns';
import { useAuth } from '../auth/context';
import { EnterpriseSelect } from '../enterprises/EnterpriseSelect';
import { useEnterprise } from '../enterprises/api';
import { useUnion } from '../unions/api';
import { UnionSelect } from '../unions/UnionSelect';
import { useMemberList, type MemberRead } from './api';
import { communeLabel, useCommuneNames } from '../places/api';
import { MEMBER_FILTERS, PAGE_SIZES, activeFilterCount, memberFilterQuery, memberListQuery } from './filters';
import { GENDERS, MEMBER_STATUSES, MEMBER_STATUS_COLOR, genderLabel, memberStatusLabel } from './labels';
import { FilterField } from '../../components/FilterField';
import { cardColumns } from '../../lib/cardTable';

const ALL_COLUMNS = [
  'full_name',
  'card_number',
  'date_of_birth',
  'gender',
  'personal_id',
  'phone',
  'union_name',
  'enterprise_name',
  'commune_code',
  'occupation',
  'admission_date',
  'status',
  'is_cadre',
] as const;
type ColumnKey = (typeof ALL_COLUMNS)[number];
// Fits a 1366 px screen without scrolling sideways; the chooser adds the rest.
const DEFAULT_COLUMNS: ColumnKey[] = ['full_name', 'card_number', 'date_of_birth', 'personal_id', 'union_name', 'admission_date', 'status'];
const SORTABLE: Partial<Record<ColumnKey, string>> = {
  full_name: 'name',
  card_number: 'card_number',
  date_of_birth: 'date_of_birth',
  admission_date: 'admission_date',
};

export default function MembersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { values, update, reset } = useUrlFilters(MEMBER_FILTERS);
  const [reveal, setReveal] = useState(false);
  const [showMore, setShowMore] = useState(
    () => values.age_min !== undefined || values.age_max !== undefined || Boolean(values.admitted_from || values.admitted_to || values.enterprise_id) || values.cadre !== undefined,
  );
  // "Count exactly" holds for the filters it was pressed on; any change of filter drops it.
  const [exactFor, setExactFor] = useState<string | null>(null);
  const filterKey = JSON.stringify(memberFilterQuery(values));
  const query = useMemo(
    () => ({ ...memberListQuery(values, reveal), exact_total: exactFor === filterKey ? true : undefined }),
    [values, reveal, exactFor, filterKey],
  );
  const { data, isPending, isFetching, isError, error, refetch } = useMemberList(query);
  const { data: union } = useUnion(query.union_id ?? undefined);
  const { data: enterprise } = useEnterprise(query.enterprise_id ?? undefined);
  const [visible, setVisible] = useVisibleColumns('unionhub.members.columns', DEFAULT_COLUMNS);
  // Residences by name: one look-up for the page's codes, only while the column is shown.
  const { data: communes } = useCommuneNames(visible.includes('commune_code') ? (data?.items ?? []).map((m) => m.commune_code) : []);
  const filterCount = activeFilterCount(values);
  const [text, setText] = useState(values.q ?? '');
  const [seenQ, setSeenQ] = useState(values.q);
  if (seenQ !== values.q) {
    setSeenQ(values.q);
    setText(values.q ?? '');
  }

  const titles: Record<ColumnKey, string> = {
    full_name: t('member.fullName'),
    card_number: t('member.cardNumber'),
    date_of_birth: t('member.dateOfBirth'),
    gender: t('member.gender'),
    personal_id: t('member.personalId'),
    phone: t('member.phone'),
    union_name: t('member.union'),
    enterprise_name: t('member.enterprise'),
    commune_code: t('member.communeCode'),
    occupation: t('member.occupation'),
    admission_date: t('member.admissionDate'),
    status: t('member.status'),
    is_cadre: t('member.cadre'),
  };
  const choices: ColumnChoice[] = ALL_COLUMNS.map((key) => ({ key, title: titles[key], fixed: key === 'full_name' }));

  const sortOrder = (key: ColumnKey): SortOrder | undefined => {
    const api = SORTABLE[key];
    if (!api) return undefined;
    const sort = query.sort ?? 'name';
    return sort === api ? 'ascend' : sort === `-${api}` ? 'descend' : null;
  };
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const render: Record<ColumnKey, (m: MemberRead) => React.ReactNode> = {
    full_name: (m) => <Link to={`/members/${m.id}`}>{m.full_name}</Link>,
    card_number: (m) => m.card_number ?? dash,
    date_of_birth: (m) => <span className="nowrap">{formatDate(m.date_of_birth)}</span>,
    gender: (m) => genderLabel(t, m.gender),
    personal_id: (m) => <span className="mono">{m.personal_id ?? m.passport_no ?? '—'}</span>,
    phone: (m) => <span className="mono">{m.phone ?? '—'}</span>,
    union_name: (m) => m.union_name ?? dash,
    enterprise_name: (m) => m.enterprise_name ?? dash,
    commune_code: (m) => {
      const c = m.commune_code ? communes?.get(m.commune_code) : undefined;
      return c ? communeLabel(c) : (m.commune_code ?? dash);
    },
    occupation: (m) => m.occupation ?? dash,
    admission_date: (m) => <span className="nowrap">{formatDate(m.admission_date)}</span>,
    status: (m) => <Tag color={MEMBER_STATUS_COLOR[m.status]}>{memberStatusLabel(t, m.status)}</Tag>,
    is_cadre: (m) => (m.is_cadre ? <Tag color="blue">{t('member.cadreYes')}</Tag> : null),
  };
  const widths: Record<ColumnKey, number> = {
    full_name: 190,
    card_number: 130,
    date_of_birth: 105,
    gender: 80,
    personal_id: 130,
    phone: 120,
    union_name: 225,
    enterprise_name: 240,
    commune_code: 220,
    occupation: 150,
    admission_date: 115,
    status: 150,
    is_cadre: 90,
  };
  const shown = ALL_COLUMNS.filter((k) => visible.includes(k) || k === 'full_name');
  const columns: ColumnsType<MemberRead> = shown.map((key) => ({
    key,
    title: titles[key],
    width: widths[key],
    fixed: key === 'full_name' ? 'left' : undefined,
    render: (_: unknown, m: MemberRead) => render[key](m),
    sorter: SORTABLE[key] ? true : undefined,
    sortOrder: sortOrder(key),
    sortDirections: ['ascend', 'descend', 'ascend'],
  }));

  const total = data?.total ?? 0;
  const totalText = data && !data.total_exact ? t('members.totalAbout', { n: formatNumber(total) }) : t('members.total', { n: formatNumber(total) });

  return (
    <section aria-labelledby="members-title">
      <div className="page-header">
        <Typography.Title level={2} id="members-title">
          {t('members.title')}
        </Typography.Title>
        <Space wrap>
          <ExportButtons
            path="/api/v1/members/export"
            jobPath="/api/v1/members/export-jobs"
            rows={total}
            query={{ ...memberFilterQuery(values), sort: query.sort ?? 'name' }}
            baseName="doan-vien"
            columns={shown}
            personalData={can('members:pii')}
          />
          {can('members:write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/members/new')}>
              {t('members.create')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card>
        <div className="filter-bar" role="search" aria-label={t('members.filters')}>
          <FilterField label={t('members.search')}>
            <Input.Search
              value={text}
              onChange={(e) => setText(e.target.value)}
              allowClear
              enterButton
              placeholder={t('members.search')}
              aria-label={t('members.search')}
              onSearch={(v) => update({ q: v.trim() || undefined })}
              style={{ width: 340, maxWidth: '100%' }}
              data-testid="member-search"
            />
          </FilterField>
          <FilterField label={t('member.status')}>
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('member.status')}
              aria-label={t('member.status')}
              style={{ minWidth: 200 }}
              value={query.status ?? []}
              onChange={(v: string[]) => update({ status: v })}
              options={MEMBER_STATUSES.map((s) => ({ value: s, label: memberStatusLabel(t, s) }))}
            />
          </FilterField>
          <FilterField label={t('member.gender')}>
            <Select
              allowClear
              placeholder={t('member.gender')}
              aria-label={t('member.gender')}
              style={{ width: 120 }}
              value={query.gender ?? undefined}
              onChange={(v?: string) => update({ gender: v })}
              options={GENDERS.map((g) => ({ value: g, label: genderLabel(t, g) }))}
            />
          </FilterField>
          <Space.Compact>
            <FilterField label={t('members.unionFilter')}>
              <UnionSelect
                style={{ width: 280, maxWidth: '70vw' }}
                placeholder={t('members.unionFilter')}
                aria-label={t('members.unionFilter')}
                value={query.union_id ?? undefined}
                initialOption={union ? { id: union.id, name: union.name, code: union.code } : null}
                onChange={(v?: string) => update({ union_id: v })}
              />
            </FilterField>
          </Space.Compact>
          <Checkbox
            checked={values.subtree !== false}
            disabled={!query.union_id}
            onChange={(e) => update({ subtree: e.target.checked ? undefined : false })}
          >
            {t('members.includeSubtree')}
          </Checkbox>
          <Button icon={<FilterOutlined />} onClick={() => setShowMore((v) => !v)} aria-expanded={showMore}>
            {showMore ? t('members.fewerFilters') : t('members.moreFilters')}
          </Button>
          {filterCount ? (
            <Badge count={filterCount} size="small" color="#616161">
              <Button onClick={reset}>{t('members.clearFilters')}</Button>
            </Badge>
          ) : null}
        </div>
        {showMore ? (
          <div className="filter-bar">
            <Space size={4}>
              <span>{t('members.age')}</span>
              <NumberFilter
                value={query.age_min ?? undefined}
                onCommit={(v) => update({ age_min: v })}
                min={0}
                max={120}
                placeholder={t('members.from')}
                label={t('members.ageMin')}
                width={90}
              />
              <span>–</span>
              <NumberFilter
                value={query.age_max ?? undefined}
                onCommit={(v) => update({ age_max: v })}
                min={0}
                max={120}
                placeholder={t('members.to')}
                label={t('members.ageMax')}
                width={90}
              />
            </Space>
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              allowEmpty={[true, true]}
              value={[fromApiDate(query.admitted_from) ?? null, fromApiDate(query.admitted_to) ?? null]}
              placeholder={[t('members.admittedFrom'), t('members.admittedTo')]}
              aria-label={t('member.admissionDate')}
              onChange={(range) => update({ admitted_from: toApiDate(range?.[0]), admitted_to: toApiDate(range?.[1]) })}
            />
            <FilterField label={t('members.enterpriseFilter')}>
              <EnterpriseSelect
                style={{ width: 280, maxWidth: '70vw' }}
                placeholder={t('members.enterpriseFilter')}
                aria-label={t('members.enterpriseFilter')}
                value={query.enterprise_id ?? undefined}
                initialOption={enterprise ? { id: enterprise.id, name: enterprise.name } : null}
                onChange={(v?: string) => update({ enterprise_id: v })}
              />
            </FilterField>
            <Select
              allowClear
              placeholder={t('member.cadre')}
              aria-label={t('member.cadre')}
              style={{ width: 200 }}
              value={query.is_cadre === undefined || query.is_cadre === null ? undefined : query.is_cadre ? 'yes' : 'no'}
              onChange={(v?: string) => update({ cadre: v === undefined ? undefined : v === 'yes' })}
              options={[
                { value: 'yes', label: t('members.cadreOnly') },
                { value: 'no', label: t('members.nonCadreOnly') },
              ]}
            />
          </div>
        ) : null}
        <div className="table-toolbar">
          <Space size="small">
            <Typography.Text type="secondary" aria-live="polite" data-testid="member-total">
              {data ? totalText : ''}
            </Typography.Text>
            {data && !data.total_exact ? (
              <Tooltip title={t('members.countExactlyHint')}>
                <Button size="small" type="link" loading={isFetching} onClick={() => setExactFor(filterKey)} data-testid="member-count-exactly">
                  {t('members.countExactly')}
                </Button>
              </Tooltip>
            ) : null}
          </Space>
          <Space wrap>
            {can('members:pii') ? (
              <Tooltip title={reveal ? t('members.hidePiiHint') : t('members.revealPiiHint')}>
                <Button
                  icon={reveal ? <EyeInvisibleOutlined /> : <EyeOutlined />}
                  aria-pressed={reveal}
                  loading={reveal && isFetching}
                  onClick={() => setReveal((v) => !v)}
                >
                  {reveal ? t('members.hidePii') : t('members.revealPii')}
                </Button>
              </Tooltip>
            ) : null}
            <ColumnChooser columns={choices} visible={visible} onChange={setVisible} defaults={DEFAULT_COLUMNS} />
          </Space>
        </div>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<MemberRead>
            rowKey="id"
            className="card-table"
            size="middle"
            loading={isPending || isFetching}
            dataSource={data?.items ?? []}
            columns={cardColumns(columns)}
            scroll={{ x: shown.reduce((sum, k) => sum + widths[k], 0) }}
            locale={{
              emptyText: <EmptyState description={filterCount ? t('members.noneMatching') : t('members.none')} />,
            }}
            onChange={(pagination, _filters, sorter, extra) => {
              if (extra.action === 'sort') {
                const s = Array.isArray(sorter) ? sorter[0] : sorter;
                const api = SORTABLE[s?.columnKey as ColumnKey];
                update({ sort: api && s.order ? (s.order === 'descend' ? `-${api}` : api) : undefined });
              } else if (extra.action === 'paginate') {
                update({ page: pagination.current, size: pagination.pageSize });
              }
            }}
            pagination={{
              current: query.page ?? 1,
              pageSize: query.size ?? 20,
              total,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES.map(String),
              showTotal: () => totalText,
            }}
          />
        )}
      </Card>
    </section>
  );
}
