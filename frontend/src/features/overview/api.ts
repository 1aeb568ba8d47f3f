import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Overview = Schemas['Overview'];

export const overviewKeys = {
  all: ['overview'] as const,
};

export const overviewQuery = {
  queryKey: overviewKeys.all,
  queryFn: () => unwrap(api.GET('/api/v1/reports/overview')),
};

/** Every figure of the overview in one request (GET /reports/overview). */
export function useOverview() {
  return useQuery(overviewQuery);
}
