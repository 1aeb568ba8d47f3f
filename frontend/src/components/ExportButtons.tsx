import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';
import { downloadFile } from '../lib/download';
import { FILE_JOB_MIN_ROWS, exportThroughJob } from '../lib/fileJobs';
import { formatNumber } from '../lib/format';

type Query = Parameters<typeof downloadFile>[1];
type Format = 'xlsx' | 'csv';

interface Props {
  path: string;
  query: Query;
  baseName: string;
  /** The list's file-job endpoint, and its length: a long list is exported by a worker. */
  jobPath?: string;
  rows?: number;
  /** The columns shown on screen, in order: the file holds these under a title block.
   * Without them the server writes the import layout. */
  columns?: readonly string[];
  /** The file carries personal data and the caller holds members:pii: they choose masked
   * (the default) or unmasked with a stated purpose, which the server records in the audit
   * log. Without it the file is masked, no question asked. */
  personalData?: boolean;
}

interface Choice {
  unmasked: 'no' | 'yes';
  purpose?: string;
}

/** Excel and CSV downloads of a list with the filters currently applied. A list of
 * FILE_JOB_MIN_ROWS or more is built by a worker: its state shows until the file is ready. */
export function ExportButtons({ path, query, baseName, jobPath, rows = 0, columns, personalData = false }: Props) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<Format | null>(null);
  const [asking, setAsking] = useState<Format | null>(null);
  const [form] = Form.useForm<Choice>();
  const unmasked = Form.useWatch('unmasked', form) === 'yes';
  const askFirst = personalData;

  const run = async (format: Format, extra: Query = {}) => {
    setBusy(format);
    const key = `export-${baseName}`;
    const params = { ...query, ...extra, format, ...(columns ? { columns } : {}) };
    try {
      const name =
        jobPath && rows >= FILE_JOB_MIN_ROWS
          ? await exportThroughJob(jobPath, params, (job) => {
              const content = t(job.status === 'ready' ? 'export.jobReady' : 'export.jobBuilding', { n: formatNumber(rows) });
              message.loading({ content, key, duration: 0 });
            })
          : await downloadFile(path, params, `${baseName}.${format}`);
      message.destroy(key);
      message.success(t('export.done', { name }));
      return true;
    } catch (e) {
      message.destroy(key);
      const p = toApiError(e).problem;
      const field = p.errors?.[0];
      message.error(field ? te(field.code, field.message, field.params) : te(p.code, p.detail || '', p.params));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const start = (format: Format) => {
    if (!askFirst) {
      void run(format);
      return;
    }
    form.setFieldsValue({ unmasked: 'no', purpose: '' });
    setAsking(format);
  };
  const confirm = async () => {
    if (!asking) return;
    const choice = await form.validateFields();
    const extra = choice.unmasked === 'yes' ? { unmasked: true, purpose: choice.purpose?.trim() } : {};
    if (await run(asking, extra)) setAsking(null);
  };

  return (
    <>
      <Space.Compact>
        <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} disabled={busy !== null} onClick={() => start('xlsx')}>
          {t('export.xlsx')}
        </Button>
        <Button loading={busy === 'csv'} disabled={busy !== null} onClick={() => start('csv')}>
          {t('export.csv')}
        </Button>
      </Space.Compact>
      <Modal
        open={asking !== null}
        title={t('export.dialogTitle', { format: asking === 'csv' ? 'CSV' : 'Excel' })}
        okText={t('export.run')}
        cancelText={t('export.cancel')}
        confirmLoading={busy !== null}
        onOk={() => void confirm().catch(() => undefined)}
        onCancel={() => setAsking(null)}
        forceRender
      >
        {columns ? <Typography.Paragraph type="secondary">{t('export.dialogIntro')}</Typography.Paragraph> : null}
        <Form form={form} layout="vertical" initialValues={{ unmasked: 'no' }} data-testid="export-dialog">
          <Form.Item name="unmasked">
            <Radio.Group aria-label={t('export.title')}>
              <Space orientation="vertical">
                <Radio value="no">{t('export.masked')}</Radio>
                <Radio value="yes">{t('export.unmasked')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {unmasked ? (
            <Form.Item
              name="purpose"
              label={t('export.purpose')}
              extra={t('export.purposeHint')}
              rules={[{ required: true, whitespace: true, message: t('export.purposeRequired') }]}
            >
              <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('export.purposePlaceholder')} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
