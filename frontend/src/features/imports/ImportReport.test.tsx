// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../i18n/errors';
import { I18nProvider } from '../../i18n/I18nProvider';
import { ImportReport } from './ImportReport';

describe('ImportReport', () => {
  it('shows each problem at its row and column, in Vietnamese', () => {
    render(
      <I18nProvider lang="vi">
        <ImportReport
          errors={[
            {
              row: 3,
              column: 'Số định danh cá nhân',
              field: 'personal_id',
              code: 'personal_id_invalid_format',
              message: 'The personal ID number must have exactly 12 digits.',
              params: { value: '0791234' },
            },
            {
              row: 8,
              column: 'Số định danh cá nhân',
              field: 'personal_id',
              code: 'duplicate_in_file',
              message: 'The same personal ID number is on row 5.',
              params: { value: '079123456789', first_row: 5 },
            },
            { row: 4, column: 'Ngày sinh', field: 'date_of_birth', code: 'brand_new_check' as ErrorCode, message: 'Server words.' },
            { row: null, column: 'Họ và tên', field: null, code: 'missing_column', message: "The column 'Họ và tên' is missing." },
          ]}
        />
      </I18nProvider>,
    );
    const table = screen.getByTestId('import-report');
    const first = within(table).getByText('Số định danh cá nhân "0791234" phải gồm đúng 12 chữ số.').closest('tr')!;
    expect(within(first).getByText('3')).toBeInTheDocument();
    expect(within(first).getByText('Số định danh cá nhân')).toBeInTheDocument();
    expect(within(table).getByText('Giá trị "079123456789" trùng với dòng 5 trong tệp.')).toBeInTheDocument();
    // Never the server's English, even for a code this build does not know; a file-level
    // problem has no row.
    expect(within(table).queryByText('Server words.')).toBeNull();
    expect(within(table).getByText('Giá trị không hợp lệ.')).toBeInTheDocument();
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
