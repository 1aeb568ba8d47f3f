/**
 * The lines of the to-do list (TodoList) and the menu badges, one hook per domain. Each answers
 * [] while its data loads or when the user may not do that work.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { useI18n, type I18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useTodo } from '../evaluations/api';

export type TodoItem = {
  key: string;
  text: string;
  count: number;
  to: string;
  flag?: { text: string; tone: 'warning' | 'danger' };
};

/** Incoming transfer requests waiting for the caller's decision (the Transfers badge too). */
export function useTransfersWaiting() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['members', 'transfers', 'waiting'],
    queryFn: () => unwrap(api.GET('/api/v1/members/transfers/waiting')),
    enabled: can('members:write'),
    staleTime: 60_000,
  });
}

export function useTransferTodo(): TodoItem[] {
  const { t } = useI18n();
  const { data } = useTransfersWaiting();
  if (!data || !data.incoming) return [];
  const flags = [
    data.overdue ? t('todo.transfersOverdue', { n: formatNumber(data.overdue), days: data.overdue_days }) : null,
    data.escalated ? t('todo.transfersEscalated', { n: formatNumber(data.escalated) }) : null,
  ].filter((f): f is string => Boolean(f));
  return [
    {
      key: 'transfers',
      text: t('todo.transfers'),
      count: data.incoming,
      to: '/transfers',
      flag: flags.length ? { text: flags.join(' · '), tone: data.escalated ? 'danger' : 'warning' } : undefined,
    },
  ];
}

export function useEvaluationTodo(): TodoItem[] {
  const { t } = useI18n();
  const { can } = useAuth();
  const { data } = useTodo(can('evaluations:read'));
  if (!data) return [];
  const items: TodoItem[] = [];
  if (can('evaluations:appraise') && data.to_appraise)
    items.push({
      key: 'appraise',
      text: t('todo.toAppraise'),
      count: data.to_appraise,
      to: data.overdue_appraisals ? '/evaluations?tab=late' : '/evaluations',
      flag: data.overdue_appraisals ? { text: t('evaluations.overdue', { n: formatNumber(data.overdue_appraisals) }), tone: 'warning' } : undefined,
    });
  if (data.to_submit)
    items.push({
      key: 'submit',
      text: t('todo.toSubmit'),
      count: data.to_submit,
      to: data.overdue_self_assessments ? '/evaluations?tab=late' : '/evaluations',
      flag: data.overdue_self_assessments
        ? { text: t('evaluations.overdue', { n: formatNumber(data.overdue_self_assessments) }), tone: 'warning' }
        : undefined,
    });
  return items;
}

export type TrainingTodo = Schemas['TrainingTodo'];

/** What the officer may do in training, for trainingTodoItems. */
export type TrainingRights = { manage: boolean; nominate: boolean };

/**
 * The training lines (issue 11's reminders): cadres due for the training their post asks for
 * (the overdue ones flagged), nominations waiting on the courses the caller runs, and open
 * courses inviting the caller's unions. A line shows only to whom may act on it; the due list is for organisers and
 * nominators alike.
 */
export function trainingTodoItems(data: TrainingTodo, rights: TrainingRights, t: I18n['t']): TodoItem[] {
  const items: TodoItem[] = [];
  if ((rights.manage || rights.nominate) && data.due_for_training)
    items.push({
      key: 'training-due',
      text: t('todo.trainingDue'),
      count: data.due_for_training,
      to: '/training/due',
      flag: data.overdue_for_training ? { text: t('todo.trainingOverdue', { n: formatNumber(data.overdue_for_training) }), tone: 'warning' } : undefined,
    });
  if (rights.manage && data.nominations_to_decide)
    items.push({
      key: 'training-nominations',
      text: t('todo.trainingNominations'),
      count: data.nominations_to_decide,
      to: '/training/courses?status=planned,open_for_nominations',
    });
  if (rights.nominate && data.open_for_nomination)
    items.push({
      key: 'training-open',
      text: t('todo.trainingOpen'),
      count: data.open_for_nomination,
      to: '/training/courses?status=open_for_nominations',
    });
  return items;
}

export function useTrainingTodo(): TodoItem[] {
  const { t } = useI18n();
  const { can } = useAuth();
  const rights = { manage: can('training:manage'), nominate: can('training:nominate') };
  const { data } = useQuery({
    queryKey: ['training', 'todo'],
    queryFn: () => unwrap(api.GET('/api/v1/training/todo')),
    enabled: can('training:read') && (rights.manage || rights.nominate),
    staleTime: 60_000,
  });
  return data ? trainingTodoItems(data, rights, t) : [];
}
