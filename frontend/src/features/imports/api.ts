import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { enterpriseKeys } from '../enterprises/api';
import { memberKeys } from '../members/api';
import { overviewKeys } from '../overview/api';

export type ImportJob = Schemas['ImportJobRead'];
export type ImportJobSummary = Schemas['ImportJobSummary'];
export type ImportKind = Schemas['ImportKind'];
export type ImportStatus = Schemas['ImportStatus'];
export type ImportMode = 'create' | 'update';
export type ImportRowError = Schemas['ImportRowError'];

/** While a worker runs a job, the report is asked for again: every 300 ms for the first few
 * polls (a worker hears of a new job at once, so a small file's report is there in well under
 * a second), then every second. */
export const RUNNING: ImportStatus[] = ['validating', 'committing'];
export const POLL_MS = 1000;
export const FIRST_POLL_MS = 300;
const FIRST_POLLS = 10;

export function pollInterval(status: ImportStatus | undefined, polls: number): number | false {
  if (!status || !RUNNING.includes(status)) return false;
  return polls < FIRST_POLLS ? FIRST_POLL_MS : POLL_MS;
}

export const importKeys = {
  all: ['imports'] as const,
  job: (id: string) => ['imports', 'job', id] as const,
  recent: ['imports', 'recent'] as const,
};

/** The latest imports the caller may see, newest first (the import screen's list). */
export const RECENT_IMPORTS = 10;

export function useRecentImports() {
  return useQuery({
    queryKey: importKeys.recent,
    queryFn: () => unwrap(api.GET('/api/v1/imports', { params: { query: { page: 1, size: RECENT_IMPORTS } } })),
    staleTime: 0,
  });
}

export function useImportJob(id: string | undefined) {
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/imports/{job_id}', { params: { path: { job_id: id! } } })),
    enabled: Boolean(id),
    staleTime: 0,
    refetchInterval: (q) => pollInterval(q.state.data?.status, q.state.dataUpdateCount),
  });
  // The commit runs on a worker: the registers change when the job says so, not when the
  // commit request was answered.
  // (A sheet of one record - a roster, a round's results - refreshes its own screen.)
  const committedKind = query.data?.status === 'committed' ? query.data.kind : undefined;
  useEffect(() => {
    if (committedKind !== 'members' && committedKind !== 'enterprises') return;
    void qc.invalidateQueries({ queryKey: committedKind === 'members' ? memberKeys.all : enterpriseKeys.all });
    void qc.invalidateQueries({ queryKey: overviewKeys.all });
  }, [committedKind, qc]);
  // The recent-imports list shows each job's state: follow this one's.
  const status = query.data?.status;
  useEffect(() => {
    if (status) void qc.invalidateQueries({ queryKey: importKeys.recent });
  }, [status, qc]);
  return query;
}

/** An upload: the file, and the sheet to read (default: the workbook's first visible one). */
export interface UploadRequest {
  file: File;
  kind: ImportKind;
  mode: ImportMode;
  sheet?: string;
  /** Members only: validate and write in one pass; a file with any error writes nothing. */
  commitIfClean?: boolean;
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, kind, mode, sheet, commitIfClean }: UploadRequest) =>
      unwrap(
        api.POST('/api/v1/imports', {
          // The generated type says "string" for the binary part; the serializer sends the File.
          body: { file: '', kind, mode, sheet, commit_if_clean: Boolean(commitIfClean) },
          bodySerializer: () => {
            const form = new FormData();
            form.append('kind', kind);
            form.append('mode', mode);
            if (sheet) form.append('sheet', sheet);
            if (commitIfClean) form.append('commit_if_clean', 'true');
            form.append('file', file, file.name);
            return form;
          },
        }),
      ),
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: importKeys.recent });
    },
  });
}

export function useCommitImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, validOnly }: { id: string; validOnly: boolean }) =>
      unwrap(api.POST('/api/v1/imports/{job_id}/commit', { params: { path: { job_id: id } }, body: { valid_only: validOnly } })),
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: importKeys.recent });
      void qc.invalidateQueries({ queryKey: job.kind === 'members' ? memberKeys.all : enterpriseKeys.all });
      void qc.invalidateQueries({ queryKey: overviewKeys.all });
    },
  });
}

export function useCancelImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/imports/{job_id}', { params: { path: { job_id: id } } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: importKeys.recent }),
  });
}

/** The counts a finished job reports in `result`. */
export function resultCounts(job: ImportJobSummary) {
  const r = job.result as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : 0);
  return {
    created: n('created'),
    updated: n('updated'),
    unchanged: n('unchanged'),
    badRows: n('bad_rows'),
    skipped: n('skipped_rows'),
    ignoredColumns: Array.isArray(r.ignored_columns) ? (r.ignored_columns as string[]) : [],
    /** Rows read as the column numbering or the footer, not as data. */
    ignoredRows: Array.isArray(r.ignored_rows) ? (r.ignored_rows as number[]) : [],
    /** The sheet read, and every sheet of the workbook (.xlsx only). */
    sheet: typeof r.sheet === 'string' ? r.sheet : null,
    sheets: Array.isArray(r.sheets) ? (r.sheets as string[]) : [],
  };
}

/** What a sheet import of one record wrote (`result.counts`: added, updated, approved, unchanged ...). */
export function sheetCounts(job: ImportJobSummary): Record<string, number> {
  const counts = (job.result as Record<string, unknown>).counts;
  return counts && typeof counts === 'object' ? (counts as Record<string, number>) : {};
}
