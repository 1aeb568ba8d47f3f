import type { ReactNode } from 'react';

/**
 * A filter with its name shown above it, not only as a placeholder that disappears once a value
 * is chosen (and that a low-vision user cannot read). The control keeps its own accessible name
 * (`aria-label`, the same words), so the visible text is hidden from screen readers to avoid
 * reading it twice.
 */
export function FilterField({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="filter-field" data-testid={testId}>
      <span className="filter-field__label" aria-hidden="true">
        {label}
      </span>
      {children}
    </div>
  );
}
