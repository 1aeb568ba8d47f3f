import { Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';

/** A failed load: what went wrong (translated) and a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, te } = useI18n();
  const problem = toApiError(error).problem;
  const status = problem.status === 403 ? '403' : problem.status === 404 ? '404' : 'error';
  return (
    <Result
      status={status}
      title={t(status === '403' ? 'state.forbidden' : status === '404' ? 'state.notFound' : 'state.error')}
      subTitle={te(problem.code, problem.detail || problem.title || '', problem.params)}
      extra={
        onRetry ? (
          <Button onClick={onRetry} type="primary">
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

export function LoadingState({ rows = 4 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <div role="status" aria-label={t('common.loading')}>
      <Skeleton active paragraph={{ rows }} />
    </div>
  );
}

export function EmptyState({ description, children }: { description: ReactNode; children?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description}>
      {children}
    </Empty>
  );
}

export function ForbiddenState() {
  const { t, te } = useI18n();
  return <Result status="403" title={t('state.forbidden')} subTitle={te('permission_denied', '')} />;
}
