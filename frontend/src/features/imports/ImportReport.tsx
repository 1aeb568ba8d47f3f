import { Table, Typography } from 'antd';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import type { ImportRowError } from './api';

/** The validation report: one line per problem, its row and column as in the file, in words. */
export function ImportReport({ errors, truncated }: { errors: ImportRowError[]; truncated?: boolean }) {
  const { t, te } = useI18n();
  const columns = [...new Set(errors.map((e) => e.column).filter((c): c is string => Boolean(c)))];
  return (
    <>
      <Table<ImportRowError & { key: number }>
        size="small"
        dataSource={errors.map((e, i) => ({ ...e, key: i }))}
        scroll={{ x: 640 }}
        data-testid="import-report"
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('imports.problems', { n: formatNumber(n) }) }}
        columns={[
          {
            title: t('imports.row'),
            dataIndex: 'row',
            width: 80,
            align: 'right',
            sorter: (a, b) => (a.row ?? 0) - (b.row ?? 0),
            render: (v: number | null) => (v == null ? <Typography.Text type="secondary">{t('imports.wholeFile')}</Typography.Text> : formatNumber(v)),
          },
          {
            title: t('imports.column'),
            dataIndex: 'column',
            width: 220,
            filters: columns.map((c) => ({ text: c, value: c })),
            onFilter: (value, e) => e.column === value,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('imports.problem'),
            key: 'message',
            render: (_, e) => (
              <div>
                <div>{te(e.code, e.message, e.params)}</div>
                <Typography.Text type="secondary" className="muted-small">
                  {e.code}
                </Typography.Text>
              </div>
            ),
          },
        ]}
      />
      {truncated ? <Typography.Text type="warning">{t('imports.truncated')}</Typography.Text> : null}
    </>
  );
}
