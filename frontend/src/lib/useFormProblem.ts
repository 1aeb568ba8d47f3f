import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { mapProblemToForm, toApiError } from '../api/problem';
import { useI18n } from '../i18n/context';

/**
 * Shows an API error on a form: field errors next to their fields (translated from their code),
 * anything else in `general` for an Alert above the form.
 */
export function useFormProblem(
  form: FormInstance,
  fieldNames: readonly string[],
  aliases?: Readonly<Record<string, string>>,
) {
  const { te } = useI18n();
  const [general, setGeneral] = useState<string[]>([]);

  const show = useCallback(
    (error: unknown) => {
      const problem = toApiError(error).problem;
      const mapped = mapProblemToForm(problem, fieldNames, te, aliases);
      form.setFields(mapped.fields);
      setGeneral(mapped.general);
      return mapped;
    },
    [form, fieldNames, aliases, te],
  );

  const clear = useCallback(() => setGeneral([]), []);
  return { general, show, clear };
}
