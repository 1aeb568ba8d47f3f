import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { useI18n } from '../../i18n/context';
import { useDebounced } from '../../lib/useDebounced';
import { fetchDestinations, memberKeys, type DestinationRead } from './api';

interface Props extends Omit<SelectProps<string>, 'options' | 'onSearch' | 'filterOption' | 'showSearch' | 'onChange'> {
  excludeId?: string;
  /** Whose list: an officer's (the default) or a member's own (GET /me/transfer-destinations). */
  source?: 'officer' | 'self';
  fetchPage?: (q: string) => Promise<{ items: DestinationRead[] }>;
  onChange?: (value: string | undefined, union: DestinationRead | null) => void;
}

/**
 * Picks the receiving union of a transfer from every active union that holds members,
 * federation-wide (a member may move to a union outside the officer's own scope).
 */
export function DestinationSelect({ excludeId, onChange, source = 'officer', fetchPage = fetchDestinations, ...rest }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const { data, isFetching, isError } = useQuery({
    queryKey: [...memberKeys.destinations(q), source],
    queryFn: () => fetchPage(q),
  });
  const items = (data?.items ?? []).filter((u) => u.id !== excludeId);
  return (
    <Select<string>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('transfer.destinationPlaceholder')}
      loading={isFetching}
      notFoundContent={<LoadNote fetching={isFetching} failed={isError} />}
      options={items.map((u) => ({
        value: u.id,
        label: `${u.name} (${u.code})`,
        title: u.parent_name ? `${u.name} · ${u.parent_name}` : u.name,
      }))}
      optionRender={(option) => {
        const u = items.find((i) => i.id === option.value);
        return (
          <div>
            <div>{option.label}</div>
            {u?.parent_name ? <div className="option-sub">{u.parent_name}</div> : null}
          </div>
        );
      }}
      onChange={(value) => onChange?.(value, items.find((u) => u.id === value) ?? null)}
      {...rest}
    />
  );
}
