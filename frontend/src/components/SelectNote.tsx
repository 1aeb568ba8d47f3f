import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/context';

/**
 * What an open select shows when it has no option to offer: "Đang tải…", "Không có dữ liệu", an
 * error or a hint. Give it as the select's `notFoundContent` (SelectDefaults makes the "no data"
 * one every select's default).
 *
 * antd puts that content inside the dropdown's role="listbox" while the input's
 * aria-activedescendant names `<listbox id>_-1`, an element that does not exist. Plain text
 * there is an empty listbox (axe: aria-required-children) and a dangling reference
 * (aria-valid-attr-value); a role="status" is not allowed inside a listbox. So the note is the
 * listbox's one option, unavailable and never selected, carrying the id the input points at:
 * a screen reader reads it as the current item, and, a polite live region, reads the change
 * from "loading" to "nothing found". The keys cannot reach it (it is not one of the options).
 */
export function SelectNote({ children, busy = false }: { children: ReactNode; busy?: boolean }) {
  return (
    <div
      ref={pointedAt}
      role="option"
      aria-disabled="true"
      aria-selected="false"
      aria-live="polite"
      aria-busy={busy || undefined}
      // Readable, not the light grey of antd's empty list (1.8:1); inline, as the sign-in page's
      // stylesheet has a download budget.
      style={{ color: '#595959', cursor: 'default' }}
    >
      {children}
    </div>
  );
}

/** Takes the id the select's input refers to (antd's listbox is the note's parent). */
function pointedAt(el: HTMLDivElement | null) {
  const list = el?.parentElement;
  if (el && list?.getAttribute('role') === 'listbox' && list.id) el.id = `${list.id}_-1`;
}

/** The note of a select whose options come from the API: loading, failed, or nothing found. */
export function LoadNote({ fetching = false, failed = false, empty }: { fetching?: boolean; failed?: boolean; empty?: ReactNode }) {
  const { t } = useI18n();
  return (
    <SelectNote busy={fetching && !failed}>
      {failed ? t('state.error') : fetching ? t('common.loading') : (empty ?? t('common.noData'))}
    </SelectNote>
  );
}

const renderEmpty = (component?: string) => (component === 'Select' ? <LoadNote /> : undefined);

/**
 * Makes the "no data" note every select's default below it (other components keep antd's empty
 * state). Around the signed-in screens (AppShell, MemberArea), not in I18nProvider: the sign-in
 * page has no such select, and its download has a budget (e2e flows-budgets).
 */
export function SelectDefaults({ children }: { children: ReactNode }) {
  return <ConfigProvider renderEmpty={renderEmpty}>{children}</ConfigProvider>;
}
