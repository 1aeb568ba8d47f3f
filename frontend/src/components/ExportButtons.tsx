import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';
import { downloadFile } from '../lib/download';

type Query = Parameters<typeof downloadFile>[1];

/** Excel and CSV downloads of a list with the filters currently applied. */
export function ExportButtons({ path, query, baseName }: { path: string; query: Query; baseName: string }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      const name = await downloadFile(path, { ...query, format }, `${baseName}.${format}`);
      message.success(t('export.done', { name }));
    } catch (e) {
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
