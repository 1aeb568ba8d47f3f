import type { ColumnsType } from 'antd/es/table';

/**
 * Columns for a table that turns into a stack of cards on a phone (below 768 px, styles.css
 * `.card-table`): each cell carries its column's title, which the card shows beside the value.
 * On wider screens nothing changes.
 */
export function cardColumns<T>(columns: ColumnsType<T>): ColumnsType<T> {
  return columns.map((c) => {
    const label = typeof c.title === 'string' ? c.title : '';
    const own = c.onCell;
    return {
      ...c,
      onCell: (record: T, index?: number) => ({ ...(own ? own(record, index) : {}), 'data-label': label }) as React.HTMLAttributes<HTMLElement>,
    };
  });
}
