import dayjs from 'dayjs';
import { App, Button, DatePicker, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { DATE_FORMAT, formatDate, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import {
  useAddQualification,
  useCertificates,
  useCourseHistory,
  useDeleteQualification,
  useQualifications,
  type CertificateRead,
  type CourseHistoryRow,
  type QualificationRead,
} from './api';
import { LEVELS, QUALIFICATION_KINDS, kindLabel, levelLabel, participantStatusLabel, resultLabel } from './labels';

const todayIso = () => dayjs().format('YYYY-MM-DD');

const FIELDS = ['kind', 'level', 'major', 'issuer', 'certificate_no', 'issued_on', 'evidence'];

/** A member's qualification records and the current level of each kind (member page tab). */
export function QualificationsTab({ memberId, canWrite }: { memberId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, isPending, isError, error, refetch } = useQualifications(memberId);
  const remove = useDeleteQualification(memberId);
  const [adding, setAdding] = useState(false);
  if (isPending) return <LoadingState />;
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const columns: ColumnsType<QualificationRead> = [
    { key: 'kind', title: t('qualification.kind'), render: (_, q) => kindLabel(t, q.kind) },
    {
      key: 'level',
      title: t('qualification.level'),
      render: (_, q) => (
        <span>
          {levelLabel(q.level, q.kind)}
          {q.major ? <div className="muted-small">{q.major}</div> : null}
        </span>
      ),
    },
    { key: 'issuer', title: t('qualification.issuer'), render: (_, q) => q.issuer ?? '—' },
    { key: 'no', title: t('qualification.certificateNo'), render: (_, q) => q.certificate_no ?? '—' },
    { key: 'date', title: t('qualification.issuedOn'), render: (_, q) => formatDate(q.issued_on) || '—' },
    {
      key: 'evidence',
      title: t('qualification.evidence'),
      render: (_, q) => (
        <span>
          {t(`evidence.${q.evidence}` as MessageKey)}
          {q.counts ? null : (
            <div>
              <Tag color="orange">{t(q.issued_on && q.issued_on > todayIso() ? 'qualification.notYet' : 'qualification.notCounted')}</Tag>
            </div>
          )}
        </span>
      ),
    },
    {
      key: 'source',
      title: t('qualification.source'),
      render: (_, q) =>
        q.course_id ? <Link to={`/training/courses/${q.course_id}`}>{t('source.course')}</Link> : t(`source.${q.source}` as MessageKey),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: '',
            width: 80,
            render: (_: unknown, q: QualificationRead) => (
              <Popconfirm
                title={t('qualifications.deleteConfirm')}
                onConfirm={() => remove.mutateAsync(q).then(() => message.success(t('qualifications.deleted')))}
              >
                <Button size="small" danger>
                  {t('qualifications.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <div data-testid="qualifications">
      <Typography.Title level={4}>{t('qualifications.current')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }} data-testid="current-levels">
        {data.current.length
          ? data.current.map((c) => (
              <Tag key={c.kind} color="blue">
                {kindLabel(t, c.kind)}: {levelLabel(c.level, c.kind)}
              </Tag>
            ))
          : t('qualifications.none')}
      </Space>
      <div className="page-header">
        <Typography.Title level={4}>{t('qualifications.records')}</Typography.Title>
        {canWrite ? <Button onClick={() => setAdding((v) => !v)}>{t('qualifications.add')}</Button> : null}
      </div>
      {adding ? <AddForm memberId={memberId} onDone={() => setAdding(false)} /> : null}
      <Table<QualificationRead> rowKey="id" size="small" columns={columns} dataSource={data.records} pagination={false} scroll={{ x: 900 }} />
      <Certificates memberId={memberId} />
      <CourseHistory memberId={memberId} />
    </div>
  );
}

/** The certificates the person received from courses: course, number, date, issuer. */
function Certificates({ memberId }: { memberId: string }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useCertificates(memberId);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const columns: ColumnsType<CertificateRead> = [
    {
      key: 'course',
      title: t('certificate.course'),
      render: (_, c) => (
        <span>
          <Link to={`/training/courses/${c.course_id}`}>{c.course_title}</Link>
          <div className="muted-small">{c.course_kind_name}</div>
        </span>
      ),
    },
    { key: 'no', title: t('certificate.no'), render: (_, c) => c.certificate_no },
    { key: 'date', title: t('certificate.date'), render: (_, c) => formatDate(c.certificate_date) || '—' },
    { key: 'issuer', title: t('certificate.issuer'), render: (_, c) => c.issuer },
  ];
  return (
    <div data-testid="certificates" style={{ marginTop: 24 }}>
      <Typography.Title level={4}>{t('certificates.title')}</Typography.Title>
      <Table<CertificateRead>
        rowKey="participant_id"
        size="small"
        loading={isPending}
        columns={columns}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: t('certificates.none') }}
        scroll={{ x: 700 }}
      />
    </div>
  );
}

/** The person's training history: every course they were on (nominated, on the roster,
 * declined or withdrawn), with dates and result, newest first. */
function CourseHistory({ memberId }: { memberId: string }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useCourseHistory(memberId);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const columns: ColumnsType<CourseHistoryRow> = [
    {
      key: 'course',
      title: t('certificate.course'),
      render: (_, c) => (
        <span>
          <Link to={`/training/courses/${c.course_id}`}>{c.title}</Link>
          <div className="muted-small">{c.kind_name}</div>
        </span>
      ),
    },
    { key: 'dates', title: t('course.dates'), render: (_, c) => `${formatDate(c.starts_on)} – ${formatDate(c.ends_on)}` },
    { key: 'status', title: t('history.status'), render: (_, c) => participantStatusLabel(t, c.status) },
    { key: 'result', title: t('history.result'), render: (_, c) => resultLabel(t, c.result ?? 'none') },
  ];
  return (
    <div data-testid="course-history" style={{ marginTop: 24 }}>
      <Typography.Title level={4}>{t('history.title')}</Typography.Title>
      <Table<CourseHistoryRow>
        rowKey="course_id"
        size="small"
        loading={isPending}
        columns={columns}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: t('history.none') }}
        scroll={{ x: 700 }}
      />
    </div>
  );
}

interface QualForm {
  kind: QualificationRead['kind'];
  level: string;
  major?: string;
  issuer?: string;
  certificate_no?: string;
  issued_on?: Parameters<typeof toApiDate>[0];
  evidence: QualificationRead['evidence'];
}

function AddForm({ memberId, onDone }: { memberId: string; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<QualForm>();
  const problem = useFormProblem(form, FIELDS);
  const add = useAddQualification(memberId);
  const kind = Form.useWatch('kind', form);
  const submit = async (v: QualForm) => {
    try {
      await add.mutateAsync({
        kind: v.kind,
        level: v.level,
        major: v.major || null,
        issuer: v.issuer || null,
        certificate_no: v.certificate_no || null,
        issued_on: toApiDate(v.issued_on) ?? null,
        evidence: v.evidence,
      });
      message.success(t('qualifications.added'));
      onDone();
    } catch (e) {
      const mapped = problem.show(e);
      if (mapped.general.length) message.error(mapped.general.join(' '));
    }
  };
  return (
    <Form<QualForm> form={form} layout="inline" onFinish={(v) => void submit(v)} initialValues={{ evidence: 'diploma' }} style={{ marginBottom: 16, rowGap: 8 }}>
      <Form.Item name="kind" label={t('qualification.kind')} rules={[{ required: true }]}>
        <Select style={{ width: 200 }} options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} onChange={() => form.setFieldValue('level', undefined)} />
      </Form.Item>
      <Form.Item name="level" label={t('qualification.level')} rules={[{ required: true }]}>
        <Select style={{ width: 160 }} options={(LEVELS[kind ?? ''] ?? []).map((l) => ({ value: l, label: levelLabel(l, kind) }))} />
      </Form.Item>
      <Form.Item name="major" label={t('qualification.major')}>
        <Input maxLength={255} />
      </Form.Item>
      <Form.Item name="issuer" label={t('qualification.issuer')}>
        <Input maxLength={255} />
      </Form.Item>
      <Form.Item name="certificate_no" label={t('qualification.certificateNo')}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="issued_on" label={t('qualification.issuedOn')}>
        <DatePicker format={DATE_FORMAT} />
      </Form.Item>
      <Form.Item name="evidence" label={t('qualification.evidence')}>
        <Select
          style={{ width: 220 }}
          options={[
            { value: 'diploma', label: t('evidence.diploma') },
            { value: 'confirmation', label: t('evidence.confirmation') },
          ]}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={add.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
