// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as client from '../api/client';
import * as download from './download';
import { exportThroughJob, type FileJob } from './fileJobs';

const job = (status: FileJob['status'], extra: Partial<FileJob> = {}) =>
  ({ id: 'j1', kind: 'members_export', status, file_name: 'doan-vien.xlsx', media_type: 'x', size: 0, rows: 0, error: null, created_at: '', finished_at: null, expires_at: '', ...extra }) as FileJob;

afterEach(() => vi.restoreAllMocks());

describe('exportThroughJob', () => {
  it('starts the job, follows it until ready, then downloads the file', async () => {
    vi.spyOn(client, 'authFetch').mockResolvedValue(new Response(JSON.stringify(job('queued')), { status: 202 }));
    const states = [job('building'), job('ready')];
    vi.spyOn(client.api, 'GET').mockImplementation(() =>
      Promise.resolve({ data: states.shift(), response: new Response(null, { status: 200 }) }) as never,
    );
    const saved = vi.spyOn(download, 'downloadFile').mockResolvedValue('doan-vien.xlsx');
    const seen: string[] = [];
    const name = await exportThroughJob('/api/v1/members/export-jobs', { format: 'xlsx' }, (j) => seen.push(j.status), () => Promise.resolve());
    expect(seen).toEqual(['queued', 'building', 'ready']);
    expect(saved).toHaveBeenCalledWith('/api/v1/file-jobs/j1/download', {}, 'doan-vien.xlsx');
    expect(name).toBe('doan-vien.xlsx');
  });

  it('throws the error of a failed job', async () => {
    vi.spyOn(client, 'authFetch').mockResolvedValue(new Response(JSON.stringify(job('failed', { error: { code: 'file_build_failed' } })), { status: 202 }));
    await expect(exportThroughJob('/x', {}, () => undefined, () => Promise.resolve())).rejects.toMatchObject({ problem: { code: 'file_build_failed' } });
  });
});
