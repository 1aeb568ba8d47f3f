import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';
import { overviewKeys } from '../overview/api';
import { unionKeys } from '../unions/api';

export type EnterpriseRead = Schemas['EnterpriseRead'];
export type EnterpriseCreate = Schemas['EnterpriseCreate'];
export type EnterpriseUpdate = Schemas['EnterpriseUpdate'];
export type SurveyRead = Schemas['SurveyRead'];
export type GapReport = Schemas['GapReport'];
export type EnterpriseListQuery = NonNullable<paths['/api/v1/enterprises']['get']['parameters']['query']>;
export type GapQuery = NonNullable<paths['/api/v1/enterprises/unionization-gap']['get']['parameters']['query']>;

export const enterpriseKeys = {
  all: ['enterprises'] as const,
  list: (q: EnterpriseListQuery) => ['enterprises', 'list', q] as const,
  detail: (id: string) => ['enterprises', 'detail', id] as const,
  surveys: (id: string) => ['enterprises', 'surveys', id] as const,
  gap: (q: GapQuery) => ['enterprises', 'gap', q] as const,
};

export function useEnterpriseList(query: EnterpriseListQuery, enabled = true) {
  return useQuery({
    queryKey: enterpriseKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/enterprises', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEnterprise(id: string | undefined) {
  return useQuery({
    queryKey: enterpriseKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/enterprises/{enterprise_id}', { params: { path: { enterprise_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useSurveys(id: string) {
  return useQuery({
    queryKey: enterpriseKeys.surveys(id),
    queryFn: () => unwrap(api.GET('/api/v1/enterprises/{enterprise_id}/surveys', { params: { path: { enterprise_id: id } } })),
  });
}

export function useGap(query: GapQuery) {
  return useQuery({
    queryKey: enterpriseKeys.gap(query),
    queryFn: () => unwrap(api.GET('/api/v1/enterprises/unionization-gap', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: enterpriseKeys.all }),
      qc.invalidateQueries({ queryKey: overviewKeys.all }),
    ]);
}

export function useCreateEnterprise() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: EnterpriseCreate) => unwrap(api.POST('/api/v1/enterprises', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateEnterprise(enterprise: EnterpriseRead | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: EnterpriseUpdate) =>
      unwrap(
        api.PATCH('/api/v1/enterprises/{enterprise_id}', {
          params: { path: { enterprise_id: enterprise!.id }, header: ifMatch(enterprise!.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useAddSurvey(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['SurveyCreate']) =>
      unwrap(api.POST('/api/v1/enterprises/{enterprise_id}/surveys', { params: { path: { enterprise_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useFoundEnterpriseUnion(id: string) {
  const invalidate = useInvalidate();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['FoundUnion']) =>
      unwrap(api.POST('/api/v1/enterprises/{enterprise_id}/found-union', { params: { path: { enterprise_id: id } }, body })),
    onSuccess: () => Promise.all([invalidate(), qc.invalidateQueries({ queryKey: unionKeys.all })]),
  });
}
