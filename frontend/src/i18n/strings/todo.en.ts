/** English for strings/todo.ts (loaded only when the English switch is on). */
import type { vi } from './todo';

export const en: Record<keyof typeof vi, string> = {
  'todo.title': 'To do',
  'todo.nothing': 'Nothing is waiting for you.',
  'todo.transfers': 'Incoming transfer requests to decide',
  'todo.transfersOverdue': '{n} waiting over {days} days',
  'todo.transfersEscalated': '{n} escalated to the upper union',
  'todo.toAppraise': 'Evaluations waiting for your appraisal',
  'todo.toSubmit': 'Units that have not submitted their self-assessment',
  'todo.trainingDue': 'Cadres due for the training their post requires',
  'todo.trainingOverdue': '{n} overdue',
  'todo.trainingNominations': 'Nominations waiting for you to accept or decline',
  'todo.trainingOpen': 'Courses taking nominations from your unions',
  'todo.badge': '{n} waiting',
};
