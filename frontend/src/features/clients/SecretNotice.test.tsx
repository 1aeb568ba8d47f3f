// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n/I18nProvider';
import { SecretNotice } from './SecretNotice';

describe('SecretNotice', () => {
  it('shows the secret once with its warning, copies it, and closes only when told', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onClose = vi.fn();
    render(
      <I18nProvider lang="vi">
        <App>
          <SecretNotice secret="uhs_abc123" title="Khóa bí mật của ứng dụng" onClose={onClose} />
        </App>
      </I18nProvider>,
    );
    expect(await screen.findByText(/chỉ hiển thị MỘT LẦN/)).toBeInTheDocument();
    expect(screen.getByTestId('one-time-secret')).toHaveValue('uhs_abc123');
    await user.click(screen.getByRole('button', { name: /Sao chép khóa/ }));
    expect(writeText).toHaveBeenCalledWith('uhs_abc123');
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Tôi đã lưu khóa' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('shows nothing without a secret', () => {
    render(
      <I18nProvider lang="vi">
        <App>
          <SecretNotice secret={null} title="Khóa bí mật của ứng dụng" onClose={() => undefined} />
        </App>
      </I18nProvider>,
    );
    expect(screen.queryByText(/chỉ hiển thị MỘT LẦN/)).toBeNull();
  });
});
