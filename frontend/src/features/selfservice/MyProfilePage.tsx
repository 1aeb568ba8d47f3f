import { App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ErrorState, LoadingState } from '../../components/states';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, fromApiDate, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import type { MemberRead } from '../members/api';
import { useMyChangeRequests, useMyHistory, useMyMember, useMyTraining, useUpdateMyMember } from './api';
import type { Dayjs } from 'dayjs';
import { STATUS_COLOR, type StatusKey } from './status';
import { kindLabel, levelLabel, participantStatusLabel, resultLabel } from '../training/labels';

const CONTACT = ['phone', 'email', 'commune_code'] as const;
const IDENTITY = ['full_name', 'date_of_birth', 'gender', 'ethnicity', 'personal_id', 'passport_no', 'note'] as const;

function ContactForm({ member }: { member: MemberRead }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const problem = useFormProblem(form, CONTACT);
  const update = useUpdateMyMember();
  const submit = async (v: Record<string, string | undefined>) => {
    problem.clear();
    try {
      await update.mutateAsync({ phone: v.phone || null, email: v.email || null, commune_code: v.commune_code || null });
      message.success(t('me.contactSaved'));
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Card title={t('me.contact')} size="small">
      <Typography.Paragraph type="secondary">{t('me.contactHint')}</Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ phone: member.phone, email: member.email, commune_code: member.commune_code }} aria-label={t('me.contact')}>
        <Form.Item label={t('member.phone')} name="phone"><Input autoComplete="tel" /></Form.Item>
        <Form.Item label={t('member.email')} name="email"><Input autoComplete="email" /></Form.Item>
        <Form.Item label={t('member.communeCode')} name="commune_code"><Input maxLength={5} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={update.isPending}>{t('common.save')}</Button>
      </Form>
    </Card>
  );
}

function IdentityForm({ member }: { member: MemberRead }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const problem = useFormProblem(form, IDENTITY);
  const update = useUpdateMyMember();
  const submit = async (v: Record<string, string | Dayjs | undefined>) => {
    problem.clear();
    const body: Record<string, unknown> = {};
    for (const key of IDENTITY) {
      const value = key === 'date_of_birth' ? toApiDate(v[key] as Dayjs | undefined) : (v[key] as string | undefined);
      const now = key === 'note' ? undefined : (member as unknown as Record<string, unknown>)[key];
      if (value !== undefined && value !== '' && value !== now) body[key] = value;
    }
    if (!Object.keys(body).some((k) => k !== 'note')) return;
    try {
      await update.mutateAsync(body);
      message.success(t('me.identitySent'));
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Card title={t('me.identity')} size="small">
      <Typography.Paragraph type="secondary">{t('me.identityHint')}</Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        aria-label={t('me.identity')}
        initialValues={{
          full_name: member.full_name,
          date_of_birth: fromApiDate(member.date_of_birth),
          gender: member.gender,
          ethnicity: member.ethnicity,
          personal_id: member.personal_id,
          passport_no: member.passport_no,
        }}
      >
        <Form.Item label={t('member.fullName')} name="full_name"><Input /></Form.Item>
        <Form.Item label={t('member.dateOfBirth')} name="date_of_birth"><DatePicker format="DD/MM/YYYY" /></Form.Item>
        <Form.Item label={t('member.gender')} name="gender">
          <Select options={[{ value: 'male', label: t('gender.male') }, { value: 'female', label: t('gender.female') }]} />
        </Form.Item>
        <Form.Item label={t('member.ethnicity')} name="ethnicity"><Input /></Form.Item>
        <Form.Item label={t('member.personalId')} name="personal_id"><Input /></Form.Item>
        <Form.Item label={t('member.passportNo')} name="passport_no"><Input /></Form.Item>
        <Form.Item label={t('me.note')} name="note"><Input.TextArea rows={2} /></Form.Item>
        <Button htmlType="submit" loading={update.isPending}>{t('me.requestChange')}</Button>
      </Form>
    </Card>
  );
}

function Requests() {
  const { t } = useI18n();
  const { data } = useMyChangeRequests();
  if (!data?.length) return null;
  return (
    <Card title={t('me.requests')} size="small" style={{ marginTop: 16 }}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={data}
        columns={[
          { title: t('me.requestedAt'), dataIndex: 'requested_at', render: (v: string) => formatDateTime(v) },
          { title: t('changes.asked'), dataIndex: 'changes', render: (c: Record<string, unknown>) => Object.entries(c).map(([k, v]) => `${k}: ${String(v)}`).join('; ') },
          { title: t('member.status'), dataIndex: 'status', render: (s: StatusKey) => <Tag color={STATUS_COLOR[s]}>{t(`me.status.${s}`)}</Tag> },
          { title: t('me.decisionNote'), dataIndex: 'decision_note' },
        ]}
      />
    </Card>
  );
}

function HistoryAndTraining() {
  const { t } = useI18n();
  const history = useMyHistory();
  const training = useMyTraining();
  return (
    <Row gutter={16} style={{ marginTop: 16 }}>
      <Col xs={24} md={12}>
        <Card title={t('me.history')} size="small">
          <Timeline
            items={(history.data?.periods ?? []).map((p) => ({
              children: `${p.union_name ?? ''}: ${formatDate(p.valid_from)} – ${p.valid_to ? formatDate(p.valid_to) : '…'}`,
            }))}
          />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card title={t('me.training')} size="small">
          <Typography.Title level={5}>{t('me.qualifications')}</Typography.Title>
          {training.data?.qualifications.records.length ? (
            <ul>
              {training.data.qualifications.records.map((q) => (
                <li key={q.id}>
                  {kindLabel(t, q.kind)}: {levelLabel(q.level, q.kind)}
                  {q.major ? ` (${q.major})` : ''}
                  {q.issued_on ? ` · ${formatDate(q.issued_on)}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Paragraph type="secondary">{t('me.noQualifications')}</Typography.Paragraph>
          )}
          <Typography.Title level={5}>{t('me.courses')}</Typography.Title>
          {training.data?.courses.length ? (
            <ul>
              {training.data.courses.map((c) => (
                <li key={c.course_id} data-testid="my-course">
                  {c.title} — {c.kind_name} ({formatDate(c.starts_on)}–{formatDate(c.ends_on)})
                  {' · '}
                  {c.result ? resultLabel(t, c.result) : participantStatusLabel(t, c.status)}
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Paragraph type="secondary">{t('me.noCourses')}</Typography.Paragraph>
          )}
        </Card>
      </Col>
    </Row>
  );
}

export default function MyProfilePage() {
  const { t } = useI18n();
  const { data: member, isPending, isError, error, refetch } = useMyMember();
  if (isPending) return <LoadingState rows={8} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <section aria-labelledby="me-title">
      <Typography.Title level={2} id="me-title">
        {member.full_name}
      </Typography.Title>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'card', label: t('member.cardNumber'), children: member.card_number },
          { key: 'union', label: t('member.union'), children: member.union_name },
          { key: 'dob', label: t('member.dateOfBirth'), children: formatDate(member.date_of_birth) },
          { key: 'pid', label: t('member.personalId'), children: member.personal_id },
          { key: 'phone', label: t('member.phone'), children: member.phone },
          { key: 'email', label: t('member.email'), children: member.email },
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <ContactForm key={member.version} member={member} />
        </Col>
        <Col xs={24} md={12}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <IdentityForm key={member.version} member={member} />
          </Space>
        </Col>
      </Row>
      <Requests />
      <HistoryAndTraining />
    </section>
  );
}
