import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type ProgrammeRead = Schemas['ProgrammeRead'];
export type ProgrammeProgress = Schemas['ProgrammeProgress'];
export type TargetProgress = Schemas['TargetProgress'];
export type ChildProgress = Schemas['ChildProgress'];
export type IndicatorRecord = Schemas['IndicatorRecord'];
export type RecordsQuery = NonNullable<paths['/api/v1/indicators/{key}/records']['get']['parameters']['query']>;

export const programmeKeys = {
  all: ['programmes'] as const,
  list: () => ['programmes', 'list'] as const,
  progress: (id: string, asOf?: string) => ['programmes', 'progress', id, asOf ?? ''] as const,
  records: (key: string, q: RecordsQuery) => ['indicators', 'records', key, q] as const,
  catalogue: () => ['indicators', 'catalogue'] as const,
};

export function useProgrammes() {
  return useQuery({
    queryKey: programmeKeys.list(),
    queryFn: () => unwrap(api.GET('/api/v1/programmes', { params: { query: { size: 100 } } })),
  });
}

export function useProgress(id: string | undefined, asOf?: string) {
  return useQuery({
    queryKey: programmeKeys.progress(id ?? '', asOf),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/programmes/{programme_id}/progress', {
          params: { path: { programme_id: id! }, query: asOf ? { as_of: asOf } : {} },
        }),
      ),
    enabled: Boolean(id),
  });
}

export function useCatalogue() {
  return useQuery({
    queryKey: programmeKeys.catalogue(),
    queryFn: () => unwrap(api.GET('/api/v1/indicators')),
    staleTime: Infinity,
  });
}

export function useRecords(key: string, query: RecordsQuery) {
  return useQuery({
    queryKey: programmeKeys.records(key, query),
    queryFn: () => unwrap(api.GET('/api/v1/indicators/{key}/records', { params: { path: { key }, query } })),
    placeholderData: keepPreviousData,
  });
}

/** The records page of a target (or of one child's part of it), as a link. */
export function recordsLink(progress: ProgrammeProgress, target: TargetProgress, childId?: string | null): string {
  const q = new URLSearchParams({ union_id: progress.union_id, as_of: progress.as_of });
  q.set('to', target.period_to ?? progress.as_of);
  if (target.period_from) q.set('from', target.period_from);
  const minWorkers = target.parameters.min_workers;
  if (minWorkers) q.set('min_workers', String(minWorkers));
  if (childId) q.set('child_id', childId);
  return `/indicators/${target.indicator_key}/records?${q.toString()}`;
}
