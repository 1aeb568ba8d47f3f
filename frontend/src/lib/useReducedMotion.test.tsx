// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { theme } from 'antd';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';

/** A matchMedia whose reduced-motion answer the test sets and changes. */
function systemAsks(reduce: boolean) {
  const listeners = new Set<() => void>();
  const list = {
    matches: reduce,
    media: '(prefers-reduced-motion: reduce)',
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    dispatchEvent: () => false,
  };
  vi.spyOn(window, 'matchMedia').mockImplementation((query: string) =>
    query.includes('prefers-reduced-motion') ? (list as unknown as MediaQueryList) : ({ ...list, matches: false, media: query } as unknown as MediaQueryList),
  );
  return {
    change(next: boolean) {
      list.matches = next;
      act(() => listeners.forEach((fn) => fn()));
    },
    listening: () => listeners.size,
  };
}

/** Shows whether the theme antd's components get has its animations on. */
function Motion() {
  const { token } = theme.useToken();
  return <span data-testid="motion">{token.motion ? 'on' : 'off'}</span>;
}

function app() {
  return render(
    <I18nProvider lang="vi">
      <Motion />
    </I18nProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('reduced motion (prefers-reduced-motion)', () => {
  it('keeps antd animations on by default', () => {
    systemAsks(false);
    app();
    expect(screen.getByTestId('motion')).toHaveTextContent('on');
  });

  it('turns animations off when the system asks for reduced motion', () => {
    systemAsks(true);
    app();
    expect(screen.getByTestId('motion')).toHaveTextContent('off');
  });

  it('follows a change of the setting without a reload, and stops listening when gone', () => {
    const system = systemAsks(false);
    const view = app();
    system.change(true);
    expect(screen.getByTestId('motion')).toHaveTextContent('off');
    system.change(false);
    expect(screen.getByTestId('motion')).toHaveTextContent('on');
    expect(system.listening()).toBe(1);
    view.unmount();
    expect(system.listening()).toBe(0);
  });
});
