import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AuthProvider } from '../features/auth/AuthProvider';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Lang } from '../i18n/lang';

/** Renders `element` at `path` inside the app's providers (the API is whatever fetch is stubbed to). */
export function renderRoute(
  element: ReactElement,
  { path = '/', at = path, lang = 'vi', extra = [] }: { path?: string; at?: string; lang?: Lang; extra?: { path: string; element: ReactElement }[] } = {},
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // As after a sign-in: the server's session hint is set, so the app asks /auth/refresh.
  document.cookie = 'uh_session=1; Path=/';
  const router = createMemoryRouter([{ path, element }, ...extra], { initialEntries: [at] });
  const result = render(
    <QueryClientProvider client={client}>
      <I18nProvider lang={lang}>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...result, router };
}
