import { describe, expect, it } from 'vitest';
import { vi as todoVi } from '../../i18n/strings/todo';
import { trainingTodoItems, type TrainingTodo } from './sources';

// The Vietnamese text of a key with its {placeholders} filled, as an officer reads it.
const t = (key: string, vars?: Record<string, string | number>) =>
  ((todoVi as Record<string, string>)[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(vars?.[k] ?? ''));
const counts: TrainingTodo = { due_for_training: 7, overdue_for_training: 4, nominations_to_decide: 2, open_for_nomination: 1 };

describe('training lines of the to-do list', () => {
  it('reminds an organiser of the cadres due for training, the overdue flagged, and the nominations to decide', () => {
    const items = trainingTodoItems(counts, { manage: true, nominate: false }, t);
    expect(items.map((i) => [i.key, i.count, i.to])).toEqual([
      ['training-due', 7, '/training/due'],
      ['training-nominations', 2, '/training/courses?status=planned,open_for_nominations'],
    ]);
    expect(items[0].text).toBe('Cán bộ cần đào tạo, bồi dưỡng theo chức danh');
    expect(items[0].flag).toEqual({ text: '4 quá hạn', tone: 'warning' });
  });

  it('tells a lower union of the courses open for its nominations; no flag when nobody is overdue', () => {
    const items = trainingTodoItems({ ...counts, overdue_for_training: 0 }, { manage: false, nominate: true }, t);
    expect(items.map((i) => i.key)).toEqual(['training-due', 'training-open']);
    expect(items[0].flag).toBeUndefined();
    expect(items[1].to).toBe('/training/courses?status=open_for_nominations');
  });

  it('says nothing when nothing waits or the caller may not act', () => {
    const none = { due_for_training: 0, overdue_for_training: 0, nominations_to_decide: 0, open_for_nomination: 0 };
    expect(trainingTodoItems(none, { manage: true, nominate: true }, t)).toEqual([]);
    expect(trainingTodoItems(counts, { manage: false, nominate: false }, t)).toEqual([]);
  });
});
