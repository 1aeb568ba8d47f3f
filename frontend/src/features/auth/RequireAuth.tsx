import { Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../../i18n/context';
import { loadScreenStrings, screenStringsReady } from '../../i18n/load';
import { useAuth } from './context';

/** Renders its children for a signed-in user; otherwise goes to sign-in and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  // The signed-in screens' strings arrive after sign-in (i18n/load.ts); wait for them.
  const [stringsIn, setStringsIn] = useState(screenStringsReady);
  useEffect(() => {
    if (status === 'signedIn' && !stringsIn) void loadScreenStrings().then(() => setStringsIn(true));
  }, [status, stringsIn]);
  if (status === 'loading' || (status === 'signedIn' && !stringsIn)) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" description={t('common.loading')}>
          <div style={{ width: 120, height: 60 }} />
        </Spin>
      </div>
    );
  }
  if (status === 'signedOut') {
    const next = location.pathname + location.search;
    const to = next && next !== '/' ? `/signin?next=${encodeURIComponent(next)}` : '/signin';
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}
