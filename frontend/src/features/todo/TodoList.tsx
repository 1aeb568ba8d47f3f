import { Card, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { useEvaluationTodo, useTrainingTodo, useTransferTodo, type TodoItem } from './sources';

/**
 * "Việc cần làm": what waits for the signed-in officer, one line per kind of work, each a link
 * to the list behind it. Each domain brings its lines as a hook in ./sources.ts (transfers to
 * decide, evaluations to appraise, cadres overdue for training, ...); a new kind of work adds one hook there and one line
 * below, and nothing else changes.
 */
export function TodoList() {
  const { t } = useI18n();
  const items: TodoItem[] = [...useTransferTodo(), ...useEvaluationTodo(), ...useTrainingTodo()].filter((i) => i.count > 0);
  return (
    <Card title={<span id="todo-title">{t('todo.title')}</span>} size="small" data-testid="todo-list">
      {items.length ? (
        <List
          aria-labelledby="todo-title"
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item key={item.key} data-testid={`todo-${item.key}`}>
              <Link to={item.to}>{item.text}</Link>
              <span>
                {item.flag ? (
                  <Tag color={item.flag.tone === 'danger' ? 'red' : 'orange'} data-testid={`todo-${item.key}-flag`}>
                    {item.flag.text}
                  </Tag>
                ) : null}
                <Typography.Text strong>{formatNumber(item.count)}</Typography.Text>
              </span>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text type="secondary">{t('todo.nothing')}</Typography.Text>
      )}
    </Card>
  );
}
