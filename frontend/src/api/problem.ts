/** RFC 9457 problem+json bodies from the API, and mapping them onto form fields. */
import type { AnyErrorCode, ErrorParams } from '../i18n/errorParams';

export interface FieldProblem {
  field: string;
  in?: string;
  code: AnyErrorCode;
  message: string;
  params?: ErrorParams | null;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status: number;
  detail?: string | null;
  code: AnyErrorCode;
  params?: ErrorParams | null;
  request_id?: string | null;
  errors?: FieldProblem[] | null;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): AnyErrorCode {
    return this.problem.code;
  }
}

export function isProblem(value: unknown): value is ProblemBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProblemBody).status === 'number' &&
    typeof (value as ProblemBody).code === 'string'
  );
}

/** Any thrown value -> ApiError (network failures become code "network_error"). */
export function toApiError(error: unknown, status = 0): ApiError {
  if (error instanceof ApiError) return error;
  if (isProblem(error)) return new ApiError(error);
  const message = error instanceof Error ? error.message : String(error ?? '');
  return new ApiError({ status, code: status ? 'http_error' : 'network_error', detail: message });
}

export type NamePath = (string | number)[];
export type Translate = (code: AnyErrorCode, fallback: string, params?: ErrorParams | null) => string;

export interface MappedProblem {
  /** For Form.setFields: one entry per form field that an error names. */
  fields: { name: NamePath; errors: string[] }[];
  /** Messages that belong to no field of the form (shown above the form). */
  general: string[];
}

/** "roles.0.union_id" -> ["roles", 0, "union_id"] (antd Form name paths). */
export function fieldPath(field: string): NamePath {
  return field
    .split('.')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Splits a problem into errors shown next to their fields and the rest.
 * `fieldNames` lists the form's fields; `aliases` maps API field names to form field names when
 * they differ (e.g. the API's "If-Match" header problem is no form field).
 */
export function mapProblemToForm(
  problem: ProblemBody,
  fieldNames: readonly string[],
  translate: Translate,
  aliases: Readonly<Record<string, string>> = {},
): MappedProblem {
  const known = new Set(fieldNames);
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const general: string[] = [];
  for (const err of problem.errors ?? []) {
    const apiField = err.field ?? '';
    const formField = aliases[apiField] ?? apiField;
    const path = fieldPath(formField);
    const top = String(path[0] ?? '');
    const text = translate(err.code, err.message, err.params);
    if (path.length && known.has(top)) {
      const key = path.join('.');
      const entry = byField.get(key) ?? { name: path, errors: [] };
      entry.errors.push(text);
      byField.set(key, entry);
    } else {
      general.push(text);
    }
  }
  if (!problem.errors?.length) {
    general.push(translate(problem.code, problem.detail || problem.title || problem.code, problem.params));
  }
  return { fields: [...byField.values()], general };
}
