import { App, Breadcrumb, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, ForbiddenState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAuth } from '../auth/context';
import { UnionSelect } from '../unions/UnionSelect';
import { useCreateEnterprise, useEnterprise, useUpdateEnterprise, type EnterpriseCreate, type EnterpriseRead } from './api';
import { OPERATING_STATUSES, OWNERSHIPS, operatingLabel, ownershipLabel } from './labels';
import { CommunePicker } from '../places/CommunePicker';
import { IndustryName } from '../places/IndustryName';

const FIELDS = [
  'name', 'short_name', 'tax_code', 'ownership', 'vsic_code', 'commune_code', 'address', 'industrial_zone',
  'responsible_union_id', 'operating_status', 'phone', 'email', 'representative',
] as const;
type Values = Record<(typeof FIELDS)[number], string | undefined>;

function toValues(e: EnterpriseRead): Values {
  const out = {} as Values;
  for (const f of FIELDS) {
    const v = e[f as keyof EnterpriseRead];
    out[f] = v == null ? undefined : String(v);
  }
  return out;
}

function toBody(v: Values): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of FIELDS) out[f] = v[f]?.trim() ? v[f]!.trim() : null;
  return out;
}

function EnterpriseForm({ enterprise }: { enterprise?: EnterpriseRead }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const vsic = (Form.useWatch('vsic_code', form) ?? '').trim();
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);
  const problem = useFormProblem(form, FIELDS);
  const create = useCreateEnterprise();
  const update = useUpdateEnterprise(enterprise);
  const required = { required: true, whitespace: true, message: te('required', '') };

  const submit = async (v: Values) => {
    problem.clear();
    const body = toBody(v);
    try {
      if (enterprise) {
        const before = toBody(toValues(enterprise));
        const changes = Object.fromEntries(Object.entries(body).filter(([k, val]) => before[k] !== val));
        if (!Object.keys(changes).length) {
          message.info(t('unions.nothingChanged'));
          return;
        }
        await update.mutateAsync(changes);
        release();
        message.success(t('common.saved'));
        navigate(`/enterprises/${enterprise.id}`);
      } else {
        const created = await create.mutateAsync(body as unknown as EnterpriseCreate);
        release();
        message.success(t('enterprises.created', { name: created.name }));
        navigate(`/enterprises/${created.id}`);
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
        initialValues={enterprise ? toValues(enterprise) : { operating_status: 'operating' }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('enterprise.name')} rules={[required, { max: 255, message: te('too_long', '') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="short_name" label={t('union.shortName')} rules={[{ max: 100, message: te('too_long', '') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="tax_code" label={t('enterprise.taxCode')} rules={[required]} extra={t('enterprise.taxCodeHint')}>
              <Input maxLength={20} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="ownership" label={t('enterprise.ownership')} rules={[required]}>
              <Select options={OWNERSHIPS.map((o) => ({ value: o, label: ownershipLabel(t, o) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="operating_status" label={t('enterprise.operatingStatus')}>
              <Select options={OPERATING_STATUSES.map((s) => ({ value: s, label: operatingLabel(t, s) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="responsible_union_id" label={t('enterprise.responsibleUnion')} rules={[required]} extra={t('enterprise.responsibleHint')}>
              <UnionSelect
                levels={['province_federation', 'direct_superior']}
                initialOption={enterprise ? { id: enterprise.responsible_union_id, name: enterprise.responsible_union_name ?? '' } : null}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="vsic_code" label={t('enterprise.vsic')} extra={vsic ? <IndustryName code={vsic} /> : t('enterprise.vsicHint')}>
              <Input maxLength={5} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="commune_code" label={t('union.communeCode')}>
              <CommunePicker />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="address" label={t('union.address')} rules={[{ max: 500, message: te('too_long', '') }]}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="industrial_zone" label={t('enterprise.industrialZone')} rules={[{ max: 255, message: te('too_long', '') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="representative" label={t('enterprise.representative')} rules={[{ max: 255, message: te('too_long', '') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="phone" label={t('union.phone')}>
              <Input maxLength={30} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="email" label={t('union.email')} rules={[{ type: 'email', message: te('email_invalid', '') }]}>
              <Input maxLength={254} inputMode="email" />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            {enterprise ? t('common.save') : t('enterprises.createSubmit')}
          </Button>
          <Button onClick={() => navigate(enterprise ? `/enterprises/${enterprise.id}` : '/enterprises')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

export default function EnterpriseFormPage() {
  const { enterpriseId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const { data, isPending, isError, error, refetch } = useEnterprise(enterpriseId);
  if (!can('enterprises:write')) return <ForbiddenState />;
  if (enterpriseId && isPending) return <LoadingState rows={8} />;
  if (enterpriseId && isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <section aria-labelledby="enterprise-form-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[
          { title: <Link to="/enterprises">{t('nav.enterprises')}</Link> },
          ...(data ? [{ title: <Link to={`/enterprises/${data.id}`}>{data.name}</Link> }] : []),
          { title: data ? t('common.edit') : t('enterprises.create') },
        ]}
      />
      <div className="page-header">
        <Typography.Title level={2} id="enterprise-form-title">
          {data ? t('enterprises.editTitle', { name: data.name }) : t('enterprises.createTitle')}
        </Typography.Title>
      </div>
      <EnterpriseForm key={data?.version ?? 'new'} enterprise={data} />
    </section>
  );
}
