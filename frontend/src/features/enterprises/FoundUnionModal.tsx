import { Button, DatePicker, Form, Input, Modal, Result } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, dayjs, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { UnionSelect } from '../unions/UnionSelect';
import { useFoundEnterpriseUnion, type EnterpriseRead } from './api';

interface Values {
  code: string;
  name?: string;
  short_name?: string;
  parent_id?: string;
  founded_on?: Dayjs;
  founding_decision_no: string;
  decision_date?: Dayjs;
}
const FIELDS = ['code', 'name', 'short_name', 'parent_id', 'founded_on', 'founding_decision_no', 'decision_date'] as const;

/** "Thành lập CĐCS": founds the enterprise's grassroots union by a dated decision. */
export function FoundUnionModal({ enterprise, onClose }: { enterprise: EnterpriseRead; onClose: () => void }) {
  const { t, te } = useI18n();
  const confirm = useConfirm();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const problem = useFormProblem(form, FIELDS);
  const found = useFoundEnterpriseUnion(enterprise.id);
  const required = { required: true, whitespace: true, message: te('required', '') };
  const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

  const close = async () => {
    if (dirty && !created && !(await confirm({ title: t('unsaved.title'), content: t('unsaved.body'), okText: t('unsaved.leave'), danger: true }))) return;
    onClose();
  };
  const submit = async (v: Values) => {
    problem.clear();
    try {
      const res = await found.mutateAsync({
        code: v.code.trim(),
        name: v.name?.trim() || null,
        short_name: v.short_name?.trim() || null,
        parent_id: v.parent_id ?? null,
        founded_on: toApiDate(v.founded_on) ?? '',
        founding_decision_no: v.founding_decision_no.trim(),
        decision_date: toApiDate(v.decision_date) ?? null,
      });
      setCreated({ id: res.union.id, name: res.union.name });
    } catch (e) {
      problem.show(e);
    }
  };

  if (created) {
    return (
      <Modal open title={t('foundUnion.title')} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t('common.close')}</Button>}>
        <Result
          status="success"
          title={t('foundUnion.done', { name: created.name })}
          extra={<Link to={`/unions/${created.id}`}>{t('foundUnion.openUnion')}</Link>}
        />
      </Modal>
    );
  }
  return (
    <Modal
      open
      width={640}
      title={t('foundUnion.title')}
      onCancel={() => void close()}
      okText={t('foundUnion.submit')}
      okButtonProps={{ htmlType: 'submit', loading: found.isPending }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={() => setDirty(true)}
          initialValues={{ name: `Công đoàn cơ sở ${enterprise.name}`, founded_on: dayjs() }}
          clearOnDestroy
        >
          {node}
        </Form>
      )}
    >
      <p>{t('foundUnion.intro', { name: enterprise.name, union: enterprise.responsible_union_name ?? '' })}</p>
      <FormAlert messages={problem.general} />
      <Form.Item name="code" label={t('union.code')} rules={[required, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/, message: t('union.codeHint') }]}>
        <Input maxLength={32} style={{ width: 220 }} placeholder="TG-MT-0100" />
      </Form.Item>
      <Form.Item name="name" label={t('union.name')} rules={[{ max: 255, message: te('too_long', '') }]}>
        <Input maxLength={255} />
      </Form.Item>
      <Form.Item name="short_name" label={t('union.shortName')} rules={[{ max: 100, message: te('too_long', '') }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="parent_id" label={t('union.parent')} extra={t('foundUnion.parentHint', { union: enterprise.responsible_union_name ?? '' })}>
        <UnionSelect levels={['province_federation', 'direct_superior']} />
      </Form.Item>
      <Form.Item name="founding_decision_no" label={t('union.decisionNo')} rules={[required, { max: 64, message: te('too_long', '') }]} extra={t('union.decisionNoHint')}>
        <Input maxLength={64} placeholder="125/QĐ-LĐLĐ" />
      </Form.Item>
      <Form.Item name="founded_on" label={t('union.foundedOn')} rules={[{ required: true, message: te('required', '') }]}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="decision_date" label={t('union.decisionDate')}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
    </Modal>
  );
}
