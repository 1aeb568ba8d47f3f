import { Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { LoadNote, SelectNote } from '../../components/SelectNote';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { shortUnionName } from '../../lib/unionName';
import { useDebounced } from '../../lib/useDebounced';
import { useUnionSearch, type UnionSearchHit } from './api';
import { levelLabel, statusLabel, STATUS_COLOR } from './labels';

interface Props {
  /** Search the tree of this date (YYYY-MM-DD); today when undefined. */
  asOf?: string;
  onPick: (hit: UnionSearchHit) => void;
  style?: React.CSSProperties;
}

/**
 * Finds a union the way officers write it: any word order, no accents, "LĐLĐ", "CĐCS", "Cty
 * TNHH"... Hits come best first (exact names, then higher levels); each shows the part of the
 * name that tells it apart (the common "Công đoàn cơ sở ..." abbreviated), its level and parent,
 * and the full name on hover.
 */
export function UnionSearchBox({ asOf, onPick, style }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const { data, isFetching, isError } = useUnionSearch(q, asOf);
  const hits = q ? (data?.items ?? []) : [];

  return (
    <Select<string>
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      value={null}
      allowClear
      style={style}
      placeholder={t('unions.findUnion')}
      aria-label={t('unions.findUnion')}
      data-testid="union-search"
      loading={isFetching}
      popupMatchSelectWidth={Math.min(560, window.innerWidth - 32)}
      notFoundContent={
        q ? <LoadNote fetching={isFetching} failed={isError} empty={t('unionSearch.none')} /> : <SelectNote>{t('unionSearch.hint')}</SelectNote>
      }
      options={hits.map((u) => ({
        value: u.id,
        title: u.name,
        label: (
          <div className="union-hit" data-testid="union-hit" data-code={u.code} title={u.name}>
            <div className="union-hit-name">
              {shortUnionName(u.name)}
              {u.status !== 'active' ? (
                <Tag color={STATUS_COLOR[u.status]} style={{ marginLeft: 8 }}>
                  {statusLabel(t, u.status)}
                  {u.ended_on ? ` ${formatDate(u.ended_on)}` : ''}
                </Tag>
              ) : null}
            </div>
            <Typography.Text type="secondary" className="union-hit-meta">
              {levelLabel(t, u.level)}
              {u.parent_name ? ` · ${shortUnionName(u.parent_name)}` : ''} · {u.code}
            </Typography.Text>
          </div>
        ),
      }))}
      onChange={(id) => {
        const hit = hits.find((u) => u.id === id);
        if (hit) {
          setSearch('');
          onPick(hit);
        }
      }}
    />
  );
}
