import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';
import type { AnyErrorCode, ErrorParams } from '../i18n/errorParams';
import { formatNumber } from '../lib/format';

/** What a synchronous sheet import answers: the dry run's report, or the commit's. */
export interface SheetImportReport {
  dry_run: boolean;
  committed: boolean;
  total_rows: number;
  valid_rows: number;
  error_count: number;
  errors: { row: number | null; column: string | null; code: AnyErrorCode; message: string; params?: unknown }[];
}

export interface SheetImportTexts<R extends SheetImportReport = SheetImportReport> {
  title: string;
  hint: string;
  drop: string;
  check: string;
  commit: string;
  /** The dry run's line, from its counts formatted as numbers. */
  summary: (counts: { total: string; valid: string; errors: string }) => string;
  committed: (r: R) => string;
  row: string;
  column: string;
  problem: string;
}

const formatCounts = (r: SheetImportReport) => ({
  total: formatNumber(r.total_rows),
  valid: formatNumber(r.valid_rows),
  errors: formatNumber(r.error_count),
});

/**
 * A spreadsheet in an export's layout, checked first (every problem by row and column, in the
 * user's language with the cell's value) and written only when every row passes - all rows or
 * none. Round results and course rosters import this way.
 */
export function SheetImportModal<R extends SheetImportReport>({
  texts,
  testId,
  upload,
  pending,
  onClose,
}: {
  texts: SheetImportTexts<R>;
  testId: string;
  upload: (file: File, dryRun: boolean) => Promise<R>;
  pending: boolean;
  onClose: () => void;
}) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<R | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    try {
      const answer = await upload(file, dryRun);
      setReport(answer);
      if (answer.committed) message.success(texts.committed(answer));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || '', p.params));
    }
  };
  const checked = report?.dry_run && report.error_count === 0 && report.total_rows > 0;
  return (
    <Modal
      open
      width={760}
      title={texts.title}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button disabled={!file || report?.committed} loading={pending} onClick={() => void run(true)}>
            {texts.check}
          </Button>
          <Button type="primary" disabled={!checked || report?.committed} loading={pending} onClick={() => void run(false)}>
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
          setReport(null);
          return false;
        }}
        onRemove={() => {
          setFile(null);
          setReport(null);
        }}
        data-testid={`${testId}-file`}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{texts.drop}</p>
      </Upload.Dragger>
      {report ? (
        <div style={{ marginTop: 16 }} data-testid={`${testId}-report`}>
          <Alert
            showIcon
            type={report.committed ? 'success' : report.error_count ? 'error' : 'info'}
            title={report.committed ? texts.committed(report) : texts.summary(formatCounts(report))}
          />
          {report.errors.length ? (
            <Table
              style={{ marginTop: 12 }}
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={report.errors}
              columns={[
                { key: 'row', title: texts.row, width: 70, render: (_, e) => e.row ?? '—' },
                { key: 'column', title: texts.column, width: 140, render: (_, e) => e.column ?? '—' },
                { key: 'message', title: texts.problem, render: (_, e) => te(e.code, e.message, e.params as ErrorParams) },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
