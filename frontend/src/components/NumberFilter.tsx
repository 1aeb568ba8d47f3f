import { InputNumber } from 'antd';
import { useState } from 'react';

/**
 * A number box for a list filter: the filter changes when the user leaves the box or presses
 * Enter, not on every keystroke (each change is a request).
 */
export function NumberFilter({
  value,
  onCommit,
  min,
  max,
  placeholder,
  label,
  width = 110,
}: {
  value: number | undefined;
  onCommit: (value: number | undefined) => void;
  min?: number;
  max?: number;
  placeholder?: string;
  label: string;
  width?: number;
}) {
  const [text, setText] = useState<number | null>(value ?? null);
  // Follow the filter when it changes from outside (the URL, "clear filters").
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value ?? null);
  }
  const commit = () => {
    const next = text ?? undefined;
    if (next !== value) onCommit(next);
  };
  return (
    <InputNumber<number>
      value={text}
      min={min}
      max={max}
      precision={0}
      placeholder={placeholder}
      aria-label={label}
      style={{ width }}
      onChange={(v) => setText(v)}
      onBlur={commit}
      onPressEnter={commit}
    />
  );
}
