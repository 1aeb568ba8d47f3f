import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Province = Schemas['ProvinceRead'];
export type Commune = Schemas['CommuneRead'];

// The official list changes by decree, not by the minute: read once a session.
const LIST_STALE_MS = 60 * 60 * 1000;

export const placeKeys = {
  provinces: ['places', 'provinces'] as const,
  communes: (province: string) => ['places', 'communes', province] as const,
  named: (codes: readonly string[]) => ['places', 'named', ...codes] as const,
};

export function useProvinces(enabled = true) {
  return useQuery({
    queryKey: placeKeys.provinces,
    queryFn: () => unwrap(api.GET('/api/v1/places/provinces')),
    staleTime: LIST_STALE_MS,
    enabled,
  });
}

export function useCommunes(province: string | undefined) {
  return useQuery({
    queryKey: placeKeys.communes(province ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/places/communes', { params: { query: { province_code: province! } } })),
    enabled: Boolean(province),
    staleTime: LIST_STALE_MS,
    placeholderData: keepPreviousData,
  });
}

/** The communes named by stored codes (older codes too), by code. */
export function useCommuneNames(codes: readonly (string | null | undefined)[]) {
  const wanted = [...new Set(codes.filter((c): c is string => Boolean(c)))].sort();
  return useQuery({
    queryKey: placeKeys.named(wanted),
    queryFn: async () => {
      const found = await unwrap(api.GET('/api/v1/places/communes', { params: { query: { code: wanted } } }));
      return new Map(found.map((c) => [c.code, c]));
    },
    enabled: wanted.length > 0,
    staleTime: LIST_STALE_MS,
  });
}

/** "Phường Mỹ Tho, Tỉnh Đồng Tháp" */
export function communeLabel(c: Commune): string {
  return `${c.name}, ${c.province_name}`;
}

export type Country = Schemas['CountryRead'];

export function useCountries() {
  return useQuery({
    queryKey: ['places', 'countries'] as const,
    queryFn: () => unwrap(api.GET('/api/v1/places/countries')),
    staleTime: Infinity,
  });
}

export type Industry = Schemas['IndustryRead'];

export function useIndustries() {
  return useQuery({
    queryKey: ['places', 'industries'] as const,
    queryFn: async () => new Map((await unwrap(api.GET('/api/v1/places/industries'))).map((i) => [i.code, i])),
    staleTime: Infinity,
  });
}

/** The VSIC division (or section) that names a stored code: "1410" -> "14", "C" -> "C". */
export function industryKey(code: string): string {
  return /^[A-Za-z]$/.test(code) ? code.toUpperCase() : code.slice(0, 2);
}
