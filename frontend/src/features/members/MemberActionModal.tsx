import { Button, DatePicker, Form, Input, Modal, Result } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { DATE_FORMAT, dayjs, formatDate, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { blankToNull } from '../unions/formValues';
import { UnionSelect } from '../unions/UnionSelect';
import { useMemberAction, useReissueCard, useTransferMember, type MemberRead, type TransferResult } from './api';
import { DestinationSelect } from './DestinationSelect';
import { ACTION_TITLE, FINAL_ACTIONS, MEMBER_LEVELS, type MemberActionKind } from './labels';

interface Values {
  effective_date?: Dayjs;
  reason?: string;
  decision_no?: string;
  to_union_id?: string;
  union_id?: string;
  card_number?: string;
}

const FIELDS = ['effective_date', 'reason', 'decision_no', 'to_union_id', 'union_id', 'card_number'] as const;
const REASON_REQUIRED: MemberActionKind[] = ['leave', 'strike-off', 'expel'];

const INTRO: Record<MemberActionKind, MessageKey> = {
  transfer: 'memberAction.transferIntro',
  suspend: 'memberAction.suspendIntro',
  resume: 'memberAction.resumeIntro',
  leave: 'memberAction.leaveIntro',
  'strike-off': 'memberAction.strikeOffIntro',
  expel: 'memberAction.expelIntro',
  deceased: 'memberAction.deceasedIntro',
  rejoin: 'memberAction.rejoinIntro',
  'reissue-card': 'memberAction.reissueIntro',
};

/** The irreversible actions ask once more, saying what will happen. */
const CONFIRM: Partial<Record<MemberActionKind, MessageKey>> = {
  expel: 'memberAction.expelConfirm',
  deceased: 'memberAction.deceasedConfirm',
};

const DONE: Record<Exclude<MemberActionKind, 'transfer'>, MessageKey> = {
  suspend: 'memberAction.suspended',
  resume: 'memberAction.resumed',
  leave: 'memberAction.left',
  'strike-off': 'memberAction.struckOff',
  expel: 'memberAction.expelled',
  deceased: 'memberAction.deceasedDone',
  rejoin: 'memberAction.rejoined',
  'reissue-card': 'memberAction.reissued',
};

/** One dated action on a member, in a dialog; a transfer ends by saying what happened. */
export function MemberActionModal({
  member,
  action,
  onClose,
  onDone,
}: {
  member: MemberRead;
  action: MemberActionKind;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t, te } = useI18n();
  const confirm = useConfirm();
  const [form] = Form.useForm<Values>();
  const [dirty, setDirty] = useState(false);
  const [result, setResult] = useState<TransferResult | null>(null);
  const problem = useFormProblem(form, FIELDS);
  const status = useMemberAction(member);
  const reissue = useReissueCard(member);
  const transfer = useTransferMember(member);
  const busy = status.isPending || reissue.isPending || transfer.isPending;
  const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');
  const required = { required: true, message: te('required', '') };

  const close = async () => {
    if (dirty && !result && !(await confirm({ title: t('unsaved.title'), content: t('unsaved.body'), okText: t('unsaved.leave'), danger: true }))) {
      return;
    }
    onClose();
  };

  const submit = async (v: Values) => {
    problem.clear();
    const question = CONFIRM[action];
    if (
      question &&
      !(await confirm({
        title: `${t(ACTION_TITLE[action])}: ${member.full_name}`,
        content: t(question, { name: member.full_name, date: v.effective_date ? v.effective_date.format(DATE_FORMAT) : '' }),
        okText: t(ACTION_TITLE[action]),
        danger: true,
      }))
    ) {
      return;
    }
    const base = blankToNull({
      effective_date: toApiDate(v.effective_date) ?? '',
      reason: v.reason ?? null,
      decision_no: v.decision_no ?? null,
    });
    try {
      if (action === 'transfer') {
        const res = await transfer.mutateAsync({ ...base, to_union_id: v.to_union_id! });
        setResult(res);
        return;
      }
      if (action === 'reissue-card') {
        await reissue.mutateAsync(
          blankToNull({ effective_date: toApiDate(v.effective_date) ?? null, reason: v.reason ?? null, card_number: v.card_number ?? null }),
        );
      } else {
        await status.mutateAsync({ action, body: action === 'rejoin' ? { ...base, union_id: v.union_id ?? null } : base });
      }
      onDone(t(DONE[action]));
    } catch (e) {
      problem.show(e);
    }
  };

  if (result) {
    const union = result.request?.to_union_name ?? result.member.union_name ?? '';
    return (
      <Modal open title={t(ACTION_TITLE.transfer)} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t('common.close')}</Button>}>
        <Result
          status={result.completed ? 'success' : 'info'}
          title={result.completed ? t('transfer.doneNow', { union }) : t('transfer.doneRequested', { union })}
          subTitle={
            result.completed
              ? t('transfer.doneNowHint', { date: formatDate(result.member.status_since) })
              : t('transfer.doneRequestedHint', { date: formatDate(result.request?.effective_date), union })
          }
          data-testid="transfer-result"
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={`${t(ACTION_TITLE[action])}: ${member.full_name}`}
      onCancel={() => void close()}
      okText={t(ACTION_TITLE[action])}
      okButtonProps={{ htmlType: 'submit', loading: busy, danger: action === 'leave' || FINAL_ACTIONS.includes(action) }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={() => setDirty(true)}
          initialValues={{ effective_date: action === 'reissue-card' ? undefined : dayjs() }}
          clearOnDestroy
        >
          {node}
        </Form>
      )}
    >
      <p>{t(INTRO[action], { union: member.union_name ?? '' })}</p>
      <FormAlert messages={problem.general} />
      {action === 'transfer' ? (
        <Form.Item name="to_union_id" label={t('transfer.destination')} rules={[required]} extra={t('transfer.destinationHint')}>
          <DestinationSelect excludeId={member.union_id} />
        </Form.Item>
      ) : null}
      {action === 'rejoin' ? (
        <Form.Item name="union_id" label={t('memberAction.rejoinUnion')} extra={t('memberAction.rejoinUnionHint')}>
          <UnionSelect levels={[...MEMBER_LEVELS]} />
        </Form.Item>
      ) : null}
      {action === 'reissue-card' ? (
        <Form.Item name="card_number" label={t('memberAction.newCardNumber')} extra={t('memberAction.newCardNumberHint')}>
          <Input maxLength={20} />
        </Form.Item>
      ) : null}
      <Form.Item name="effective_date" label={t('memberAction.effectiveDate')} rules={action === 'reissue-card' ? [] : [required]}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      {action !== 'reissue-card' ? (
        <Form.Item name="decision_no" label={t('union.decisionNo')} rules={[{ max: 64, message: te('too_long', '') }]}>
          <Input maxLength={64} placeholder="125/QĐ-CĐCS" />
        </Form.Item>
      ) : null}
      <Form.Item
        name="reason"
        label={t('memberAction.reason')}
        rules={[...(REASON_REQUIRED.includes(action) ? [{ ...required, whitespace: true }] : []), { max: 1000, message: te('too_long', '') }]}
      >
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </Modal>
  );
}
