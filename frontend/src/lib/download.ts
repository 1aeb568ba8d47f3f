import { authFetch } from '../api/client';
import { ApiError, isProblem } from '../api/problem';

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** A query string as the API reads it: repeated keys for lists, empty values left out. */
export function toQueryString(query: Readonly<Record<string, QueryValue>>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => out.append(key, String(v)));
    else out.append(key, String(value));
  }
  return out.toString();
}

/** The file name a Content-Disposition header proposes (RFC 6266: filename* wins over filename). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed escape: try the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || fallback;
}

/**
 * Downloads a file the API streams (exports, templates, error reports). A plain link would not
 * carry the access token, which lives in memory only, so the file is fetched and saved from a blob.
 */
export async function downloadFile(path: string, query: Readonly<Record<string, QueryValue>>, fallbackName: string): Promise<string> {
  const qs = toQueryString(query);
  const url = new URL(`${path}${qs ? `?${qs}` : ''}`, globalThis.location.origin);
  const response = await authFetch(new Request(url));
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(
      isProblem(body) ? body : { status: response.status, code: response.status === 404 ? 'not_found' : 'http_error' },
    );
  }
  const name = filenameFromDisposition(response.headers.get('Content-Disposition'), fallbackName);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
