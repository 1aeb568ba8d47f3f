import { Form, Input, Modal } from 'antd';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/context';
import { useFormProblem } from '../../lib/useFormProblem';

interface Props {
  title: string;
  hint: string;
  okText: string;
  danger?: boolean;
  pending: boolean;
  /** Resolves when done; throws the API error to show it in the dialog. */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}

/** A step that needs a written reason (return, reopen): the reason is required. */
export function ReasonModal({ title, hint, okText, danger, pending, onSubmit, onClose }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const problem = useFormProblem(form, ['reason'], { note: 'reason' });
  const submit = async ({ reason }: { reason: string }) => {
    problem.clear();
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (e) {
      problem.show(e);
    }
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      okText={okText}
      okButtonProps={{ htmlType: 'submit', loading: pending, danger }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      modalRender={(node) => (
        <Form form={form} layout="vertical" onFinish={submit} clearOnDestroy>
          {node}
        </Form>
      )}
    >
      <p>{hint}</p>
      <FormAlert messages={problem.general} />
      <Form.Item name="reason" label={t('round.reason')} rules={[{ required: true, whitespace: true, message: t('evaluation.reasonRequired') }, { max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </Modal>
  );
}
