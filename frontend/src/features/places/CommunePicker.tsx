import { Select, Space } from 'antd';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { useI18n } from '../../i18n/context';
import { fold } from '../../lib/fold';
import { useCommuneNames, useCommunes, useProvinces } from './api';

interface Props {
  /** The stored 5-digit commune code. */
  value?: string | null;
  onChange?: (code: string | null) => void;
  id?: string;
}

/** Province, then commune/ward, from the official list (after the 2025 reform): the form
 * field holds the commune's code, the officer sees names. A stored code the list has since
 * retired still shows by its name. */
export function CommunePicker({ value, onChange, id }: Props) {
  const { t } = useI18n();
  const { data: named } = useCommuneNames([value]);
  const stored = value ? named?.get(value) : undefined;
  const [chosen, setChosen] = useState<string | undefined>();
  const province = chosen ?? stored?.province_code;
  const provinces = useProvinces();
  const communes = useCommunes(province);
  const options = (communes.data ?? []).map((c) => ({ value: c.code, label: c.name, search: fold(c.name) }));
  if (stored && !options.some((o) => o.value === stored.code) && stored.province_code === province) {
    options.unshift({ value: stored.code, label: `${stored.name} (${t('places.retired')})`, search: fold(stored.name) });
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={id}
        showSearch
        allowClear
        style={{ width: '45%' }}
        placeholder={t('places.province')}
        aria-label={t('places.province')}
        loading={provinces.isPending}
        notFoundContent={<LoadNote fetching={provinces.isPending} failed={provinces.isError} />}
        value={province || undefined}
        options={(provinces.data ?? []).map((p) => ({ value: p.code, label: p.name, search: fold(p.name) }))}
        filterOption={(input, option) => Boolean(option?.search.includes(fold(input)))}
        onChange={(v?: string) => {
          setChosen(v ?? '');
          onChange?.(null);
        }}
        data-testid="province-select"
      />
      <Select
        showSearch
        allowClear
        style={{ width: '55%' }}
        placeholder={t('places.commune')}
        aria-label={t('places.commune')}
        disabled={!province}
        loading={communes.isFetching}
        notFoundContent={<LoadNote fetching={communes.isFetching} failed={communes.isError} />}
        value={value ?? undefined}
        options={options}
        filterOption={(input, option) => Boolean(option?.search.includes(fold(input)))}
        onChange={(v?: string) => onChange?.(v ?? null)}
        data-testid="commune-select"
      />
    </Space.Compact>
  );
}
