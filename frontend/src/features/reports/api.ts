import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type ReportTemplate = Schemas['ReportTemplateRead'];
export type ReportTemplateCreate = Schemas['ReportTemplateCreate'];
export type PeriodKind = ReportTemplate['period_kind'];
export type ReportRequest = Schemas['ReportRequestRead'];
export type ReportRequestCreate = Schemas['ReportRequestCreate'];
export type RequestStatus = Schemas['RequestStatus'];
export type UnitStatus = Schemas['UnitStatus'];
export type ReportSummary = Schemas['ReportSummary'];
export type Report = Schemas['ReportRead'];
export type ReportSection = Schemas['ReportSection'];
export type ReportRow = Schemas['ReportRow'];
export type Cell = Schemas['Cell'];
export type Correction = Schemas['Correction'];
export type ReportStatus = Report['status'];
export type ReportListQuery = NonNullable<paths['/api/v1/reports']['get']['parameters']['query']>;

export const reportKeys = {
  all: ['periodic-reports'] as const,
  templates: () => ['periodic-reports', 'templates'] as const,
  allTemplates: () => ['periodic-reports', 'templates', 'all'] as const,
  requests: (page: number) => ['periodic-reports', 'requests', page] as const,
  status: (id: string) => ['periodic-reports', 'status', id] as const,
  list: (q: ReportListQuery) => ['periodic-reports', 'list', q] as const,
  report: (id: string) => ['periodic-reports', 'report', id] as const,
};

export function useTemplates() {
  return useQuery({
    queryKey: reportKeys.templates(),
    queryFn: () => unwrap(api.GET('/api/v1/report-templates')),
    staleTime: 5 * 60_000,
  });
}

/** Every version of every template (the administrators' screen). */
export function useAllTemplates() {
  return useQuery({
    queryKey: reportKeys.allTemplates(),
    queryFn: () => unwrap(api.GET('/api/v1/report-templates', { params: { query: { all_versions: true } } })),
  });
}

export function useRequests(page: number) {
  return useQuery({
    queryKey: reportKeys.requests(page),
    queryFn: () => unwrap(api.GET('/api/v1/report-requests', { params: { query: { page, size: 20 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useRequestStatus(id: string | undefined) {
  return useQuery({
    queryKey: reportKeys.status(id ?? ''),
    queryFn: () =>
      unwrap(api.GET('/api/v1/report-requests/{request_id}/status', { params: { path: { request_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useReports(query: ReportListQuery) {
  return useQuery({
    queryKey: reportKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/reports', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useReport(id: string | undefined) {
  return useQuery({
    queryKey: reportKeys.report(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/reports/{report_id}', { params: { path: { report_id: id! } } })),
    enabled: Boolean(id),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: reportKeys.all });
}

export function useCreateRequest() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ReportRequestCreate) => unwrap(api.POST('/api/v1/report-requests', { body })),
    onSuccess: invalidate,
  });
}

export function useCreateTemplate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ReportTemplateCreate) => unwrap(api.POST('/api/v1/report-templates', { body })),
    onSuccess: invalidate,
  });
}

export type ReportAction = 'generate' | 'submit' | 'approve' | 'consolidate';

/** One of the report's plain actions (If-Match on the version the screen shows). */
export function useReportAction(report: Report | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (action: ReportAction) => {
      const params = { path: { report_id: report!.id }, header: ifMatch(report!.version) };
      if (action === 'generate') return unwrap(api.POST('/api/v1/reports/{report_id}/generate', { params }));
      if (action === 'submit') return unwrap(api.POST('/api/v1/reports/{report_id}/submit', { params }));
      if (action === 'approve') return unwrap(api.POST('/api/v1/reports/{report_id}/approve', { params }));
      return unwrap(api.POST('/api/v1/reports/{report_id}/consolidate', { params }));
    },
    onSuccess: invalidate,
  });
}

export function useReturnReport(report: Report | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (comment: string) =>
      unwrap(
        api.POST('/api/v1/reports/{report_id}/return', {
          params: { path: { report_id: report!.id }, header: ifMatch(report!.version) },
          body: { comment },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useEditReport(report: Report | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { corrections?: Correction[]; texts?: Record<string, string> }) =>
      unwrap(
        api.PATCH('/api/v1/reports/{report_id}/values', {
          params: { path: { report_id: report!.id }, header: ifMatch(report!.version) },
          body: { corrections: body.corrections ?? [], texts: body.texts ?? {} },
        }),
      ),
    onSuccess: invalidate,
  });
}
