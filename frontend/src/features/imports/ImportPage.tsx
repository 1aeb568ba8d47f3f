import { CloudUploadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Progress, Radio, Result, Row, Select, Space, Statistic, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { toApiError } from '../../api/problem';
import { ExportButtons } from '../../components/ExportButtons';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { downloadFile } from '../../lib/download';
import { useConfirm } from '../../lib/useConfirm';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAuth } from '../auth/context';
import {
  resultCounts,
  useCancelImport,
  useCommitImport,
  useImportJob,
  useUploadImport,
  type ImportJob,
  type ImportKind,
  type ImportMode,
  type UploadRequest,
} from './api';
import { ImportReport } from './ImportReport';
import { RecentImports } from './RecentImports';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = ['.xlsx', '.csv'];

function stepOf(job: ImportJob | undefined): number {
  if (!job) return 0;
  if (job.status === 'committing' || job.status === 'committed') return 3;
  return 2;
}

function useDownload() {
  const { te } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, path: string, fallback: string) => {
    setBusy(key);
    try {
      await downloadFile(path, {}, fallback);
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || ''));
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

function Progressing({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  // An upload with "write if clean" checks and writes in the same pass (validating).
  const writing = job.status === 'committing' || (job.status === 'validating' && job.result.commit_if_clean === true);
  const rows = job.status === 'committing' ? 'imports.committingRows' : writing ? 'imports.checkingWritingRows' : 'imports.validatingRows';
  return (
    <div className="import-progress" aria-live="polite">
      <Progress percent={Math.round(job.progress * 100)} status="active" aria-label={t(writing ? 'imports.committingProgress' : 'imports.validatingProgress')} />
      <Typography.Text>
        {t(rows, {
          done: formatNumber(job.done_rows),
          total: formatNumber(job.total_rows),
        })}
      </Typography.Text>
    </div>
  );
}

export default function ImportPage() {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? undefined;
  const [kind, setKind] = useState<ImportKind>((params.get('kind') as ImportKind) === 'enterprises' ? 'enterprises' : 'members');
  const [mode, setMode] = useState<ImportMode>('create');
  const [commitIfClean, setCommitIfClean] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [chosenStep, setChosenStep] = useState(0);
  const [validOnly, setValidOnly] = useState<boolean | null>(null);
  const [uploadError, setUploadError] = useState<string[]>([]);
  // The last upload, kept so that another sheet of the same workbook can be read.
  const [lastUpload, setLastUpload] = useState<UploadRequest | null>(null);
  const [sheet, setSheet] = useState<string | null>(null);
  const job = useImportJob(jobId);
  const upload = useUploadImport();
  const commit = useCommitImport();
  const cancel = useCancelImport();
  const download = useDownload();
  // A chosen file that was not uploaded yet is the only thing a user could lose here.
  const release = useUnsavedChanges(Boolean(file) && !jobId);

  const data = job.data;
  const step = jobId ? stepOf(data) : chosenStep;
  const jobKind = data?.kind ?? kind;
  const counts = data ? resultCounts(data) : null;
  const hasErrors = Boolean(data && data.error_count > 0);
  const commitValidOnly = validOnly ?? hasErrors;

  const restart = () => {
    release();
    setFile(null);
    setChosenStep(0);
    setValidOnly(null);
    setUploadError([]);
    setParams({}, { replace: false });
  };

  const send = async (
    request: UploadRequest | null = file ? { file, kind, mode, commitIfClean: kind === 'members' && commitIfClean } : null,
  ) => {
    if (!request) return;
    setUploadError([]);
    try {
      const created = await upload.mutateAsync(request);
      release();
      setFile(null);
      setLastUpload(request);
      setSheet(null);
      setParams({ job: created.id });
    } catch (e) {
      const p = toApiError(e).problem;
      const messages = p.errors?.length
        ? p.errors.map((x) => te(x.code, x.message, x.params))
        : [te(p.code, p.detail || '', p.params)];
      if (request.sheet) message.error(messages.join(' '));
      else setUploadError(messages);
    }
  };

  const doCommit = async () => {
    if (!data) return;
    const ok = await confirm({
      title: t('imports.commitTitle'),
      content: commitValidOnly
        ? t('imports.commitValidOnlyConfirm', { n: formatNumber(data.valid_rows), bad: formatNumber(counts?.badRows ?? 0) })
        : t('imports.commitAllConfirm', { n: formatNumber(data.total_rows) }),
      okText: t('imports.commit'),
    });
    if (!ok) return;
    try {
      await commit.mutateAsync({ id: data.id, validOnly: commitValidOnly });
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || ''));
    }
  };

  const doCancel = async () => {
    if (!data) return;
    const ok = await confirm({ title: t('imports.cancelTitle'), content: t('imports.cancelConfirm'), okText: t('imports.cancel'), danger: true });
    if (!ok) return;
    try {
      await cancel.mutateAsync(data.id);
      message.success(t('imports.cancelled'));
      restart();
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || ''));
    }
  };

  const kindLabel = (k: ImportKind) => t(k === 'members' ? 'imports.kindMembers' : 'imports.kindEnterprises');
  const base = jobKind === 'members' ? 'Mẫu_nhập_đoàn_viên' : 'Mẫu_nhập_doanh_nghiệp';

  const chooseKind = (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={4}>{t('imports.whatTitle')}</Typography.Title>
        <Radio.Group
          value={kind}
          onChange={(e) => setKind(e.target.value as ImportKind)}
          options={[
            { value: 'members', label: t('imports.kindMembers') },
            { value: 'enterprises', label: t('imports.kindEnterprises') },
          ]}
          optionType="button"
          aria-label={t('imports.whatTitle')}
        />
      </div>
      <div>
        <Typography.Title level={4}>{t('imports.modeTitle')}</Typography.Title>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} aria-label={t('imports.modeTitle')}>
          <Space orientation="vertical">
            <Radio value="create">{t('imports.modeCreate')}</Radio>
            <Radio value="update">{t('imports.modeUpdate')}</Radio>
          </Space>
        </Radio.Group>
      </div>
      <div>
        <Typography.Title level={4}>{t('imports.templateTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('imports.templateHint')}</Typography.Paragraph>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={download.busy === 'tx'}
            onClick={() => void download.run('tx', `/api/v1/imports/templates/${kind}.xlsx`, `${base}.xlsx`)}
          >
            {t('imports.templateXlsx')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={download.busy === 'tc'}
            onClick={() => void download.run('tc', `/api/v1/imports/templates/${kind}.csv`, `${base}.csv`)}
          >
            {t('imports.templateCsv')}
          </Button>
        </Space>
      </div>
      <Button type="primary" onClick={() => setChosenStep(1)}>
        {t('imports.next')}
      </Button>
    </Space>
  );

  const chooseFile = (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Text>{t('imports.fileFor', { kind: kindLabel(kind) })}</Typography.Text>
      <Upload.Dragger
        accept={ACCEPT.join(',')}
        multiple={false}
        maxCount={1}
        showUploadList={false}
        beforeUpload={(f) => {
          setUploadError([]);
          const name = f.name.toLowerCase();
          if (!ACCEPT.some((ext) => name.endsWith(ext))) {
            setUploadError([te('file_type_unsupported', '')]);
          } else if (f.size > MAX_BYTES) {
            setUploadError([te('file_too_large', '')]);
          } else {
            setFile(f);
          }
          return false; // kept in the page until "upload" is pressed
        }}
        data-testid="import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{file ? file.name : t('imports.dropHint')}</p>
        <p className="ant-upload-hint">{file ? t('imports.fileSize', { kb: formatNumber(Math.ceil(file.size / 1024)) }) : t('imports.dropLimits')}</p>
      </Upload.Dragger>
      {kind === 'members' ? (
        <div>
          <Checkbox checked={commitIfClean} onChange={(e) => setCommitIfClean(e.target.checked)}>
            {t('imports.commitIfClean')}
          </Checkbox>
          <Typography.Paragraph type="secondary" className="import-commit-if-clean-hint">
            {t('imports.commitIfCleanHint')}
          </Typography.Paragraph>
        </div>
      ) : null}
      <FormAlert messages={uploadError} />
      <Space>
        <Button onClick={() => setChosenStep(0)}>{t('imports.back')}</Button>
        <Button type="primary" icon={<CloudUploadOutlined />} disabled={!file} loading={upload.isPending} onClick={() => void send()}>
          {t('imports.upload')}
        </Button>
      </Space>
    </Space>
  );

  const report = data ? (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('imports.jobLine', { file: data.file_name, kind: kindLabel(data.kind) })}
      </Typography.Text>
      {data.status === 'validating' ? (
        <Progressing job={data} />
      ) : (
        <>
          {data.status === 'failed' ? <Alert type="error" showIcon title={t('imports.failed')} /> : null}
          {data.status === 'cancelled' ? <Alert type="warning" showIcon title={t('imports.cancelledNotice')} /> : null}
          {data.status === 'validated' && data.result.commit_refused === 'interrupted' ? (
            <Alert type="warning" showIcon title={t('imports.commitInterrupted')} />
          ) : null}
          {data.status === 'validated' && data.result.commit_if_clean === true && data.error_count > 0 ? (
            <Alert type="info" showIcon title={t('imports.notWrittenHasErrors')} />
          ) : null}
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title={t('imports.totalRows')} value={data.total_rows} formatter={(v) => formatNumber(Number(v))} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('imports.validRows')} value={data.valid_rows} formatter={(v) => formatNumber(Number(v))} data-testid="import-valid" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('imports.badRows')} value={counts?.badRows ?? 0} formatter={(v) => formatNumber(Number(v))} data-testid="import-bad" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('imports.errorCount')} value={data.error_count} formatter={(v) => formatNumber(Number(v))} />
            </Col>
          </Row>
          {counts?.ignoredColumns.length ? (
            <Alert type="warning" showIcon title={t('imports.ignoredColumns', { columns: counts.ignoredColumns.join(', ') })} />
          ) : null}
          {counts?.ignoredRows.length ? (
            <Alert type="info" showIcon title={t('imports.ignoredRows', { rows: counts.ignoredRows.join(', ') })} />
          ) : null}
          {counts && counts.sheets.length > 1 ? (
            <Alert
              type="info"
              showIcon
              title={t('imports.sheetRead', { sheet: counts.sheet ?? '' })}
              description={
                <Space wrap>
                  <Select
                    aria-label={t('imports.sheetChoose')}
                    style={{ minWidth: 200 }}
                    value={sheet ?? counts.sheet ?? undefined}
                    options={counts.sheets.map((s) => ({ value: s, label: s }))}
                    onChange={(v: string) => setSheet(v)}
                    disabled={!lastUpload}
                  />
                  <Button
                    onClick={() => void send(lastUpload && sheet ? { ...lastUpload, sheet } : null)}
                    disabled={!lastUpload || !sheet || sheet === counts.sheet}
                    loading={upload.isPending}
                  >
                    {t('imports.sheetReread')}
                  </Button>
                  {!lastUpload ? <Typography.Text type="secondary">{t('imports.sheetNeedsFile')}</Typography.Text> : null}
                </Space>
              }
            />
          ) : null}
          {hasErrors ? (
            <>
              <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Title level={4} style={{ margin: 0 }}>
                  {t('imports.reportTitle')}
                </Typography.Title>
                <Button
                  icon={<DownloadOutlined />}
                  loading={download.busy === 'err'}
                  onClick={() => void download.run('err', `/api/v1/imports/${data.id}/errors.xlsx`, `loi-${data.id}.xlsx`)}
                >
                  {t('imports.downloadErrors')}
                </Button>
              </Space>
              <ImportReport errors={data.errors} truncated={data.errors_truncated} />
            </>
          ) : data.status === 'validated' ? (
            <Alert type="success" showIcon title={t('imports.allValid', { n: formatNumber(data.valid_rows) })} />
          ) : null}
          {data.status === 'validated' ? (
            <Card size="small" title={t('imports.commitTitle')}>
              <Radio.Group value={commitValidOnly} onChange={(e) => setValidOnly(e.target.value as boolean)} aria-label={t('imports.commitTitle')}>
                <Space orientation="vertical">
                  <Radio value={false} disabled={hasErrors}>
                    {t('imports.allOrNothing')}
                    {hasErrors ? <Typography.Text type="secondary"> — {t('imports.allOrNothingBlocked')}</Typography.Text> : null}
                  </Radio>
                  <Radio value={true} disabled={data.valid_rows === 0}>
                    {t('imports.validOnly', { n: formatNumber(data.valid_rows) })}
                  </Radio>
                </Space>
              </Radio.Group>
              <div style={{ marginTop: 16 }}>
                <Space wrap>
                  <Button type="primary" onClick={() => void doCommit()} loading={commit.isPending} disabled={data.valid_rows === 0 || (!commitValidOnly && hasErrors)}>
                    {t('imports.commit')}
                  </Button>
                  <Button danger onClick={() => void doCancel()} loading={cancel.isPending}>
                    {t('imports.cancel')}
                  </Button>
                  <Button onClick={restart}>{t('imports.another')}</Button>
                </Space>
              </div>
            </Card>
          ) : (
            <Button onClick={restart}>{t('imports.another')}</Button>
          )}
        </>
      )}
    </Space>
  ) : null;

  const done = data ? (
    data.status === 'committing' ? (
      <Progressing job={data} />
    ) : (
      <Result
        status="success"
        title={t('imports.committed')}
        subTitle={t('imports.committedCounts', {
          created: formatNumber(counts?.created ?? 0),
          updated: formatNumber(counts?.updated ?? 0),
          unchanged: formatNumber(counts?.unchanged ?? 0),
          skipped: formatNumber(counts?.skipped ?? 0),
        })}
        extra={[
          <Link key="list" to={data.kind === 'members' ? '/members' : '/enterprises'}>
            {t(data.kind === 'members' ? 'imports.openMembers' : 'imports.openEnterprises')}
          </Link>,
          <Button key="again" onClick={restart}>
            {t('imports.another')}
          </Button>,
        ]}
        data-testid="import-committed"
      />
    )
  ) : null;

  return (
    <section aria-labelledby="import-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="import-title">
            {t('imports.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('imports.intro')}</Typography.Text>
        </div>
      </div>
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          items={[
            { title: t('imports.stepKind') },
            { title: t('imports.stepFile') },
            { title: t('imports.stepCheck') },
            { title: t('imports.stepCommit') },
          ]}
        />
        {jobId && job.isPending ? (
          <LoadingState />
        ) : jobId && job.isError ? (
          <ErrorState error={job.error} onRetry={() => job.refetch()} />
        ) : step === 0 ? (
          chooseKind
        ) : step === 1 ? (
          chooseFile
        ) : step === 2 ? (
          report
        ) : (
          done
        )}
      </Card>
      <RecentImports />
      <Card style={{ marginTop: 16 }} title={t('export.title')}>
        <Typography.Paragraph type="secondary">{t('export.hint')}</Typography.Paragraph>
        <Space orientation="vertical">
          <Space wrap>
            <span className="export-label">{t('imports.kindMembers')}</span>
            <ExportButtons path="/api/v1/members/export" query={{}} baseName="doan-vien" personalData={can('members:pii')} />
          </Space>
          {can('enterprises:read') ? (
            <Space wrap>
              <span className="export-label">{t('imports.kindEnterprises')}</span>
              <ExportButtons path="/api/v1/enterprises/export" query={{}} baseName="doanh-nghiep" />
            </Space>
          ) : null}
        </Space>
      </Card>
    </section>
  );
}
