import { App } from 'antd';
import { useCallback, type ReactNode } from 'react';
import { useI18n } from '../i18n/context';

interface ConfirmOptions {
  title: ReactNode;
  content: ReactNode;
  okText?: string;
  danger?: boolean;
}

/** `await confirm({...})` resolves true when the user confirms. */
export function useConfirm(): (options: ConfirmOptions) => Promise<boolean> {
  const { modal } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    ({ title, content, okText, danger }: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title,
          content,
          okText: okText ?? t('common.confirm'),
          cancelText: t('common.cancel'),
          okButtonProps: { danger },
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal, t],
  );
}
