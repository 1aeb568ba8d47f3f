import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { useI18n } from '../../i18n/context';
import { useDebounced } from '../../lib/useDebounced';
import { useEnterpriseList } from './api';

interface Props extends Omit<SelectProps<string>, 'options' | 'onSearch' | 'filterOption' | 'showSearch'> {
  /** The current value's label before the first search loads it. */
  initialOption?: { id: string; name: string } | null;
}

/** Picks an enterprise in the caller's scope; searches names without accents or tax-code prefixes. */
export function EnterpriseSelect({ initialOption, onOpenChange, ...rest }: Props) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  // No request until the list is opened: a filter bar should not cost a query per picker.
  const [opened, setOpened] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const { data, isFetching, isError } = useEnterpriseList({ q: q || undefined, size: 20, sort: 'name' }, opened || Boolean(q));
  const options = (data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} (${e.tax_code})` }));
  if (initialOption && !options.some((o) => o.value === initialOption.id)) {
    options.unshift({ value: initialOption.id, label: initialOption.name });
  }
  return (
    <Select<string>
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      placeholder={t('enterprises.selectPlaceholder')}
      loading={isFetching}
      notFoundContent={<LoadNote fetching={isFetching} failed={isError} />}
      options={options}
      onOpenChange={(open) => {
        if (open) setOpened(true);
        onOpenChange?.(open);
      }}
      {...rest}
    />
  );
}
