// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { I18nProvider } from '../i18n/I18nProvider';
import { FormAlert } from './FormAlert';
import { ErrorState } from './states';

describe('ErrorState', () => {
  it('explains a scope 404 in the chosen language and retries', async () => {
    const retry = vi.fn();
    const error = new ApiError({ status: 404, code: 'union_not_found', detail: 'No union with this id.' });
    const { rerender } = render(
      <I18nProvider lang="vi">
        <ErrorState error={error} onRetry={retry} />
      </I18nProvider>,
    );
    expect(screen.getByText('Không tìm thấy đơn vị (hoặc đơn vị ngoài phạm vi của bạn).')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    expect(retry).toHaveBeenCalledOnce();
    rerender(
      <I18nProvider lang="en">
        <ErrorState error={error} />
      </I18nProvider>,
    );
    expect(screen.getByText('Union not found (or outside your scope).')).toBeInTheDocument();
  });
});

describe('FormAlert', () => {
  it('renders nothing without messages and a list for several', () => {
    const { container, rerender } = render(<FormAlert messages={[]} />);
    expect(container).toBeEmptyDOMElement();
    rerender(<FormAlert messages={['một', 'hai']} />);
    expect(screen.getByRole('alert')).toHaveTextContent('một');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });
});
