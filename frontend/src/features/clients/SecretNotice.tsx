import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Modal, Space } from 'antd';
import { useI18n } from '../../i18n/context';

interface Props {
  /** The secret to show; null: closed. */
  secret: string | null;
  title: string;
  onClose: () => void;
}

/**
 * A secret shown the one time the server hands it out (a client's secret at registration and
 * rotation, a webhook's signing secret): a warning, the secret, a copy button. Closing it is
 * the last chance to see it.
 */
export function SecretNotice({ secret, title, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      message.success(t('clients.secret.copied'));
    } catch {
      // No clipboard (an insecure origin): the field is selected, Ctrl+C copies it.
      (document.getElementById('one-time-secret') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('clients.secret.done')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon message={t('clients.secret.warning')} />
        <Space.Compact style={{ width: '100%' }}>
          <Input id="one-time-secret" readOnly value={secret ?? ''} aria-label={title} data-testid="one-time-secret" />
          <Button icon={<CopyOutlined />} onClick={() => void copy()}>
            {t('clients.secret.copy')}
          </Button>
        </Space.Compact>
      </Space>
    </Modal>
  );
}
