// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Select } from 'antd';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';
import { LoadNote, SelectDefaults } from './SelectNote';

// The ARIA rules an open, optionless select broke (colours need a real browser: the e2e flows).
const RULES = ['aria-required-children', 'aria-required-parent', 'aria-valid-attr-value', 'aria-allowed-attr', 'aria-allowed-role'];

async function ariaViolations() {
  const result = await axe.run(document.body, { runOnly: { type: 'rule', values: RULES }, resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('an open select with no option to offer', () => {
  it('loading: the listbox holds one unavailable option, the one the input points at', async () => {
    render(
      <I18nProvider lang="vi">
        <Select open aria-label="Đơn vị" options={[]} loading notFoundContent={<LoadNote fetching />} />
      </I18nProvider>,
    );
    const note = await screen.findByRole('option', { name: 'Đang tải…' });
    expect(note).toHaveAttribute('aria-disabled', 'true');
    expect(note).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('listbox')).toContainElement(note);
    expect(screen.getByRole('combobox', { name: 'Đơn vị' })).toHaveAttribute('aria-activedescendant', note.id);
    expect(await ariaViolations()).toEqual([]);
  });

  it('nothing found, by default (every select), in the chosen language', async () => {
    const { rerender } = render(
      <I18nProvider lang="vi">
        <SelectDefaults>
          <Select open aria-label="Trạng thái" options={[]} />
        </SelectDefaults>
      </I18nProvider>,
    );
    expect(await screen.findByRole('option', { name: 'Không có dữ liệu' })).not.toHaveAttribute('aria-busy');
    expect(await ariaViolations()).toEqual([]);
    rerender(
      <I18nProvider lang="en">
        <SelectDefaults>
          <Select open aria-label="Status" options={[]} />
        </SelectDefaults>
      </I18nProvider>,
    );
    expect(await screen.findByRole('option', { name: 'No data' })).toBeInTheDocument();
  });

  it('a failed load says so', async () => {
    render(
      <I18nProvider lang="vi">
        <Select open aria-label="Đơn vị" options={[]} notFoundContent={<LoadNote fetching failed />} />
      </I18nProvider>,
    );
    expect(await screen.findByRole('option', { name: 'Không tải được dữ liệu' })).not.toHaveAttribute('aria-busy');
    expect(await ariaViolations()).toEqual([]);
  });

  it('antd alone leaves an empty listbox and a dangling active descendant (what the note fixes)', async () => {
    render(<Select open aria-label="Đơn vị" options={[]} notFoundContent="Đang tải…" />);
    await screen.findByText('Đang tải…');
    const found = await ariaViolations();
    expect(found.some((v) => v.startsWith('aria-required-children'))).toBe(true);
    expect(found.some((v) => v.startsWith('aria-valid-attr-value'))).toBe(true);
  });

  it('the keys cannot choose the note', async () => {
    const onChange = vi.fn();
    render(
      <I18nProvider lang="vi">
        <Select showSearch aria-label="Đơn vị" options={[]} onChange={onChange} notFoundContent={<LoadNote fetching />} />
      </I18nProvider>,
    );
    const input = screen.getByRole('combobox', { name: 'Đơn vị' });
    await userEvent.click(input);
    await screen.findByRole('option', { name: 'Đang tải…' });
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(onChange).not.toHaveBeenCalled();
    expect(await ariaViolations()).toEqual([]);
  });
});
