import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the address bar, so a filtered list can be bookmarked and shared.
 * Each key has a kind; anything a hand-edited URL gets wrong is dropped, never passed on.
 */
export type ParamKind = 'string' | 'int' | 'bool' | 'list';
export type ParamSpec = Readonly<Record<string, ParamKind>>;

type ValueOf<K extends ParamKind> = K extends 'int' ? number : K extends 'bool' ? boolean : K extends 'list' ? string[] : string;
export type ParamValues<S extends ParamSpec> = { [K in keyof S]?: ValueOf<S[K]> };

const INT = /^-?\d{1,9}$/;

export function readParams<S extends ParamSpec>(params: URLSearchParams, spec: S): ParamValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(spec)) {
    if (kind === 'list') {
      const items = params
        .getAll(key)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      if (items.length) out[key] = [...new Set(items)];
      continue;
    }
    const raw = params.get(key)?.trim();
    if (!raw) continue;
    if (kind === 'string') out[key] = raw;
    else if (kind === 'int' && INT.test(raw)) out[key] = Number(raw);
    else if (kind === 'bool' && (raw === '1' || raw === 'true')) out[key] = true;
    else if (kind === 'bool' && (raw === '0' || raw === 'false')) out[key] = false;
  }
  return out as ParamValues<S>;
}

/** Values -> a short query string: lists joined with commas, booleans as 1/0, empty values left out. */
export function writeParams<S extends ParamSpec>(values: ParamValues<S>, spec: S): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, kind] of Object.entries(spec)) {
    const v = (values as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '') continue;
    if (kind === 'list') {
      const items = (v as string[]).filter(Boolean);
      if (items.length) out.set(key, items.join(','));
    } else if (kind === 'bool') {
      out.set(key, v ? '1' : '0');
    } else if (kind === 'int') {
      if (Number.isFinite(v)) out.set(key, String(v));
    } else {
      out.set(key, String(v).trim());
    }
  }
  return out;
}

/**
 * The filters of a list page, read from and written to the URL. `update` merges a patch; any
 * change other than the page itself goes back to page 1.
 */
export function useUrlFilters<S extends ParamSpec>(spec: S) {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for `params`
  const values = useMemo(() => readParams(params, spec), [key, spec]);
  const update = useCallback(
    (patch: ParamValues<S>) => {
      setParams(
        (current) => {
          const merged: Record<string, unknown> = { ...readParams(current, spec), ...patch };
          if (!('page' in patch) && 'page' in spec) delete merged.page;
          return writeParams(merged as ParamValues<S>, spec);
        },
        { replace: true },
      );
    },
    [setParams, spec],
  );
  const reset = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  return { values, update, reset };
}
