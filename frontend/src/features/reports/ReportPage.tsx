import { DownloadOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, LoadingState } from '../../components/states';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { exportThroughJob } from '../../lib/fileJobs';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAuth } from '../auth/context';
import {
  useEditReport,
  useReport,
  useReportAction,
  useReturnReport,
  type Cell,
  type Report,
  type ReportAction,
  type ReportRow,
  type ReportSection,
} from './api';
import { ForwardModal } from './ForwardModal';
import { STATUS_COLOR, formatFigure } from './labels';

type ExportFormat = 'xlsx' | 'pdf';
const EXPORT_FORMATS: ExportFormat[] = ['xlsx', 'pdf'];

/** One report: its figures (generated, corrected with a reason), its texts, and what may be done next. */
export default function ReportPage() {
  const { reportId } = useParams();
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useReport(reportId);
  const [correcting, setCorrecting] = useState<{ row: ReportRow; cell: Cell } | null>(null);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (isPending) return <LoadingState rows={8} />;
  const editable = !data.consolidated && (data.status === 'draft' || data.status === 'returned');
  const textEditable = data.status === 'draft' || (!data.consolidated && data.status === 'returned');
  return (
    <section aria-labelledby="report-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="report-title">
            {data.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {data.union_name} · {data.template.name}
            {data.consolidated ? ` · ${t('reports.consolidatedReport')}` : ''}
          </Typography.Text>
        </div>
        <Space wrap>
          {data.forwarded_request_id ? (
            <Link to={`/reports/requests/${data.forwarded_request_id}`} data-testid="forwarded-link">
              {t('reports.forwardedRequest')}
            </Link>
          ) : null}
          <Link to={`/reports/requests/${data.request_id}`}>{t('reports.toRequest')}</Link>
        </Space>
      </div>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              {
                key: 'status',
                label: t('reports.status'),
                children: (
                  <span data-testid="report-status">
                    <Tag color={STATUS_COLOR[data.status]}>{t(`reportStatus.${data.status}`)}</Tag>
                    {data.late ? <Tag color="error">{t('reports.late')}</Tag> : null}
                  </span>
                ),
              },
              { key: 'period', label: t('reports.period'), children: `${formatDate(data.period_from)} – ${formatDate(data.period_to)}` },
              { key: 'deadline', label: t('reports.deadline'), children: formatDate(data.deadline) },
              { key: 'asked', label: t('reports.askedBy'), children: data.requester_union_name },
              { key: 'generated', label: t('reports.generatedAt'), children: formatDateTime(data.generated_at) || '—' },
              { key: 'submitted', label: t('reports.submittedAt'), children: formatDateTime(data.submitted_at) || '—' },
            ]}
          />
          {data.review_comment && data.status === 'returned' ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="review-comment"
              message={t('reports.returnedWith')}
              description={<span className="pre-line">{data.review_comment}</span>}
            />
          ) : null}
          <Actions report={data} />
        </Card>
        {data.sections.map((s) => (
          <SectionCard
            key={s.key}
            report={data}
            section={s}
            editable={editable}
            textEditable={textEditable}
            onCorrect={(row, cell) => setCorrecting({ row, cell })}
          />
        ))}
      </Space>
      {correcting ? <CorrectionModal report={data} row={correcting.row} cell={correcting.cell} onClose={() => setCorrecting(null)} /> : null}
    </section>
  );
}

function Actions({ report }: { report: Report }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const action = useReportAction(report);
  const giveBack = useReturnReport(report);
  const [returning, setReturning] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const [comment, setComment] = useState('');
  const [exporting, setExporting] = useState<{ format: ExportFormat; status: string } | null>(null);
  const run = async (a: ReportAction) => {
    try {
      await action.mutateAsync(a);
      message.success(t(`reports.done.${a}`));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail ?? p.code, p.params));
    }
  };
  const doReturn = async () => {
    try {
      await giveBack.mutateAsync(comment.trim());
      message.success(t('reports.done.return'));
      setReturning(false);
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.errors?.[0]?.code ?? p.code, p.detail ?? p.code, p.errors?.[0]?.params ?? p.params));
    }
  };
  const download = async (format: ExportFormat) => {
    try {
      await exportThroughJob(`/api/v1/reports/${report.id}/export-jobs`, { format }, (job) => setExporting({ format, status: job.status }));
      setExporting(null);
    } catch (e) {
      setExporting(null);
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail ?? p.code, p.params));
    }
  };
  const s = report.status;
  const write = can('reports:write');
  const review = can('reports:review');
  return (
    <Space wrap style={{ marginTop: 16 }} data-testid="report-actions">
      {report.consolidated ? (
        <>
          {review && (s === 'pending' || s === 'draft') ? (
            <Button type="primary" onClick={() => void run('consolidate')} loading={action.isPending}>
              {t('reports.consolidate')}
            </Button>
          ) : null}
          {review && s === 'draft' ? (
            <Button onClick={() => void run('approve')} loading={action.isPending}>
              {t('reports.approve')}
            </Button>
          ) : null}
        </>
      ) : (
        <>
          {write && (s === 'pending' || s === 'draft' || s === 'returned') ? (
            <Button type={s === 'pending' ? 'primary' : 'default'} onClick={() => void run('generate')} loading={action.isPending}>
              {s === 'pending' ? t('reports.generate') : t('reports.regenerate')}
            </Button>
          ) : null}
          {write && (s === 'draft' || s === 'returned') ? (
            <Button type="primary" onClick={() => void run('submit')} loading={action.isPending}>
              {t('reports.submit')}
            </Button>
          ) : null}
          {review && !report.forwarded_request_id && (s === 'pending' || s === 'draft' || s === 'returned') ? (
            <Button onClick={() => setForwarding(true)}>{t('reports.forward')}</Button>
          ) : null}
          {review && s === 'submitted' ? (
            <>
              <Button type="primary" onClick={() => void run('approve')} loading={action.isPending}>
                {t('reports.approve')}
              </Button>
              <Button danger onClick={() => setReturning(true)}>
                {t('reports.return')}
              </Button>
            </>
          ) : null}
        </>
      )}
      {s !== 'pending'
        ? EXPORT_FORMATS.map((format) => (
            <Button
              key={format}
              icon={<DownloadOutlined />}
              onClick={() => void download(format)}
              loading={exporting?.format === format}
              disabled={exporting !== null && exporting.format !== format}
            >
              {exporting?.format === format
                ? t(`reports.exporting.${exporting.status === 'queued' ? 'queued' : 'building'}`)
                : t(format === 'pdf' ? 'reports.downloadPdf' : 'reports.downloadXlsx')}
            </Button>
          ))
        : null}
      {forwarding ? <ForwardModal report={report} onClose={() => setForwarding(false)} /> : null}
      {returning ? (
        <Modal
          open
          title={t('reports.returnTitle', { unit: report.union_name })}
          onCancel={() => setReturning(false)}
          onOk={() => void doReturn()}
          okText={t('reports.return')}
          okButtonProps={{ danger: true, disabled: !comment.trim() }}
          confirmLoading={giveBack.isPending}
        >
          <Typography.Paragraph>{t('reports.returnHint')}</Typography.Paragraph>
          <Input.TextArea
            aria-label={t('reports.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={2000}
            autoSize={{ minRows: 3, maxRows: 8 }}
          />
        </Modal>
      ) : null}
    </Space>
  );
}

function SectionCard({
  report,
  section,
  editable,
  textEditable,
  onCorrect,
}: {
  report: Report;
  section: ReportSection;
  editable: boolean;
  textEditable: boolean;
  onCorrect: (row: ReportRow, cell: Cell) => void;
}) {
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  if (section.kind === 'text') return <TextSection report={report} section={section} editable={textEditable} />;
  if (section.kind === 'list') {
    return (
      <Card title={section.title} data-testid={`section-${section.key}`}>
        <Table
          rowKey={(_, i) => String(i)}
          size="small"
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          dataSource={section.items ?? []}
          scroll={{ x: 720 }}
          columns={[
            { title: t('reports.name'), dataIndex: 'label' },
            { title: t('reports.code'), dataIndex: 'code', width: 140 },
            { title: t('reports.unit'), dataIndex: 'union_name', width: 240 },
            { title: t('reports.day'), dataIndex: 'day', width: 110, render: (d: string | null) => formatDate(d) },
          ]}
        />
        {section.truncated ? (
          <Typography.Text type="secondary">{t('reports.truncated', { n: formatNumber(section.total ?? 0) })}</Typography.Text>
        ) : null}
      </Card>
    );
  }
  const columns = section.columns ?? [];
  return (
    <Card title={section.title} data-testid={`section-${section.key}`}>
      <Table<ReportRow>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={section.rows ?? []}
        scroll={{ x: 300 + columns.length * 160 }}
        columns={[
          { title: '', dataIndex: 'label', fixed: 'left', width: 280 },
          ...columns.map((c) => ({
            title: c.label,
            key: c.key,
            align: 'right' as const,
            render: (_: unknown, row: ReportRow) => {
              const cell = row.cells.find((x) => x.column === c.key);
              if (!cell || !cell.available) return <Typography.Text type="secondary">—</Typography.Text>;
              const shown = report.consolidated && cell.difference && Number(cell.difference) !== 0;
              return (
                <div data-testid={`cell-${cell.cell}`}>
                  <span className={cell.corrected ? 'cell-corrected' : undefined}>{formatFigure(cell.value, row.unit, locale)}</span>
                  {editable ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('reports.correctCell', { row: row.label, column: c.label })}
                      onClick={() => onCorrect(row, cell)}
                    />
                  ) : null}
                  {cell.corrected ? (
                    <div className="muted-small" title={cell.reason ?? ''}>
                      {t('reports.computedWas', { value: formatFigure(cell.computed_value, row.unit, locale) })}
                      {cell.reason ? ` · ${cell.reason}` : ''}
                    </div>
                  ) : null}
                  {shown ? (
                    <div className="muted-small">
                      {t('reports.liveDiff', {
                        live: formatFigure(cell.live_value, row.unit, locale),
                        diff: formatFigure(cell.difference, row.unit, locale),
                      })}
                    </div>
                  ) : null}
                </div>
              );
            },
          })),
        ]}
      />
    </Card>
  );
}

function TextSection({ report, section, editable }: { report: Report; section: ReportSection; editable: boolean }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const edit = useEditReport(report);
  const [text, setText] = useState(section.text ?? '');
  const save = async () => {
    try {
      await edit.mutateAsync({ texts: { [section.key]: text } });
      message.success(t('reports.textSaved'));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.errors?.[0]?.code ?? p.code, p.detail ?? p.code, p.errors?.[0]?.params ?? p.params));
    }
  };
  return (
    <Card title={section.title} data-testid={`section-${section.key}`}>
      {editable ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea aria-label={section.title} value={text} onChange={(e) => setText(e.target.value)} maxLength={10000} autoSize={{ minRows: 2, maxRows: 10 }} />
          <Button onClick={() => void save()} loading={edit.isPending} disabled={!text.trim() || text === (section.text ?? '')}>
            {t('common.save')}
          </Button>
        </Space>
      ) : (
        // The text as written: its line breaks shown.
        <Typography.Paragraph className="pre-line" data-testid={`text-${section.key}`}>
          {section.text || '—'}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

interface CorrectionValues {
  numerator: number;
  denominator?: number | null;
  reason: string;
}

function CorrectionModal({ report, row, cell, onClose }: { report: Report; row: ReportRow; cell: Cell; onClose: () => void }) {
  const { t, te, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const { message } = App.useApp();
  const [form] = Form.useForm<CorrectionValues>();
  const problem = useFormProblem(form, ['numerator', 'denominator', 'reason'], {
    'corrections.0.numerator': 'numerator',
    'corrections.0.denominator': 'denominator',
    'corrections.0.reason': 'reason',
  });
  const edit = useEditReport(report);
  const share = row.unit === 'share';
  const submit = async (v: CorrectionValues) => {
    problem.clear();
    try {
      await edit.mutateAsync({
        corrections: [
          { cell: cell.cell, numerator: v.numerator, denominator: share ? (v.denominator ?? null) : null, reason: v.reason.trim() },
        ],
      });
      message.success(t('reports.corrected'));
      onClose();
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Modal
      open
      title={t('reports.correctTitle', { row: row.label })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={edit.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('reports.computedValue', { value: formatFigure(cell.computed_value, row.unit, locale) })}
      </Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form<CorrectionValues>
        form={form}
        name="correction"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ numerator: cell.numerator ?? 0, denominator: cell.denominator, reason: cell.reason ?? '' }}
      >
        <Space wrap>
          <Form.Item name="numerator" label={share ? t('reports.numerator') : t('reports.value')} rules={[{ required: true, message: te('required', '') }]}>
            <InputNumber min={0} max={1_000_000_000} style={{ width: 180 }} />
          </Form.Item>
          {share ? (
            <Form.Item name="denominator" label={t('reports.denominator')}>
              <InputNumber min={0} max={1_000_000_000} style={{ width: 180 }} />
            </Form.Item>
          ) : null}
        </Space>
        <Form.Item name="reason" label={t('reports.reason')} extra={t('reports.reasonHint')} rules={[{ required: true, whitespace: true, message: te('required', '') }]}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
