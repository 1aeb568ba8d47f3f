import { App, Breadcrumb, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Switch, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, ForbiddenState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, dayjs, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAuth } from '../auth/context';
import { EnterpriseSelect } from '../enterprises/EnterpriseSelect';
import { useUnion } from '../unions/api';
import { UnionSelect } from '../unions/UnionSelect';
import { CommunePicker } from '../places/CommunePicker';
import { CountrySelect } from '../places/CountrySelect';
import { useCreateMember, useMember, useUpdateMember, type MemberCreate, type MemberRead } from './api';
import { ALIASES, MEMBER_FORM_FIELDS, memberChanges, text, toBody, toValues, type Values } from './memberFormValues';
import { GENDERS, MEMBER_LEVELS, educationLabel, genderLabel, theoryLabel } from './labels';

/** The caller's one union, when they hold roles at exactly one and it is a union members
 * belong to (a grassroots union, not a federation above them). */
function useHomeUnion(enabled: boolean) {
  const { me } = useAuth();
  const held = [...new Set((me?.roles ?? []).map((r) => r.union_id))];
  const { data } = useUnion(enabled && held.length === 1 ? held[0] : undefined);
  return data && (MEMBER_LEVELS as readonly string[]).includes(data.level) ? data : null;
}

function MemberForm({ member }: { member?: MemberRead }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);
  const problem = useFormProblem(form, MEMBER_FORM_FIELDS, ALIASES);
  const create = useCreateMember();
  const update = useUpdateMember(member);
  const nationality = (Form.useWatch('nationality', form) ?? 'VN').toUpperCase();
  const foreign = nationality !== 'VN';
  const required = { required: true, message: te('required', '') };
  const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');
  const piiLocked = Boolean(member?.pii_masked);
  const home = useHomeUnion(!member);
  // An officer of one union that holds members records them there: the field starts on it.
  useEffect(() => {
    if (home && !form.getFieldValue('union_id')) form.setFieldsValue({ union_id: home.id });
  }, [home, form]);

  const submit = async (v: Values) => {
    problem.clear();
    try {
      if (member) {
        const changes = memberChanges(member, v);
        if (!Object.keys(changes).length) {
          message.info(t('unions.nothingChanged'));
          return;
        }
        await update.mutateAsync(changes);
        release();
        message.success(t('members.saved'));
        navigate(`/members/${member.id}`);
      } else {
        const body: MemberCreate = {
          ...toBody(v),
          union_id: v.union_id!,
          admission_date: toApiDate(v.admission_date) ?? '',
          card_number: text(v.card_number),
        };
        const created = await create.mutateAsync(body);
        release();
        message.success(t('members.created', { name: created.full_name }));
        navigate(`/members/${created.id}`);
      }
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Card style={{ maxWidth: 980 }}>
      <FormAlert messages={problem.general} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => setDirty(true)}
        initialValues={member ? toValues(member) : { nationality: 'VN', party_member: false, admission_date: dayjs() }}
        scrollToFirstError
      >
        <Typography.Title level={4}>{t('memberForm.person')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="full_name" label={t('member.fullName')} rules={[{ ...required, whitespace: true }, { max: 120, message: te('too_long', '') }]}>
              <Input maxLength={120} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="date_of_birth" label={t('member.dateOfBirth')} rules={[required]}>
              <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="gender" label={t('member.gender')} rules={[required]}>
              <Select options={GENDERS.map((g) => ({ value: g, label: genderLabel(t, g) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="nationality" label={t('member.nationality')} extra={t('memberForm.nationalityHint')} rules={[required]}>
              <CountrySelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item
              name="personal_id"
              label={t('member.personalId')}
              extra={piiLocked ? t('memberForm.piiLocked') : t('memberForm.personalIdHint')}
            >
              <Input maxLength={30} inputMode="numeric" autoComplete="off" disabled={piiLocked} />
            </Form.Item>
          </Col>
          {foreign || member?.passport_no ? (
            <Col xs={24} md={9}>
              <Form.Item name="passport_no" label={t('member.passportNo')} extra={t('memberForm.passportHint')}>
                <Input maxLength={30} autoComplete="off" disabled={piiLocked} />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={12} md={6}>
            <Form.Item name="ethnicity" label={t('member.ethnicity')} rules={[{ max: 40, message: te('too_long', '') }]}>
              <Input maxLength={40} placeholder="Kinh" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="phone" label={t('member.phone')}>
              <Input maxLength={30} inputMode="tel" autoComplete="off" disabled={piiLocked} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="email" label={t('member.email')} rules={[{ type: 'email', message: te('email_invalid', '') }]}>
              <Input maxLength={254} inputMode="email" disabled={piiLocked} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="commune_code" label={t('member.communeCode')}>
              <CommunePicker />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={4}>{t('memberForm.work')}</Typography.Title>
        <Row gutter={16}>
          {/* The levels are derived from the qualification records, entered on their tab. */}
          <Col xs={24} md={8}>
            <Form.Item label={t('member.education')}>
              <span data-testid="derived-education">{member?.education_level ? educationLabel(t, member.education_level) : '—'}</span>
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('member.politicalTheory')} extra={member ? <Link to={`/members/${member.id}?tab=qualifications`}>{t('member.levelsFromQualifications')}</Link> : t('member.levelsAfterAdmission')}>
              <span data-testid="derived-theory">{member?.political_theory ? theoryLabel(t, member.political_theory) : '—'}</span>
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="party_member" label={t('member.partyMember')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="professional_qualification" label={t('member.qualification')} rules={[{ max: 255, message: te('too_long', '') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="occupation" label={t('member.occupation')} rules={[{ max: 255, message: te('too_long', '') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="enterprise_id" label={t('member.enterprise')}>
              <EnterpriseSelect initialOption={member?.enterprise_id ? { id: member.enterprise_id, name: member.enterprise_name ?? '' } : null} />
            </Form.Item>
          </Col>
        </Row>
        {member ? null : (
          <>
            <Typography.Title level={4}>{t('memberForm.membership')}</Typography.Title>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="union_id" label={t('member.union')} rules={[required]} extra={t('memberForm.unionHint')}>
                  <UnionSelect levels={[...MEMBER_LEVELS]} initialOption={home ? { id: home.id, name: home.name, code: home.code } : null} data-testid="member-union" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="admission_date" label={t('member.admissionDate')} rules={[required]}>
                  <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="card_number" label={t('member.cardNumber')} extra={t('memberForm.cardHint')}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
            </Row>
          </>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            {member ? t('common.save') : t('members.createSubmit')}
          </Button>
          <Button onClick={() => navigate(member ? `/members/${member.id}` : '/members')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

export default function MemberFormPage() {
  const { memberId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  // The form edits the personal data, so it asks for it unmasked where the user may see it.
  const { data: member, isPending, isError, error, refetch } = useMember(memberId, { reveal: can('members:pii') });
  if (!can('members:write')) return <ForbiddenState />;
  if (memberId && isPending) return <LoadingState rows={8} />;
  if (memberId && isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const title = member ? t('members.editTitle', { name: member.full_name }) : t('members.createTitle');
  return (
    <section aria-labelledby="member-form-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/members">{t('nav.members')}</Link> },
          ...(member ? [{ title: <Link to={`/members/${member.id}`}>{member.full_name}</Link> }] : []),
          { title: member ? t('common.edit') : t('members.create') },
        ]}
      />
      <div className="page-header">
        <Typography.Title level={2} id="member-form-title">
          {title}
        </Typography.Title>
      </div>
      <MemberForm key={member?.version ?? 'new'} member={member} />
    </section>
  );
}
