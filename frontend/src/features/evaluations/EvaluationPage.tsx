import { CheckOutlined, RollbackOutlined, SaveOutlined, SendOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Checkbox, Col, Descriptions, Input, InputNumber, Row, Space, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { toApiError } from '../../api/problem';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { sectorLabel } from '../unions/labels';
import {
  useEvaluation,
  useEvaluationHistory,
  useEvidence,
  useEvidenceChange,
  useEvaluationStep,
  useRound,
  useScheme,
  type EvaluationAction,
  type EvaluationDetail,
  type EvaluationUpdate,
  type EvidenceRead,
  type RoundRead,
  type Suggestion,
} from './api';
import { STATUS_COLOR, actionLabel, formatPoints, ineligibleLabel, statusLabel, variantLabel } from './labels';
import { answerable, asDefinition, fromSheet, groupMax, levelName, rateSheet, toSheet, variantOf, type SchemeDefinition, type Sheet, type Variant } from './rating';
import { EvidenceCell } from './Evidence';
import { ReasonModal } from './ReasonModal';

interface Row {
  key: string;
  group?: { code: string; name: string; max: number };
  indicator?: { code: string; name: string; max: number };
}

/** The notes as the API takes them: the changed ones, a cleared note as null. */
function notesToSave(notes: Record<string, string>, saved: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const code of new Set([...Object.keys(notes), ...Object.keys(saved)])) {
    const text = (notes[code] ?? '').trim();
    if (text !== (saved[code] ?? '')) out[code] = text || null;
  }
  return out;
}

type Translate = ReturnType<typeof useI18n>['t'];

/** What a reading of the records is made of, in words (members of workers, admissions, foundings). */
function readingText(t: Translate, source: string, facts: Suggestion['facts']): string {
  const n = (k: string) => formatNumber(Number(facts[k] ?? 0));
  const d = (k: string) => formatDate(String(facts[k] ?? ''));
  if (source === 'membership_coverage') {
    return facts.workers != null
      ? t('evaluation.factsCoverage', { members: n('members'), workers: n('workers'), date: d('surveyed_on') })
      : t('evaluation.factsNoSurvey', { members: n('members'), date: d('on') });
  }
  return t(source === 'unions_founded' ? 'evaluation.factsFounded' : 'evaluation.factsAdmitted', { n: n('count'), from: d('from'), to: d('to') });
}

function RatingLine({ def, variant, scores, flags, testId }: { def: SchemeDefinition; variant: Variant; scores: Sheet; flags: Record<string, boolean>; testId: string }) {
  const { t } = useI18n();
  const r = rateSheet(def, variant, scores, flags);
  const missing = variant.groups.flatMap((g) => g.indicators).filter((i) => scores[i.code] == null).length;
  const capped = Object.keys(r.caps).map((c) => def.conditions?.find((x) => x.code === c)?.name ?? c);
  return (
    <div data-testid={testId}>
      <Space wrap size="large">
        <Typography.Text strong>{t('evaluation.runningTotal', { total: formatPoints(r.total), max: formatPoints(Number(def.max_points)) })}</Typography.Text>
        <Typography.Text>
          {t('evaluation.wouldGive', { level: levelName(def, r.level) })}{' '}
          {def.strong_levels.includes(r.level) ? <Tag color="green">{t('evaluation.strong')}</Tag> : null}
        </Typography.Text>
      </Space>
      {capped.length ? <div><Typography.Text type="warning">{t('evaluation.capped', { names: capped.join('; ') })}</Typography.Text></div> : null}
      {missing ? <div><Typography.Text type="secondary">{t('evaluation.incomplete', { n: missing })}</Typography.Text></div> : null}
    </div>
  );
}

function Sheet({ evaluation, round, def, variant }: { evaluation: EvaluationDetail; round: RoundRead; def: SchemeDefinition; variant: Variant }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const step = useEvaluationStep(evaluation);
  const open = round.status === 'open';
  const selfEdit = open && evaluation.may_self_assess && (evaluation.status === 'draft' || evaluation.status === 'returned');
  const appraise = open && evaluation.may_appraise && evaluation.status === 'submitted';
  const mayReopen = open && evaluation.may_appraise && evaluation.status === 'approved';
  const [selfScores, setSelfScores] = useState<Sheet>(() => toSheet(evaluation.self_scores));
  const [selfFlags, setSelfFlags] = useState<Record<string, boolean>>(() => ({ ...evaluation.self_flags }));
  const [selfNote, setSelfNote] = useState(evaluation.self_note ?? '');
  const [apprScores, setApprScores] = useState<Sheet>(() => toSheet(evaluation.appraisal_scores));
  const [apprFlags, setApprFlags] = useState<Record<string, boolean>>(() => ({ ...evaluation.self_flags, ...evaluation.appraisal_flags }));
  const [apprNote, setApprNote] = useState(evaluation.appraisal_note ?? '');
  const [selfNotes, setSelfNotes] = useState<Record<string, string>>(() => ({ ...evaluation.self_notes }));
  const [apprNotes, setApprNotes] = useState<Record<string, string>>(() => ({ ...evaluation.appraisal_notes }));
  const [reasonFor, setReasonFor] = useState<'return' | 'reopen' | null>(null);
  const { data: evidence } = useEvidence(evaluation.id);
  const evidenceChange = useEvidenceChange(evaluation.id);
  const evidenceOf = useMemo(() => {
    const out = new Map<string, EvidenceRead[]>();
    for (const f of evidence ?? []) out.set(f.indicator, [...(out.get(f.indicator) ?? []), f]);
    return out;
  }, [evidence]);
  const showAppraisal = appraise || Object.keys(evaluation.appraisal_scores).length > 0 || ['approved', 'published'].includes(evaluation.status);
  const suggestions = new Map(evaluation.suggestions.map((s) => [s.indicator, s]));
  const flagConditions = (def.conditions ?? []).filter(answerable);
  const answers = new Map(evaluation.condition_answers.map((a) => [a.condition, a]));
  // Where the records answer a condition, their answer takes the place of the one entered.
  const dataFlags: Record<string, boolean> = Object.fromEntries(evaluation.condition_answers.flatMap((a) => (a.holds == null ? [] : [[a.condition, a.holds]])));

  const rows: Row[] = variant.groups.flatMap((g) => [
    { key: `g-${g.code}`, group: { code: g.code, name: g.name, max: groupMax(g) } },
    ...g.indicators.map((i) => ({ key: i.code, indicator: { code: i.code, name: i.name, max: Number(i.max_points) } })),
  ]);
  const selfRated = { ...selfFlags, ...dataFlags };
  const apprRated = { ...apprFlags, ...dataFlags };
  const selfRating = rateSheet(def, variant, selfScores, selfRated);
  const apprRating = rateSheet(def, variant, apprScores, apprRated);

  const selfSave = (): EvaluationUpdate => ({
    self_scores: fromSheet(selfScores),
    self_flags: selfFlags,
    self_note: selfNote.trim() || null,
    self_notes: notesToSave(selfNotes, evaluation.self_notes),
  });
  const apprSave = (): EvaluationUpdate => ({
    appraisal_scores: fromSheet(apprScores),
    appraisal_notes: notesToSave(apprNotes, evaluation.appraisal_notes),
    appraisal_flags: Object.fromEntries(flagConditions.map((c) => [c.code, Boolean(apprFlags[c.code])])),
    appraisal_note: apprNote.trim() || null,
  });
  const run = async (args: { save?: EvaluationUpdate; action?: EvaluationAction; text?: string }, done: string) => {
    try {
      await step.mutateAsync(args);
      message.success(done);
    } catch (e) {
      const p = toApiError(e).problem;
      const detail = p.errors?.length ? p.errors.map((x) => te(x.code, x.message ?? '', x.params)).join(' ') : te(p.code, p.detail || '', p.params);
      message.error(detail);
      throw e;
    }
  };
  const submit = async () => {
    const ok = await confirm({
      title: t('evaluation.submitConfirm'),
      content: t('evaluation.submitBody', { total: formatPoints(selfRating.total), level: levelName(def, selfRating.level) }),
      okText: t('evaluation.submit'),
    });
    if (ok) await run({ save: selfSave(), action: 'submit' }, t('evaluation.submitted')).catch(() => {});
  };
  const approve = async () => {
    const ok = await confirm({
      title: t('evaluation.approveConfirm'),
      content: t('evaluation.approveBody', { total: formatPoints(apprRating.total), level: levelName(def, apprRating.level) }),
      okText: t('evaluation.approve'),
    });
    if (ok) await run({ save: apprSave(), action: 'approve', text: apprNote.trim() }, t('evaluation.approved')).catch(() => {});
  };

  const pointsInput = (side: 'self' | 'appraisal', code: string, max: number) => {
    const [scores, set] = side === 'self' ? [selfScores, setSelfScores] : [apprScores, setApprScores];
    return (
      <InputNumber
        min={0}
        max={max}
        step={0.5}
        precision={2}
        decimalSeparator=","
        style={{ width: 110 }}
        aria-label={`${t(side === 'self' ? 'evaluation.selfPoints' : 'evaluation.appraisalPoints')} ${code}`}
        value={scores[code] ?? null}
        onChange={(v) => set((s) => ({ ...s, [code]: v ?? null }))}
      />
    );
  };

  const noteCell = (side: 'self' | 'appraisal', r: Row, editing: boolean) => {
    if (!r.indicator) return null;
    const [notes, set] = side === 'self' ? [selfNotes, setSelfNotes] : [apprNotes, setApprNotes];
    const code = r.indicator.code;
    if (!editing) return <Typography.Text type="secondary">{notes[code] ?? ''}</Typography.Text>;
    return (
      <Input
        size="small"
        maxLength={500}
        aria-label={`${t(side === 'self' ? 'evaluation.indicatorNote' : 'evaluation.indicatorComment')} ${code}`}
        value={notes[code] ?? ''}
        onChange={(e) => set((n) => ({ ...n, [code]: e.target.value }))}
      />
    );
  };
  const columns: ColumnsType<Row> = [
    {
      key: 'indicator',
      title: t('evaluation.indicator'),
      render: (_, r) =>
        r.group ? (
          <Typography.Text strong>
            {r.group.code}. {r.group.name}
          </Typography.Text>
        ) : (
          <span>
            <Typography.Text type="secondary">{r.indicator!.code}</Typography.Text> {r.indicator!.name}
          </span>
        ),
    },
    { key: 'max', title: t('evaluation.maxPoints'), width: 100, align: 'right', render: (_, r) => formatPoints(r.group?.max ?? r.indicator!.max) },
    {
      key: 'suggested',
      title: t('evaluation.suggested'),
      width: 150,
      render: (_, r) => {
        const s = r.indicator && suggestions.get(r.indicator.code);
        if (!s) return null;
        return (
          <Space size={4}>
            <Tooltip title={readingText(t, s.source, s.facts)}>
              <Typography.Text data-testid={`suggested-${s.indicator}`}>{s.suggested_points != null ? formatPoints(s.suggested_points) : t('evaluation.noData')}</Typography.Text>
            </Tooltip>
            {selfEdit && s.suggested_points != null ? (
              <Button size="small" type="link" onClick={() => setSelfScores((x) => ({ ...x, [s.indicator]: Number(s.suggested_points) }))}>
                {t('evaluation.useSuggested')}
              </Button>
            ) : null}
          </Space>
        );
      },
    },
    {
      key: 'self',
      title: t('evaluation.selfPoints'),
      width: 140,
      align: 'right',
      render: (_, r) =>
        r.group ? (
          <Typography.Text strong>{formatPoints(selfRating.groups[r.group.code])}</Typography.Text>
        ) : selfEdit ? (
          pointsInput('self', r.indicator!.code, r.indicator!.max)
        ) : (
          formatPoints(selfScores[r.indicator!.code])
        ),
    },
    { key: 'selfNotes', title: t('evaluation.indicatorNote'), width: 220, render: (_, r) => noteCell('self', r, selfEdit) },
    {
      key: 'evidence',
      title: t('evaluation.evidence'),
      width: 220,
      render: (_, r) =>
        r.indicator ? <EvidenceCell code={r.indicator.code} files={evidenceOf.get(r.indicator.code) ?? []} editable={selfEdit} change={evidenceChange} /> : null,
    },
    ...(showAppraisal
      ? [
          {
            key: 'appraisal',
            title: t('evaluation.appraisalPoints'),
            width: 140,
            align: 'right' as const,
            render: (_: unknown, r: Row) =>
              r.group ? (
                <Typography.Text strong>{formatPoints(apprRating.groups[r.group.code])}</Typography.Text>
              ) : appraise ? (
                pointsInput('appraisal', r.indicator!.code, r.indicator!.max)
              ) : (
                formatPoints(apprScores[r.indicator!.code])
              ),
          },
          { key: 'apprNotes', title: t('evaluation.indicatorComment'), width: 220, render: (_: unknown, r: Row) => noteCell('appraisal', r, appraise) },
        ]
      : []),
  ];

  return (
    <>
      <Card title={variantLabel(t, variant.applies_to) || variant.name} style={{ marginBottom: 16 }}>
        <Table<Row>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={columns}
          rowClassName={(r) => (r.group ? 'table-group-row' : '')}
          scroll={{ x: 1420 }}
          data-testid="score-sheet"
        />
        {flagConditions.length || def.conditions?.length ? (
          <div style={{ marginTop: 16 }}>
            <Typography.Title level={5}>{t('evaluation.conditions')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('evaluation.conditionsHint')}</Typography.Paragraph>
            {(def.conditions ?? []).map((c) => {
              const answer = answers.get(c.code);
              const fromData = answer?.holds != null;
              return (
                <div key={c.code} style={{ marginBottom: 4 }} data-testid={`condition-${c.code}`}>
                  {answerable(c) ? (
                    <Space wrap>
                      {fromData ? (
                        <Tooltip title={readingText(t, answer.source, answer.facts)}>
                          <Tag color={answer.holds ? 'orange' : 'green'}>{t(answer.holds ? 'evaluation.dataHolds' : 'evaluation.dataNotHolds')}</Tag>
                        </Tooltip>
                      ) : (
                        <>
                          <Checkbox checked={Boolean(selfFlags[c.code])} disabled={!selfEdit} onChange={(e) => setSelfFlags((f) => ({ ...f, [c.code]: e.target.checked }))}>
                            {t('evaluation.selfSide')}
                          </Checkbox>
                          {showAppraisal ? (
                            <Checkbox checked={Boolean(apprFlags[c.code])} disabled={!appraise} onChange={(e) => setApprFlags((f) => ({ ...f, [c.code]: e.target.checked }))}>
                              {t('evaluation.appraisalSide')}
                            </Checkbox>
                          ) : null}
                        </>
                      )}
                      <span>{c.name}</span>
                    </Space>
                  ) : (
                    <span>• {c.name}</span>
                  )}{' '}
                  <Typography.Text type="secondary">({t('evaluation.capAt', { level: levelName(def, c.cap_level) })})</Typography.Text>
                  {answer && !fromData ? (
                    <div>
                      <Typography.Text type="secondary">{t('evaluation.dataCannotSay', { facts: readingText(t, answer.source, answer.facts) })}</Typography.Text>
                    </div>
                  ) : null}
                </div>
              );
            })}
          </div>
        ) : null}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={showAppraisal ? 12 : 24}>
          <Card title={t('evaluation.selfSide')} style={{ marginBottom: 16 }}>
            <RatingLine def={def} variant={variant} scores={selfScores} flags={selfRated} testId="self-total" />
            <div style={{ marginTop: 12 }}>
              <label htmlFor="self-note">{t('evaluation.selfNote')}</label>
              <Input.TextArea id="self-note" rows={3} maxLength={2000} value={selfNote} disabled={!selfEdit} onChange={(e) => setSelfNote(e.target.value)} />
            </div>
            {selfEdit ? (
              <Space style={{ marginTop: 12 }} wrap>
                <Button icon={<SaveOutlined />} loading={step.isPending} onClick={() => void run({ save: selfSave() }, t('evaluation.draftSaved')).catch(() => {})}>
                  {t('evaluation.saveDraft')}
                </Button>
                <Button type="primary" icon={<SendOutlined />} loading={step.isPending} onClick={() => void submit()}>
                  {t('evaluation.submit')}
                </Button>
              </Space>
            ) : null}
          </Card>
        </Col>
        {showAppraisal ? (
          <Col xs={24} lg={12}>
            <Card title={t('evaluation.appraisalSide')} style={{ marginBottom: 16 }}>
              <RatingLine def={def} variant={variant} scores={apprScores} flags={apprRated} testId="appraisal-total" />
              <div style={{ marginTop: 12 }}>
                <label htmlFor="appraisal-note">{t('evaluation.appraisalNote')}</label>
                <Input.TextArea id="appraisal-note" rows={3} maxLength={2000} value={apprNote} disabled={!appraise} onChange={(e) => setApprNote(e.target.value)} />
              </div>
              {appraise ? (
                <Space style={{ marginTop: 12 }} wrap>
                  <Button onClick={() => setApprScores({ ...selfScores })}>{t('evaluation.copySelf')}</Button>
                  <Button icon={<SaveOutlined />} loading={step.isPending} onClick={() => void run({ save: apprSave() }, t('common.saved')).catch(() => {})}>
                    {t('evaluation.saveAppraisal')}
                  </Button>
                  <Button danger icon={<RollbackOutlined />} onClick={() => setReasonFor('return')}>
                    {t('evaluation.return')}
                  </Button>
                  <Button type="primary" icon={<CheckOutlined />} loading={step.isPending} onClick={() => void approve()}>
                    {t('evaluation.approve')}
                  </Button>
                </Space>
              ) : null}
              {mayReopen ? (
                <Button style={{ marginTop: 12 }} icon={<UndoOutlined />} onClick={() => setReasonFor('reopen')}>
                  {t('evaluation.reopen')}
                </Button>
              ) : null}
            </Card>
          </Col>
        ) : null}
      </Row>
      {reasonFor ? (
        <ReasonModal
          title={t(reasonFor === 'return' ? 'evaluation.returnTitle' : 'evaluation.reopenTitle')}
          hint={t(reasonFor === 'return' ? 'evaluation.returnHint' : 'round.reopenHint')}
          okText={t(reasonFor === 'return' ? 'evaluation.return' : 'evaluation.reopen')}
          danger={reasonFor === 'return'}
          pending={step.isPending}
          onSubmit={async (reason) => {
            await step.mutateAsync({ save: reasonFor === 'return' ? apprSave() : undefined, action: reasonFor, text: reason });
            message.success(t(reasonFor === 'return' ? 'evaluation.returnedDone' : 'evaluation.reopenedDone'));
          }}
          onClose={() => setReasonFor(null)}
        />
      ) : null}
    </>
  );
}

function History({ id }: { id: string }) {
  const { t } = useI18n();
  const { data } = useEvaluationHistory(id);
  if (!data?.length) return null;
  return (
    <Card title={t('evaluation.history')}>
      <Timeline
        items={[...data].reverse().map((e) => ({
          key: e.id,
          color: e.action === 'returned' ? 'orange' : e.action === 'approved' || e.action === 'published' ? 'green' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{actionLabel(t, e.action)}</Typography.Text> <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text>
              {e.note ? <div>{e.note}</div> : null}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** A deadline in force for the unit; when a union above set an earlier one than the round's, says so. */
function Deadline({ due, round, late, testId }: { due: string | null; round: string | null | undefined; late: boolean; testId: string }) {
  const { t } = useI18n();
  return (
    <span data-testid={testId}>
      {formatDate(due) || '—'}
      {late ? (
        <Tag color="error" style={{ marginLeft: 6 }}>
          {t('evaluation.lateTag')}
        </Tag>
      ) : null}
      {due && round && due !== round ? (
        <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
          ({t('evaluation.earlierThanRound', { date: formatDate(round) })})
        </Typography.Text>
      ) : null}
    </span>
  );
}

export default function EvaluationPage() {
  const { evaluationId } = useParams();
  const { t } = useI18n();
  const { data: evaluation, isPending, isError, error, refetch } = useEvaluation(evaluationId);
  const { data: round } = useRound(evaluation?.round_id);
  const { data: scheme } = useScheme(round?.scheme_id);
  const { data: history } = useEvaluationHistory(evaluationId ?? '');
  const def = useMemo(() => (scheme ? asDefinition(scheme.definition) : undefined), [scheme]);
  if (isPending) return <LoadingState />;
  if (isError || !evaluation) return <ErrorState error={error} onRetry={() => refetch()} />;
  const variant = def ? variantOf(def, evaluation.variant) : undefined;
  const lastReturn = evaluation.status === 'returned' ? [...(history ?? [])].reverse().find((e) => e.action === 'returned') : undefined;
  return (
    <section aria-labelledby="evaluation-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/evaluations">{t('nav.evaluations')}</Link> },
          ...(round ? [{ title: <Link to={`/evaluations/rounds/${round.id}`}>{round.name}</Link> }] : []),
          { title: evaluation.union_name },
        ]}
      />
      <div className="page-header">
        <Typography.Title level={2} id="evaluation-title">
          {evaluation.union_name} · {evaluation.year}
        </Typography.Title>
        <Tag color={STATUS_COLOR[evaluation.status]} data-testid="evaluation-status" style={{ fontSize: 14, padding: '2px 10px' }}>
          {statusLabel(t, evaluation.status)}
        </Tag>
      </div>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('evaluation.unit')}>
            <Link to={`/unions/${evaluation.union_id}`}>{evaluation.union_name}</Link> ({evaluation.union_code})
          </Descriptions.Item>
          <Descriptions.Item label={t('evaluation.sector')}>{sectorLabel(t, evaluation.sector)}</Descriptions.Item>
          <Descriptions.Item label={t('evaluation.level')}>
            {evaluation.level ? `${levelName(def, evaluation.level)} (${formatPoints(evaluation.total_points)})` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('round.selfDeadline')}>
            <Deadline
              due={evaluation.self_assessment_deadline}
              round={round?.self_assessment_deadline}
              late={evaluation.overdue && (evaluation.status === 'draft' || evaluation.status === 'returned')}
              testId="self-deadline"
            />
          </Descriptions.Item>
          <Descriptions.Item label={t('round.appraisalDeadline')}>
            <Deadline due={evaluation.appraisal_deadline} round={round?.appraisal_deadline} late={evaluation.overdue && evaluation.status === 'submitted'} testId="appraisal-deadline" />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {lastReturn?.note ? <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('evaluation.returnedBanner', { reason: lastReturn.note })} /> : null}
      {evaluation.status === 'ineligible' ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('evaluation.ineligible', { reason: ineligibleLabel(t, evaluation.ineligible_reason) })} />
      ) : null}
      {def && variant && round ? <Sheet key={evaluation.version} evaluation={evaluation} round={round} def={def} variant={variant} /> : evaluation.status !== 'ineligible' ? <LoadingState /> : null}
      <History id={evaluation.id} />
    </section>
  );
}
