import { Form, Input } from 'antd';
import { useI18n } from '../../i18n/context';
import { CommunePicker } from '../places/CommunePicker';

export function ContactFields() {
  const { t, te } = useI18n();
  return (
    <>
      <Form.Item name="address" label={t('union.address')} rules={[{ max: 500, message: te('too_long', '') }]}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="commune_code" label={t('union.communeCode')} style={{ maxWidth: 640 }}>
        <CommunePicker />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('union.phone')}
        rules={[{ pattern: /^\+?[0-9 .()-]{8,20}$/, message: te('phone_invalid', '') }]}
      >
        <Input maxLength={20} inputMode="tel" style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="email" label={t('union.email')} rules={[{ type: 'email', message: te('invalid', '') }]}>
        <Input maxLength={254} inputMode="email" />
      </Form.Item>
    </>
  );
}
