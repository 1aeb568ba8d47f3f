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
  'todo.badge': '{n} waiting',
};
