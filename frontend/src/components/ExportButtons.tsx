import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';
import { downloadFile } from '../lib/download';
import { FILE_JOB_MIN_ROWS, exportThroughJob } from '../lib/fileJobs';
import { formatNumber } from '../lib/format';

type Query = Parameters<typeof downloadFile>[1];

interface Props {
  path: string;
  query: Query;
  baseName: string;
  /** The list's file-job endpoint, and its length: a long list is exported by a worker. */
  jobPath?: string;
  rows?: number;
}

/** Excel and CSV downloads of a list with the filters currently applied. A list of
 * FILE_JOB_MIN_ROWS or more is built by a worker: its state shows until the file is ready. */
export function ExportButtons({ path, query, baseName, jobPath, rows = 0 }: Props) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    const key = `export-${baseName}`;
    try {
      const name =
        jobPath && rows >= FILE_JOB_MIN_ROWS
          ? await exportThroughJob(jobPath, { ...query, format }, (job) => {
              const content = t(job.status === 'ready' ? 'export.jobReady' : 'export.jobBuilding', { n: formatNumber(rows) });
              message.loading({ content, key, duration: 0 });
            })
          : await downloadFile(path, { ...query, format }, `${baseName}.${format}`);
      message.destroy(key);
      message.success(t('export.done', { name }));
    } catch (e) {
      message.destroy(key);
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || '', p.params));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space.Compact>
      <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} disabled={busy !== null} onClick={() => void run('xlsx')}>
        {t('export.xlsx')}
      </Button>
      <Button loading={busy === 'csv'} disabled={busy !== null} onClick={() => void run('csv')}>
        {t('export.csv')}
      </Button>
    </Space.Compact>
  );
}
