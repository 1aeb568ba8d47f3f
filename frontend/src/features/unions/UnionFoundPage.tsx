import { App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { SelectNote } from '../../components/SelectNote';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAuth } from '../auth/context';
import { ForbiddenState } from '../../components/states';
import { useFoundUnion, useUnion } from './api';
import { ContactFields } from './ContactFields';
import { blankToNull } from './formValues';
import { DecisionFields } from './DecisionFields';
import { KINDS, SECTORS, kindLabel, levelLabel, levelsUnder, sectorLabel, type UnionKind, type UnionLevel, type Sector } from './labels';
import { UnionSelect } from './UnionSelect';

interface Values {
  parent_id?: string;
  code: string;
  name: string;
  short_name?: string;
  level: UnionLevel;
  kind: UnionKind;
  sector: Sector;
  founded_on: Dayjs;
  founding_decision_no: string;
  decision_date?: Dayjs;
  address?: string;
  commune_code?: string;
  phone?: string;
  email?: string;
}

const FIELDS = [
  'parent_id', 'code', 'name', 'short_name', 'level', 'kind', 'sector', 'founded_on',
  'founding_decision_no', 'decision_date', 'address', 'commune_code', 'phone', 'email',
] as const;

export default function UnionFoundPage() {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const parentParam = params.get('parent') ?? undefined;
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);
  const problem = useFormProblem(form, FIELDS);
  const found = useFoundUnion();
  const parentId = Form.useWatch('parent_id', form) ?? parentParam;
  const { data: parent } = useUnion(parentId);
  const levels = levelsUnder(parent ? parent.level : null);

  if (!can('unions:write')) return <ForbiddenState />;

  const submit = async (v: Values) => {
    problem.clear();
    try {
      const created = await found.mutateAsync(
        blankToNull({
          ...v,
          parent_id: v.parent_id ?? null,
          founded_on: toApiDate(v.founded_on)!,
          decision_date: toApiDate(v.decision_date) ?? null,
        }),
      );
      release();
      message.success(t('unions.foundDone', { name: created.name }));
      navigate(`/unions/${created.id}`);
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <section aria-labelledby="found-title">
      <div className="page-header">
        <Typography.Title level={2} id="found-title">
          {t('unions.foundTitle')}
        </Typography.Title>
      </div>
      <Card style={{ maxWidth: 820 }}>
        <FormAlert messages={problem.general} />
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={() => setDirty(true)}
          initialValues={{ parent_id: parentParam, sector: 'non_state' }}
          scrollToFirstError
        >
          <Form.Item name="parent_id" label={t('union.parent')} extra={t('unions.parentHint')}>
            <UnionSelect
              initialOption={parent ? { id: parent.id, name: parent.name, code: parent.code } : null}
              onChange={() => form.setFieldValue('level', undefined)}
            />
          </Form.Item>
          <Space wrap align="start" size="large">
            <Form.Item
              name="code"
              label={t('union.code')}
              rules={[
                { required: true, whitespace: true, message: te('required', '') },
                { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/, message: t('union.codeHint') },
              ]}
            >
              <Input maxLength={32} style={{ width: 220 }} placeholder="TG-CB-001" />
            </Form.Item>
            <Form.Item name="level" label={t('union.level')} rules={[{ required: true, message: te('required', '') }]}>
              <Select
                style={{ width: 260 }}
                options={levels.map((l) => ({ value: l, label: levelLabel(t, l) }))}
                notFoundContent={<SelectNote>{t('unions.noLevelUnderParent')}</SelectNote>}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="name"
            label={t('union.name')}
            rules={[{ required: true, whitespace: true, message: te('required', '') }, { max: 255, message: te('too_long', '') }]}
          >
            <Input maxLength={255} />
          </Form.Item>
          <Form.Item name="short_name" label={t('union.shortName')} rules={[{ max: 100, message: te('too_long', '') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Space wrap align="start" size="large">
            <Form.Item name="kind" label={t('union.kind')} rules={[{ required: true, message: te('required', '') }]}>
              <Select style={{ width: 300 }} options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} />
            </Form.Item>
            <Form.Item name="sector" label={t('union.sector')} rules={[{ required: true, message: te('required', '') }]}>
              <Select style={{ width: 220 }} options={SECTORS.map((s) => ({ value: s, label: sectorLabel(t, s) }))} />
            </Form.Item>
          </Space>
          <DecisionFields dateName="founded_on" decisionName="founding_decision_no" withNote={false} dateLabel={t('union.foundedOn')} />
          <ContactFields />
          <Space>
            <Button type="primary" htmlType="submit" loading={found.isPending}>
              {t('unions.foundSubmit')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </section>
  );
}
