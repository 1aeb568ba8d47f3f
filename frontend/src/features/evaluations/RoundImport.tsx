import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import type { ErrorParams } from '../../i18n/errorParams';
import { formatNumber } from '../../lib/format';
import { useImportRoundResults, type RoundImportReport, type RoundRead } from './api';

/**
 * A round's results from a spreadsheet in the export's layout: the file is checked first (every
 * problem by row and column), and written only when every row passes - all rows or none.
 */
export function RoundImportModal({ round, onClose }: { round: RoundRead; onClose: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<RoundImportReport | null>(null);
  const upload = useImportRoundResults(round.id);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    try {
      const answer = await upload.mutateAsync({ file, dryRun });
      setReport(answer);
      if (answer.committed) message.success(t('roundImport.committed', { n: formatNumber(answer.total_rows) }));
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
      title={t('roundImport.title', { round: round.name })}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Button disabled={!file || report?.committed} loading={upload.isPending} onClick={() => void run(true)}>
            {t('roundImport.check')}
          </Button>
          <Button type="primary" disabled={!checked || report?.committed} loading={upload.isPending} onClick={() => void run(false)}>
            {t('roundImport.commit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('roundImport.hint')}</Typography.Paragraph>
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
        data-testid="round-import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{t('roundImport.drop')}</p>
      </Upload.Dragger>
      {report ? (
        <div style={{ marginTop: 16 }} data-testid="round-import-report">
          <Alert
            showIcon
            type={report.committed ? 'success' : report.error_count ? 'error' : 'info'}
            title={
              report.committed
                ? t('roundImport.committed', { n: formatNumber(report.total_rows) })
                : t('roundImport.summary', { total: formatNumber(report.total_rows), valid: formatNumber(report.valid_rows), errors: formatNumber(report.error_count) })
            }
          />
          {report.errors.length ? (
            <Table
              style={{ marginTop: 12 }}
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={report.errors}
              columns={[
                { key: 'row', title: t('roundImport.row'), width: 70, render: (_, e) => e.row ?? '—' },
                { key: 'column', title: t('roundImport.column'), width: 140, render: (_, e) => e.column ?? '—' },
                { key: 'message', title: t('roundImport.problem'), render: (_, e) => te(e.code, e.message, e.params as ErrorParams) },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
