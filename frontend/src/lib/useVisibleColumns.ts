import { useCallback, useState } from 'react';

export function readColumns(storageKey: string, fallback: string[]): string[] {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return Array.isArray(parsed) && parsed.every((k) => typeof k === 'string') ? parsed : fallback;
  } catch {
    return fallback;
  }
}

/** The visible columns of a table, remembered in this browser under `storageKey`. */
export function useVisibleColumns(storageKey: string, defaults: string[]) {
  const [visible, setVisibleState] = useState<string[]>(() => readColumns(storageKey, defaults));
  const setVisible = useCallback(
    (keys: string[]) => {
      setVisibleState(keys);
      try {
        localStorage.setItem(storageKey, JSON.stringify(keys));
      } catch {
        // private mode: the choice lasts for this page only
      }
    },
    [storageKey],
  );
  return [visible, setVisible] as const;
}
