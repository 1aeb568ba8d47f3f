import { Checkbox, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, dayjs, formatDate, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnion } from '../unions/api';
import { levelLabel } from '../unions/labels';
import { useCreateCadrePost, useEndCadrePost, type CadreRead, type MemberRead } from './api';
import { postLabel, postsForLevel, type CadrePost } from './labels';

interface AddValues {
  union_id: string;
  post?: CadrePost;
  full_time: boolean;
  from_date?: Dayjs;
  decision_no?: string;
}

const ADD_FIELDS = ['union_id', 'post', 'full_time', 'from_date', 'to_date', 'decision_no'] as const;
// A foreign member's refusal names the path's member_id; it belongs beside the post.
const ADD_ALIASES = { member_id: 'post' } as const;
const END_FIELDS = ['to_date', 'decision_no'] as const;
const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** Record a post held in the member's union or the union directly above it. */
export function AddPostModal({ member, onClose, onDone }: { member: MemberRead; onClose: () => void; onDone: (text: string) => void }) {
  const { t, te } = useI18n();
  const [form] = Form.useForm<AddValues>();
  const problem = useFormProblem(form, ADD_FIELDS, ADD_ALIASES);
  const create = useCreateCadrePost(member);
  const own = useUnion(member.union_id).data;
  const parent = useUnion(own?.parent_id ?? undefined).data;
  const unions = [own, parent].filter((u) => u != null);
  const unionId = Form.useWatch('union_id', form) ?? member.union_id;
  const posts = postsForLevel(unions.find((u) => u.id === unionId)?.level);
  const required = { required: true, message: te('required', '') };

  const submit = async (v: AddValues) => {
    problem.clear();
    try {
      await create.mutateAsync({
        union_id: v.union_id,
        post: v.post!,
        full_time: v.full_time,
        from_date: toApiDate(v.from_date) ?? '',
        decision_no: v.decision_no?.trim() || null,
      });
      onDone(t('cadre.added'));
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Modal
      open
      title={`${t('cadre.add')}: ${member.full_name}`}
      onCancel={onClose}
      okText={t('cadre.add')}
      okButtonProps={{ htmlType: 'submit', loading: create.isPending }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form<AddValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ union_id: member.union_id, full_time: false, from_date: dayjs() }}
          onValuesChange={(changed: Partial<AddValues>) => {
            // A post of the other kind of union would only be refused by the server.
            if (changed.union_id) form.setFieldValue('post', undefined);
          }}
          clearOnDestroy
        >
          {node}
        </Form>
      )}
    >
      <FormAlert messages={problem.general} />
      <Form.Item name="union_id" label={t('cadre.union')} rules={[required]} extra={t('cadre.unionHint')}>
        <Select
          options={(unions.length ? unions : [{ id: member.union_id, name: member.union_name ?? member.union_id, level: undefined }]).map((u) => ({
            value: u.id,
            label: u.level ? `${u.name} · ${levelLabel(t, u.level)}` : u.name,
          }))}
        />
      </Form.Item>
      <Form.Item name="post" label={t('cadre.post')} rules={[required]}>
        <Select options={posts.map((p) => ({ value: p, label: postLabel(t, p) }))} placeholder={t('cadre.postPlaceholder')} />
      </Form.Item>
      <Form.Item name="full_time" valuePropName="checked">
        <Checkbox>{t('cadre.fullTimeYes')}</Checkbox>
      </Form.Item>
      <Form.Item name="from_date" label={t('cadre.fromDate')} rules={[required]}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="decision_no" label={t('union.decisionNo')} rules={[{ max: 64, message: te('too_long', '') }]}>
        <Input maxLength={64} placeholder="15/QĐ-CĐCS" />
      </Form.Item>
    </Modal>
  );
}

interface EndValues {
  to_date?: Dayjs;
  decision_no?: string;
}

/** End a post held today; to_date is the last day in it. */
export function EndPostModal({ post, onClose, onDone }: { post: CadreRead; onClose: () => void; onDone: (text: string) => void }) {
  const { t, te } = useI18n();
  const [form] = Form.useForm<EndValues>();
  const problem = useFormProblem(form, END_FIELDS);
  const end = useEndCadrePost();
  const required = { required: true, message: te('required', '') };

  const submit = async (v: EndValues) => {
    problem.clear();
    try {
      await end.mutateAsync({ post, body: { to_date: toApiDate(v.to_date) ?? '', decision_no: v.decision_no?.trim() || null } });
      onDone(t('cadre.ended'));
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Modal
      open
      title={`${t('cadre.end')}: ${postLabel(t, post.post)}`}
      onCancel={onClose}
      okText={t('cadre.end')}
      okButtonProps={{ htmlType: 'submit', loading: end.isPending, danger: true }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form<EndValues> form={form} layout="vertical" onFinish={submit} initialValues={{ to_date: dayjs() }} clearOnDestroy>
          {node}
        </Form>
      )}
    >
      <p>{t('cadre.endIntro', { name: post.member_name, union: post.union_name, date: formatDate(post.from_date) })}</p>
      <FormAlert messages={problem.general} />
      <Form.Item name="to_date" label={t('cadre.toDate')} rules={[required]}>
        <DatePicker format={DATE_FORMAT} disabledDate={notFuture} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="decision_no" label={t('union.decisionNo')} rules={[{ max: 64, message: te('too_long', '') }]}>
        <Input maxLength={64} placeholder="16/QĐ-CĐCS" />
      </Form.Item>
    </Modal>
  );
}
