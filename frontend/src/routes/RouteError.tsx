import { Button, Result } from 'antd';
import { useRouteError } from 'react-router';
import { useI18n } from '../i18n/context';

/** A render error or a chunk that failed to load (e.g. after a new release): offer a reload. */
export function RouteError() {
  const error = useRouteError();
  const { t } = useI18n();
  console.error(error);
  return (
    <Result
      status="error"
      title={t('state.error')}
      subTitle={t('state.reloadHint')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      }
    />
  );
}
