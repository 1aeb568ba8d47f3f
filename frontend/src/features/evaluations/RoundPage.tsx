import { CheckCircleOutlined, DownloadOutlined, UnlockOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Descriptions, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { toApiError } from '../../api/problem';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { downloadFile } from '../../lib/download';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useAuth } from '../auth/context';
import { usePublishRound, useReopenRound, useRound, useScheme, type EvaluationStatus } from './api';
import { EvaluationTable } from './EvaluationTable';
import { STATUSES, STATUS_COLOR, statusLabel } from './labels';
import { asDefinition } from './rating';
import { ReasonModal } from './ReasonModal';
import { RoundImportModal } from './RoundImport';
import { RoundParts } from './RoundParts';

function MultiFilter(props: { label: string; value: string[]; onChange: (v: string[]) => void; options: { value: string; label: string }[] }) {
  return (
    <Select
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      style={{ minWidth: 240 }}
      placeholder={props.label}
      aria-label={props.label}
      value={props.value}
      onChange={props.onChange}
      options={props.options}
    />
  );
}

export default function RoundPage() {
  const { roundId } = useParams();
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const { data: round, isPending, isError, error, refetch } = useRound(roundId);
  const { data: scheme } = useScheme(round?.scheme_id);
  const publish = usePublishRound(roundId ?? '');
  const reopen = useReopenRound(roundId ?? '');
  const [reopening, setReopening] = useState(false);
  const [importing, setImporting] = useState(false);
  const [status, setStatus] = useState<EvaluationStatus[]>([]);
  const [level, setLevel] = useState<string[]>([]);
  const [page, setPage] = useState({ page: 1, size: 20 });

  if (isPending) return <LoadingState />;
  if (isError || !round) return <ErrorState error={error} onRetry={() => refetch()} />;
  const def = scheme ? asDefinition(scheme.definition) : undefined;
  const appraiser = can('evaluations:appraise');
  const rated = (round.counts.approved ?? 0) + (round.counts.published ?? 0);

  const doPublish = async () => {
    const ok = await confirm({ title: t('round.publishConfirm'), content: t('round.publishBody', { n: formatNumber(rated) }), okText: t('round.publish') });
    if (!ok) return;
    try {
      await publish.mutateAsync();
      message.success(t('round.published'));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || '', p.params));
    }
  };
  const doExport = async () => {
    try {
      await downloadFile(`/api/v1/evaluation-rounds/${round.id}/export.xlsx`, {}, `danh-gia-${round.year}.xlsx`);
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || '', p.params));
    }
  };

  return (
    <section aria-labelledby="round-title">
      <Breadcrumb
        items={[{ title: <Link to="/evaluations?tab=rounds">{t('evaluations.rounds')}</Link> }, { title: round.name }]}
        style={{ marginBottom: 8 }}
      />
      <div className="page-header">
        <Typography.Title level={2} id="round-title">
          {round.name}
        </Typography.Title>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void doExport()}>
            {t('round.export')}
          </Button>
          {appraiser && round.status === 'open' ? (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('round.import')}
            </Button>
          ) : null}
          {appraiser && round.status === 'open' ? (
            <Button type="primary" icon={<CheckCircleOutlined />} loading={publish.isPending} onClick={() => void doPublish()}>
              {t('round.publish')}
            </Button>
          ) : null}
          {appraiser && round.status === 'published' ? (
            <Button icon={<UnlockOutlined />} onClick={() => setReopening(true)}>
              {t('round.reopen')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('round.owner')}>{round.owner_union_name}</Descriptions.Item>
          <Descriptions.Item label={t('round.status')}>
            <Tag color={round.status === 'published' ? 'green' : 'blue'} data-testid="round-status">
              {t(`round.status.${round.status}`)}
            </Tag>
            {round.published_at ? t('round.publishedAt', { at: formatDateTime(round.published_at) }) : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('round.scheme')}>{scheme ? `${scheme.name} (${scheme.legal_basis})` : '…'}</Descriptions.Item>
          <Descriptions.Item label={t('round.period')}>
            {formatDate(round.period_start)} – {formatDate(round.period_end)}
          </Descriptions.Item>
          <Descriptions.Item label={t('round.selfDeadline')}>{formatDate(round.self_assessment_deadline) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('round.appraisalDeadline')}>{formatDate(round.appraisal_deadline) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('round.progress')} span={2}>
            <Space size={[4, 4]} wrap>
              {STATUSES.filter((s) => round.counts[s]).map((s) => (
                <Tag key={s} color={STATUS_COLOR[s]}>
                  {statusLabel(t, s)}: {formatNumber(round.counts[s])}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <RoundParts round={round} />
      <Card title={t('round.evaluations')}>
        <div className="filter-bar" role="search" aria-label={t('round.evaluations')}>
          <MultiFilter
            label={t('round.filterStatus')}
            value={status}
            onChange={(v) => {
              setStatus(v as EvaluationStatus[]);
              setPage((p) => ({ ...p, page: 1 }));
            }}
            options={STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
          />
          <MultiFilter
            label={t('round.filterLevel')}
            value={level}
            onChange={(v) => {
              setLevel(v);
              setPage((p) => ({ ...p, page: 1 }));
            }}
            options={(def?.levels ?? []).map((l) => ({ value: l.code, label: l.name }))}
          />
        </div>
        <EvaluationTable
          query={{ round_id: round.id, ...(status.length ? { status } : {}), ...(level.length ? { level } : {}), ...page }}
          onPage={(p, size) => setPage({ page: p, size })}
          empty={t('evaluations.queueEmpty')}
          testId="round-evaluations"
        />
      </Card>
      {importing ? <RoundImportModal round={round} onClose={() => setImporting(false)} /> : null}
      {reopening ? (
        <ReasonModal
          title={t('round.reopenTitle')}
          hint={t('round.reopenHint')}
          okText={t('round.reopen')}
          pending={reopen.isPending}
          onSubmit={async (reason) => {
            await reopen.mutateAsync(reason);
            message.success(t('round.reopened'));
          }}
          onClose={() => setReopening(false)}
        />
      ) : null}
    </section>
  );
}
