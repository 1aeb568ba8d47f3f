// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n/I18nProvider';
import { ImportReport } from './ImportReport';

describe('ImportReport', () => {
  it('shows each problem at its row and column, in Vietnamese', () => {
    render(
      <I18nProvider lang="vi">
        <ImportReport
          errors={[
            { row: 3, column: 'Số định danh cá nhân', field: 'personal_id', code: 'personal_id_invalid_format', message: 'The personal ID number must have exactly 12 digits.' },
            { row: 4, column: 'Ngày sinh', field: 'date_of_birth', code: 'brand_new_check', message: 'Server words.' },
            { row: null, column: 'Họ và tên', field: null, code: 'missing_column', message: "The column 'Họ và tên' is missing." },
          ]}
        />
      </I18nProvider>,
    );
    const table = screen.getByTestId('import-report');
    const first = within(table).getByText('Số định danh cá nhân phải gồm đúng 12 chữ số.').closest('tr')!;
    expect(within(first).getByText('3')).toBeInTheDocument();
    expect(within(first).getByText('Số định danh cá nhân')).toBeInTheDocument();
    // An unknown code keeps the server's words; a file-level problem has no row.
    expect(within(table).getByText('Server words.')).toBeInTheDocument();
    const fileLevel = within(table).getByText('Thiếu cột bắt buộc.').closest('tr')!;
    expect(within(fileLevel).getByText('Cả tệp')).toBeInTheDocument();
  });

  it('says when the list was cut', () => {
    render(
      <I18nProvider lang="en">
        <ImportReport errors={[]} truncated />
      </I18nProvider>,
    );
    expect(screen.getByText(/Only the first 10,000 problems are shown/)).toBeInTheDocument();
  });
});
