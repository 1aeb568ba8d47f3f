import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Overview = Schemas['Overview'];

export const overviewKeys = {
  all: ['overview'] as const,
  of: (unionId: string | undefined) => ['overview', unionId ?? 'all'] as const,
};

export function overviewQuery(unionId?: string) {
  return {
    queryKey: overviewKeys.of(unionId),
    queryFn: () => unwrap(api.GET('/api/v1/reports/overview', { params: { query: unionId ? { union_id: unionId } : {} } })),
  };
}

/** Every figure of the overview in one request (GET /reports/overview), for one union or all. */
export function useOverview(unionId?: string) {
  return useQuery(overviewQuery(unionId));
}
