import { CheckCircleOutlined, SaveOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatDateTime, formatNumber, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { usePartActions, useRoundParts, type PartRead, type RoundRead } from './api';
import { STATUSES, STATUS_COLOR, statusLabel } from './labels';
import { ReasonModal } from './ReasonModal';

const day = (v: string | null | undefined) => (v ? dayjs(v) : null);

/** One part the caller runs: its own deadlines (none later than the round's), publish, reopen. */
function PartControls({ round, part }: { round: RoundRead; part: PartRead }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const actions = usePartActions(round.id, part.union_id);
  const [selfDeadline, setSelfDeadline] = useState<Dayjs | null>(day(part.self_assessment_deadline));
  const [appraisalDeadline, setAppraisalDeadline] = useState<Dayjs | null>(day(part.appraisal_deadline));
  const [reopening, setReopening] = useState(false);
  const fail = (e: unknown) => {
    const p = toApiError(e).problem;
    message.error(p.errors?.length ? p.errors.map((x) => te(x.code, x.message ?? '', x.params)).join(' ') : te(p.code, p.detail || '', p.params));
  };
  const save = async () => {
    try {
      await actions.set.mutateAsync({
        self_assessment_deadline: toApiDate(selfDeadline) ?? null,
        appraisal_deadline: toApiDate(appraisalDeadline) ?? null,
      });
      message.success(t('part.saved'));
    } catch (e) {
      fail(e);
    }
  };
  const publish = async () => {
    const done = (part.counts.approved ?? 0) + (part.counts.published ?? 0);
    const ok = await confirm({ title: t('part.publishConfirm', { union: part.union_name }), content: t('round.publishBody', { n: formatNumber(done) }), okText: t('part.publish') });
    if (!ok) return;
    try {
      await actions.publish.mutateAsync();
      message.success(t('part.published'));
    } catch (e) {
      fail(e);
    }
  };
  const published = Boolean(part.published_at);
  return (
    <Space wrap align="end" data-testid={`part-controls-${part.union_id}`}>
      <div>
        <label htmlFor={`part-self-${part.union_id}`}>{t('round.selfDeadline')}</label>
        <br />
        <DatePicker id={`part-self-${part.union_id}`} format={DATE_FORMAT} value={selfDeadline} onChange={setSelfDeadline} />
      </div>
      <div>
        <label htmlFor={`part-appraisal-${part.union_id}`}>{t('round.appraisalDeadline')}</label>
        <br />
        <DatePicker id={`part-appraisal-${part.union_id}`} format={DATE_FORMAT} value={appraisalDeadline} onChange={setAppraisalDeadline} />
      </div>
      <Button icon={<SaveOutlined />} loading={actions.set.isPending} onClick={() => void save()}>
        {t('part.saveDeadlines')}
      </Button>
      {published ? (
        <Button icon={<UnlockOutlined />} onClick={() => setReopening(true)}>
          {t('part.reopen')}
        </Button>
      ) : (
        <Button type="primary" icon={<CheckCircleOutlined />} disabled={actions.publish.isPending} onClick={() => void publish()}>
          {t('part.publish')}
        </Button>
      )}
      {reopening ? (
        <ReasonModal
          title={t('part.reopenTitle')}
          hint={t('round.reopenHint')}
          okText={t('part.reopen')}
          pending={actions.reopen.isPending}
          onSubmit={async (reason) => {
            await actions.reopen.mutateAsync(reason);
            message.success(t('part.reopened'));
          }}
          onClose={() => setReopening(false)}
        />
      ) : null}
    </Space>
  );
}

/**
 * The parts lower unions run of a round opened above them: each district's own deadlines and
 * whether it has published its units' results; the caller's own part with its controls.
 */
export function RoundParts({ round }: { round: RoundRead }) {
  const { t } = useI18n();
  const { data: parts } = useRoundParts(round.id);
  if (!parts?.length) return null;
  const columns: ColumnsType<PartRead> = [
    { key: 'union', title: t('part.union'), render: (_, p) => p.union_name },
    { key: 'self', title: t('round.selfDeadline'), width: 140, render: (_, p) => formatDate(p.self_assessment_deadline ?? round.self_assessment_deadline) || '—' },
    { key: 'appraisal', title: t('round.appraisalDeadline'), width: 140, render: (_, p) => formatDate(p.appraisal_deadline ?? round.appraisal_deadline) || '—' },
    {
      key: 'progress',
      title: t('round.progress'),
      render: (_, p) => (
        <Space size={[4, 4]} wrap>
          {STATUSES.filter((s) => p.counts[s]).map((s) => (
            <Tag key={s} color={STATUS_COLOR[s]}>
              {statusLabel(t, s)}: {formatNumber(p.counts[s])}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      key: 'published',
      title: t('part.publishedCol'),
      width: 170,
      render: (_, p) => (p.published_at ? <Tag color="green">{formatDateTime(p.published_at)}</Tag> : <Typography.Text type="secondary">{t('part.notPublished')}</Typography.Text>),
    },
  ];
  return (
    <Card title={t('part.title')} style={{ marginBottom: 16 }} data-testid="round-parts">
      <Typography.Paragraph type="secondary">{t('part.intro')}</Typography.Paragraph>
      <Table<PartRead>
        rowKey="union_id"
        size="small"
        pagination={false}
        dataSource={parts}
        columns={columns}
        expandable={{
          expandedRowRender: (p) => <PartControls round={round} part={p} />,
          rowExpandable: (p) => p.may_run,
          defaultExpandAllRows: true,
        }}
      />
    </Card>
  );
}
