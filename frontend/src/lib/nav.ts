/** Only same-site paths: a "next" parameter must not send the user to another origin. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/signin')) {
    return '/';
  }
  return next;
}
