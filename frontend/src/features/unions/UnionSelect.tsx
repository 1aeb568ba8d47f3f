import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { useDebounced } from '../../lib/useDebounced';
import { useI18n } from '../../i18n/context';
import { useUnionList } from './api';
import { levelLabel, type UnionLevel } from './labels';

export interface UnionOption {
  id: string;
  name: string;
  code?: string;
}

interface Props extends Omit<SelectProps<string>, 'options' | 'onSearch' | 'filterOption' | 'showSearch'> {
  /** Only unions of these levels (e.g. the levels a parent may have). */
  levels?: UnionLevel[];
  /** Unions that may not be picked (the union itself when moving it). */
  excludeIds?: string[];
  /** A label for the current value before the first search loads it. */
  initialOption?: UnionOption | null;
  /** Called with the picked union's name and code (for confirm dialogs), or null when cleared. */
  onPick?: (union: UnionOption | null) => void;
}

/** Picks an active union in the caller's scope; searches the API without accents ("cai be"). */
export function UnionSelect({ levels, excludeIds, initialOption, onPick, onChange, ...rest }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const { data, isFetching, isError } = useUnionList({
    q: q || undefined,
    level: levels,
    status: ['active'],
    size: 20,
    sort: 'path',
  });

  const excluded = new Set(excludeIds ?? []);
  const options = (data?.items ?? [])
    .filter((u) => !excluded.has(u.id))
    .map((u) => ({
      value: u.id,
      label: `${u.name} (${u.code})`,
      title: `${u.name} · ${levelLabel(t, u.level)}`,
    }));
  if (initialOption && !options.some((o) => o.value === initialOption.id)) {
    options.unshift({
      value: initialOption.id,
      label: initialOption.code ? `${initialOption.name} (${initialOption.code})` : initialOption.name,
      title: initialOption.name,
    });
  }

  return (
    <Select<string>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('unions.selectPlaceholder')}
      loading={isFetching}
      notFoundContent={<LoadNote fetching={isFetching} failed={isError} />}
      options={options}
      onChange={(value, option) => {
        const picked = data?.items.find((u) => u.id === value) ?? (initialOption?.id === value ? initialOption : null);
        onPick?.(picked ? { id: picked.id, name: picked.name, code: picked.code } : null);
        onChange?.(value, option);
      }}
      {...rest}
    />
  );
}
