import { api, authFetch, unwrap, type Schemas } from '../api/client';
import { ApiError, isProblem } from '../api/problem';
import type { ErrorCode } from '../i18n/errors';
import { downloadFile, toQueryString } from './download';

export type FileJob = Schemas['FileJobRead'];
type Query = Parameters<typeof toQueryString>[0];

/** Lists at least this long are exported by a worker (a file job) instead of at once. */
export const FILE_JOB_MIN_ROWS = 20_000;
export const FILE_JOB_POLL_MS = 1000;

export const fileJobDone = (job: FileJob) => job.status === 'ready' || job.status === 'failed';

/** Ask a worker for a file (POST `path` with the list's filters). */
export async function startFileJob(path: string, query: Query): Promise<FileJob> {
  const qs = toQueryString(query);
  const url = new URL(`${path}${qs ? `?${qs}` : ''}`, globalThis.location.origin);
  const response = await authFetch(new Request(url, { method: 'POST' }));
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(isProblem(body) ? body : { status: response.status, code: 'http_error' });
  return body as FileJob;
}

export const fileJob = (id: string) =>
  unwrap(api.GET('/api/v1/file-jobs/{job_id}', { params: { path: { job_id: id } } }));

/**
 * Start a file job, follow it until the worker is done (`onState` sees each state), then
 * download the file. Throws the job's error when it failed.
 */
export async function exportThroughJob(
  path: string,
  query: Query,
  onState: (job: FileJob) => void,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<string> {
  let job = await startFileJob(path, query);
  onState(job);
  while (!fileJobDone(job)) {
    await wait(FILE_JOB_POLL_MS);
    job = await fileJob(job.id);
    onState(job);
  }
  if (job.status === 'failed') {
    const error = (job.error ?? {}) as { code?: ErrorCode; message?: string };
    throw new ApiError({ status: 500, code: error.code ?? 'file_build_failed', detail: error.message });
  }
  return downloadFile(`/api/v1/file-jobs/${job.id}/download`, {}, job.file_name);
}
