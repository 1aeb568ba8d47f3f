// @vitest-environment jsdom
import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';
import { useVisibleColumns } from '../lib/useVisibleColumns';
import { ColumnChooser } from './ColumnChooser';

const COLUMNS = [
  { key: 'name', title: 'Họ và tên', fixed: true },
  { key: 'phone', title: 'Số điện thoại' },
  { key: 'status', title: 'Trạng thái' },
];

describe('ColumnChooser', () => {
  afterEach(() => localStorage.clear());

  it('adds a column, cannot hide a fixed one, and resets', async () => {
    const onChange = vi.fn();
    render(
      <I18nProvider lang="vi">
        <ColumnChooser columns={COLUMNS} visible={['name', 'status']} onChange={onChange} defaults={['name', 'status']} />
      </I18nProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /Cột/ }));
    expect(screen.getByRole('checkbox', { name: 'Họ và tên' })).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Số điện thoại' }));
    expect(onChange).toHaveBeenLastCalledWith(['name', 'phone', 'status']);
    await user.click(screen.getByRole('button', { name: 'Về mặc định' }));
    expect(onChange).toHaveBeenLastCalledWith(['name', 'status']);
  });

  it('remembers the choice in this browser', () => {
    const { result } = renderHook(() => useVisibleColumns('test.columns', ['name']));
    expect(result.current[0]).toEqual(['name']);
    act(() => result.current[1](['name', 'phone']));
    expect(JSON.parse(localStorage.getItem('test.columns')!)).toEqual(['name', 'phone']);
    const again = renderHook(() => useVisibleColumns('test.columns', ['name']));
    expect(again.result.current[0]).toEqual(['name', 'phone']);
  });

  it('ignores a damaged stored value', () => {
    localStorage.setItem('test.columns', '{not json');
    const { result } = renderHook(() => useVisibleColumns('test.columns', ['name']));
    expect(result.current[0]).toEqual(['name']);
  });
});
