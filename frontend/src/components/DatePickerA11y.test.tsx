// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { DatePicker } from 'antd';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';

describe('the date picker (the locale I18nProvider gives antd)', () => {
  it('hints the typed format and names the calendar buttons by what they show', async () => {
    render(
      <I18nProvider lang="vi">
        <DatePicker open aria-label="Hạn nộp" />
      </I18nProvider>,
    );
    expect(screen.getByLabelText('Hạn nộp')).toHaveAttribute('placeholder', 'dd/mm/yyyy');
    // antd labelled them "Chọn năm"/"Chọn tháng" over their visible "2026"/"Th 12" (WCAG 2.5.3).
    for (const button of document.querySelectorAll('.ant-picker-year-btn, .ant-picker-month-btn')) {
      expect(button).not.toHaveAttribute('aria-label');
      expect(button.textContent).not.toBe('');
    }
    expect(document.querySelectorAll('.ant-picker-year-btn, .ant-picker-month-btn')).toHaveLength(2);
  });
});
