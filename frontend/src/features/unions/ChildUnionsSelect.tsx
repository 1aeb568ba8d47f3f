import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { useDebounced } from '../../lib/useDebounced';
import { useUnionList } from './api';

interface Props extends Omit<SelectProps<string[]>, 'mode' | 'options' | 'loading' | 'showSearch' | 'onSearch' | 'filterOption'> {
  /** The union whose active direct children are offered (none: the field offers nothing yet). */
  parentId: string | undefined;
}

/**
 * Picks several of a union's active direct children (the units a request asks, the unions a
 * course invites). The names are searched on the server without accents ("my tho"), so a
 * province with hundreds of communes and wards offers every one, not the first page.
 */
export function ChildUnionsSelect({ parentId, onChange, ...rest }: Props) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  // The names of the unions picked so far: a later search no longer lists them.
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const children = useUnionList({ parent_id: parentId, q: q || undefined, status: ['active'], size: 50, sort: 'name' }, Boolean(parentId));
  const found = (children.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  const options = [...found, ...[...picked].filter(([id]) => !found.some((o) => o.value === id)).map(([value, label]) => ({ value, label }))];
  return (
    <Select<string[]>
      mode="multiple"
      allowClear
      loading={children.isFetching && Boolean(parentId)}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      notFoundContent={<LoadNote fetching={children.isFetching} failed={children.isError} />}
      options={options}
      onChange={(ids, chosen) => {
        const names = new Map(options.map((o) => [o.value, o.label]));
        setPicked(new Map(ids.map((id) => [id, names.get(id) ?? id])));
        setSearch('');
        onChange?.(ids, chosen);
      }}
      {...rest}
    />
  );
}
