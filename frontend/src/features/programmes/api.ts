import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type ProgrammeRead = Schemas['ProgrammeRead'];
export type ProgrammeProgress = Schemas['ProgrammeProgress'];
export type TargetProgress = Schemas['TargetProgress'];
export type ChildProgress = Schemas['ChildProgress'];
export type IndicatorRecord = Schemas['IndicatorRecord'];
export type IndicatorDefinition = Schemas['IndicatorDefinition'];
export type ProgrammeDetail = Schemas['ProgrammeDetail'];
export type ProgrammeCreate = Schemas['ProgrammeCreate'];
export type ProgrammeUpdate = Schemas['ProgrammeUpdate'];
export type TargetRead = Schemas['TargetRead'];
export type TargetCreate = Schemas['TargetCreate'];
export type TargetUpdate = Schemas['TargetUpdate'];
export type AllocationRead = Schemas['AllocationRead'];
export type AllocationCreate = Schemas['AllocationCreate'];
export type ProportionalAllocation = Schemas['ProportionalAllocation'];
export type RecordsQuery = NonNullable<paths['/api/v1/indicators/{key}/records']['get']['parameters']['query']>;

export const programmeKeys = {
  all: ['programmes'] as const,
  list: () => ['programmes', 'list'] as const,
  detail: (id: string) => ['programmes', 'detail', id] as const,
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

export function useProgramme(id: string | undefined) {
  return useQuery({
    queryKey: programmeKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}', { params: { path: { programme_id: id! } } })),
    enabled: Boolean(id),
  });
}

/** After any edit: the programme, its progress and the lists (overview included) are stale. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: programmeKeys.all });
}

export function useCreateProgramme() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ProgrammeCreate) => unwrap(api.POST('/api/v1/programmes', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateProgramme(programme: ProgrammeDetail | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ProgrammeUpdate) =>
      unwrap(
        api.PATCH('/api/v1/programmes/{programme_id}', {
          params: { path: { programme_id: programme!.id }, header: ifMatch(programme!.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteProgramme(programme: ProgrammeDetail | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/programmes/{programme_id}', {
          params: { path: { programme_id: programme!.id }, header: ifMatch(programme!.version) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useSaveTarget(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ target, body }: { target: TargetRead | null; body: TargetCreate }) => {
      if (!target) {
        return unwrap(
          api.POST('/api/v1/programmes/{programme_id}/targets', { params: { path: { programme_id: programmeId } }, body }),
        );
      }
      const update: TargetUpdate = {
        title: body.title,
        kind: body.kind,
        target_value: body.target_value,
        baseline: body.baseline ?? null,
        parameters: body.parameters,
        position: body.position,
      };
      return unwrap(
        api.PATCH('/api/v1/programmes/{programme_id}/targets/{target_id}', {
          params: { path: { programme_id: programmeId, target_id: target.id }, header: ifMatch(target.version) },
          body: update,
        }),
      );
    },
    onSuccess: invalidate,
  });
}

export function useDeleteTarget(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (target: TargetRead) =>
      unwrap(
        api.DELETE('/api/v1/programmes/{programme_id}/targets/{target_id}', {
          params: { path: { programme_id: programmeId, target_id: target.id }, header: ifMatch(target.version) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useAddAllocation(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ targetId, body }: { targetId: string; body: AllocationCreate }) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/targets/{target_id}/allocations', {
          params: { path: { programme_id: programmeId, target_id: targetId } },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useAllocateProportionally(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ targetId, body }: { targetId: string; body: ProportionalAllocation }) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/targets/{target_id}/allocations/proportional', {
          params: { path: { programme_id: programmeId, target_id: targetId } },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useUpdateAllocation(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ allocation, value }: { allocation: AllocationRead; value: string }) =>
      unwrap(
        api.PATCH('/api/v1/programmes/{programme_id}/allocations/{allocation_id}', {
          params: { path: { programme_id: programmeId, allocation_id: allocation.id }, header: ifMatch(allocation.version) },
          body: { value },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteAllocation(programmeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (allocation: AllocationRead) =>
      unwrap(
        api.DELETE('/api/v1/programmes/{programme_id}/allocations/{allocation_id}', {
          params: { path: { programme_id: programmeId, allocation_id: allocation.id }, header: ifMatch(allocation.version) },
        }),
      ),
    onSuccess: invalidate,
  });
}
