import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type UnionRead = Schemas['UnionRead'];
export type TreeNode = Schemas['TreeNode'];
export type UnionListQuery = NonNullable<paths['/api/v1/unions']['get']['parameters']['query']>;

export const unionKeys = {
  all: ['unions'] as const,
  list: (q: UnionListQuery) => ['unions', 'list', q] as const,
  detail: (id: string) => ['unions', 'detail', id] as const,
  history: (id: string) => ['unions', 'history', id] as const,
  tree: (asOf: string | undefined, rootId: string | undefined) => ['unions', 'tree', asOf ?? 'today', rootId ?? 'root'] as const,
};

export function fetchUnions(query: UnionListQuery) {
  return unwrap(api.GET('/api/v1/unions', { params: { query } }));
}

export function useUnionList(query: UnionListQuery, enabled = true) {
  return useQuery({ queryKey: unionKeys.list(query), queryFn: () => fetchUnions(query), enabled });
}

export function useUnion(id: string | undefined) {
  return useQuery({
    queryKey: unionKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/unions/{union_id}', { params: { path: { union_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useUnionHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: unionKeys.history(id),
    queryFn: () => unwrap(api.GET('/api/v1/unions/{union_id}/history', { params: { path: { union_id: id } } })),
    enabled,
  });
}

/**
 * One level of the tree: the roots of the caller's subtree (rootId undefined) with their
 * children, or the children of rootId. depth=2 = the node plus one level below it.
 */
export async function fetchTreeLevel(rootId: string | undefined, asOf: string | undefined): Promise<TreeNode[]> {
  const tree = await unwrap(
    api.GET('/api/v1/unions/tree', {
      params: { query: { depth: 2, ...(rootId ? { root_id: rootId } : {}), ...(asOf ? { as_of: asOf } : {}) } },
    }),
  );
  return tree.roots;
}

function useInvalidateUnions() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: unionKeys.all });
}

export function useFoundUnion() {
  const invalidate = useInvalidateUnions();
  return useMutation({
    mutationFn: (body: Schemas['UnionCreate']) => unwrap(api.POST('/api/v1/unions', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateUnion(union: UnionRead) {
  const invalidate = useInvalidateUnions();
  return useMutation({
    mutationFn: (body: Schemas['UnionUpdate']) =>
      unwrap(
        api.PATCH('/api/v1/unions/{union_id}', {
          params: { path: { union_id: union.id }, header: ifMatch(union.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useMoveUnion(union: UnionRead) {
  const invalidate = useInvalidateUnions();
  return useMutation({
    mutationFn: (body: Schemas['UnionMove']) =>
      unwrap(
        api.POST('/api/v1/unions/{union_id}/move', {
          params: { path: { union_id: union.id }, header: ifMatch(union.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useMergeUnion(union: UnionRead) {
  const invalidate = useInvalidateUnions();
  return useMutation({
    mutationFn: (body: Schemas['UnionMerge']) =>
      unwrap(
        api.POST('/api/v1/unions/{union_id}/merge', {
          params: { path: { union_id: union.id }, header: ifMatch(union.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDissolveUnion(union: UnionRead) {
  const invalidate = useInvalidateUnions();
  return useMutation({
    mutationFn: (body: Schemas['UnionDissolve']) =>
      unwrap(
        api.POST('/api/v1/unions/{union_id}/dissolve', {
          params: { path: { union_id: union.id }, header: ifMatch(union.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export type UnionSearchHit = Schemas['UnionSearchHit'];
export type UnionWhereabouts = Schemas['UnionWhereabouts'];

/** Ranked search (GET /unions/search): any word order, abbreviations, a past date's tree. */
export function useUnionSearch(q: string, asOf: string | undefined, activeOnly = false) {
  return useQuery({
    queryKey: ['unions', 'search', q, asOf ?? 'today', activeOnly] as const,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/unions/search', {
          params: { query: { q, ...(asOf ? { as_of: asOf } : {}), ...(activeOnly ? { active_only: true } : {}) } },
        }),
      ),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });
}

export function useUnionWhereabouts(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['unions', 'whereabouts', id] as const,
    queryFn: () => unwrap(api.GET('/api/v1/unions/{union_id}/whereabouts', { params: { path: { union_id: id } } })),
    enabled,
  });
}
