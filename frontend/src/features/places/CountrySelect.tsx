import { Select, type SelectProps } from 'antd';
import { LoadNote } from '../../components/SelectNote';
import { fold } from '../../lib/fold';
import { useCountries } from './api';

type Props = Omit<SelectProps<string>, 'options' | 'showSearch' | 'filterOption'>;

/** Nationality: the countries by their Vietnamese names (searchable also in English and by
 * code); the form holds the ISO code the register stores. */
export function CountrySelect(props: Props) {
  const { data, isPending } = useCountries();
  const options = (data ?? []).map((c) => ({ value: c.code, label: c.name, search: `${fold(c.name)} ${fold(c.english)} ${c.code.toLowerCase()}` }));
  return (
    <Select
      {...props}
      showSearch
      loading={isPending}
      notFoundContent={<LoadNote fetching={isPending} />}
      options={options}
      filterOption={(input, option) => Boolean(option?.search.includes(fold(input)))}
      data-testid="nationality-select"
    />
  );
}

/** A stored nationality code by its Vietnamese name. */
export function CountryName({ code }: { code: string }) {
  const { data } = useCountries();
  const country = data?.find((c) => c.code === code);
  return <span title={code}>{country ? country.name : code}</span>;
}
