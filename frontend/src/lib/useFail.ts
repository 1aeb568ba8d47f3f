import { App } from 'antd';
import { toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';

/** An action's refusal as a message: the first field problem, else the problem's code. */
export function useFail(): (e: unknown) => void {
  const { te } = useI18n();
  const { message } = App.useApp();
  return (e: unknown) => {
    const p = toApiError(e).problem;
    const field = p.errors?.[0];
    message.error(field ? te(field.code, field.message, field.params) : te(p.code, p.detail || '', p.params));
  };
}
