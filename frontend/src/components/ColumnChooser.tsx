import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/context';

export interface ColumnChoice {
  key: string;
  title: string;
  /** Always shown (the name that links to the record). */
  fixed?: boolean;
}

/** A "Columns" button with a checkbox per column; fixed columns cannot be hidden. */
export function ColumnChooser({
  columns,
  visible,
  onChange,
  defaults,
}: {
  columns: ColumnChoice[];
  visible: string[];
  onChange: (keys: string[]) => void;
  defaults: string[];
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const content = (
    <Space orientation="vertical" size={4} style={{ minWidth: 220 }}>
      <Checkbox.Group
        value={visible}
        onChange={(keys) => onChange(columns.filter((c) => c.fixed || keys.includes(c.key)).map((c) => c.key))}
        style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        options={columns.map((c) => ({ value: c.key, label: c.title, disabled: c.fixed }))}
      />
      <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onChange(defaults)}>
        {t('columns.reset')}
      </Button>
    </Space>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" title={t('columns.title')}>
      <Button icon={<SettingOutlined />} aria-haspopup="dialog" aria-expanded={open}>
        {t('columns.button')}
      </Button>
    </Popover>
  );
}
