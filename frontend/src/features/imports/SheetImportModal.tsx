import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import type { ErrorParams } from '../../i18n/errorParams';
import { downloadFile } from '../../lib/download';
import { formatNumber } from '../../lib/format';
import { RUNNING, useCommitImport, useImportJob, type ImportJob } from './api';

export interface SheetImportTexts {
  title: string;
  hint: string;
  drop: string;
  check: string;
  commit: string;
  /** The dry run's line, from its counts formatted as numbers. */
  summary: (counts: { total: string; valid: string; errors: string }) => string;
  /** The written job's line, from the counts its importer reports (`sheetCounts`). */
  committed: (job: ImportJob) => string;
  row: string;
  column: string;
  problem: string;
}

const formatCounts = (job: ImportJob) => ({
  total: formatNumber(job.total_rows),
  valid: formatNumber(job.valid_rows),
  errors: formatNumber(job.error_count),
});

/**
 * One record's spreadsheet (a round's results, a course's roster) in its export's layout: the
 * upload queues a check on a worker (every problem by row and column, in the user's language
 * with the cell's value; the rows with problems downloadable as a workbook), and the commit
 * queues a write of all rows or none. The dialog polls the import job until each pass ends.
 */
export function SheetImportModal({
  texts,
  testId,
  upload,
  onCommitted,
  onClose,
}: {
  texts: SheetImportTexts;
  testId: string;
  /** Upload the file: the queued import job. */
  upload: (file: File) => Promise<ImportJob>;
  /** The rows were written (refresh what shows them). */
  onCommitted: () => void;
  onClose: () => void;
}) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const { data: job } = useImportJob(jobId);
  const commit = useCommitImport();

  const fail = (e: unknown) => {
    const p = toApiError(e).problem;
    message.error(te(p.code, p.detail || '', p.params));
  };
  const check = async () => {
    if (!file) return;
    setSending(true);
    try {
      setJobId((await upload(file)).id);
    } catch (e) {
      fail(e);
    } finally {
      setSending(false);
    }
  };
  const write = async () => {
    if (!job) return;
    try {
      await commit.mutateAsync({ id: job.id, validOnly: false });
    } catch (e) {
      fail(e);
    }
  };
  const errorRows = async () => {
    if (!job) return;
    setDownloading(true);
    try {
      await downloadFile(`/api/v1/imports/${job.id}/errors.xlsx`, {}, `loi-${job.id}.xlsx`);
    } catch (e) {
      fail(e);
    } finally {
      setDownloading(false);
    }
  };

  // Once, when the worker says the rows are written.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (job?.status !== 'committed' || told.current === job.id) return;
    told.current = job.id;
    message.success(texts.committed(job));
    onCommitted();
  }, [job, message, onCommitted, texts]);

  const running = Boolean(job && RUNNING.includes(job.status));
  const committed = job?.status === 'committed';
  const checked = job?.status === 'validated' && job.error_count === 0 && job.total_rows > 0;
  return (
    <Modal
      open
      width={760}
      title={texts.title}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button disabled={!file || committed || running} loading={sending} onClick={() => void check()}>
            {texts.check}
          </Button>
          <Button
            type="primary"
            disabled={!checked || running}
            loading={commit.isPending || job?.status === 'committing'}
            onClick={() => void write()}
          >
            {texts.commit}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{texts.hint}</Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx,.csv"
        maxCount={1}
        beforeUpload={(f) => {
          setFile(f);
          setJobId(undefined);
          return false;
        }}
        onRemove={() => {
          setFile(null);
          setJobId(undefined);
        }}
        data-testid={`${testId}-file`}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{texts.drop}</p>
      </Upload.Dragger>
      {job && running ? (
        <div style={{ marginTop: 16 }} aria-live="polite" data-testid={`${testId}-progress`}>
          <Progress
            percent={Math.round(job.progress * 100)}
            status="active"
            aria-label={t(job.status === 'committing' ? 'imports.committingProgress' : 'imports.validatingProgress')}
          />
        </div>
      ) : null}
      {job && !running ? (
        <div style={{ marginTop: 16 }} data-testid={`${testId}-report`}>
          <Alert
            showIcon
            type={committed ? 'success' : job.error_count ? 'error' : 'info'}
            title={committed ? texts.committed(job) : texts.summary(formatCounts(job))}
          />
          {job.errors.length ? (
            <>
              <Table
                style={{ marginTop: 12 }}
                size="small"
                rowKey={(_, i) => String(i)}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={job.errors}
                columns={[
                  { key: 'row', title: texts.row, width: 70, render: (_, e) => e.row ?? '—' },
                  { key: 'column', title: texts.column, width: 140, render: (_, e) => e.column ?? '—' },
                  { key: 'message', title: texts.problem, render: (_, e) => te(e.code, e.message, (e.params ?? {}) as ErrorParams) },
                ]}
              />
              {job.status === 'validated' ? (
                <Button style={{ marginTop: 8 }} loading={downloading} onClick={() => void errorRows()}>
                  {t('imports.downloadErrors')}
                </Button>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
