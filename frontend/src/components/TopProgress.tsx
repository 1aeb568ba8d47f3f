import { useI18n } from '../i18n/context';

/**
 * A thin bar across the top of the window while a screen's code is on its way (the Suspense
 * fallback of lazily loaded routes). It appears after a short delay (CSS), so a screen already
 * in the cache never flashes it.
 */
export function TopProgress() {
  const { t } = useI18n();
  return (
    <div className="top-progress" role="progressbar" aria-label={t('common.loadingScreen')} aria-busy="true">
      <div className="top-progress__bar" />
    </div>
  );
}
