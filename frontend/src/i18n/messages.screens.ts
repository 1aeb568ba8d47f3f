/** Vietnamese strings of the screens only a signed-in user opens, loaded after sign-in
 * (i18n/load.ts `loadScreenStrings`); the English ones are in messages.en.ts. */
import { vi as auditVi } from './strings/audit';
import { vi as clientsVi } from './strings/clients';
import { vi as evaluationsVi } from './strings/evaluations';
import { vi as programmesVi } from './strings/programmes';
import { vi as reportsVi } from './strings/reports';
import { vi as trainingVi } from './strings/training';
import { vi as importsVi } from './strings/imports';
import { vi as todoVi } from './strings/todo';

export const screens = {
  ...programmesVi,
  ...auditVi,
  ...evaluationsVi,
  ...trainingVi,
  ...reportsVi,
  ...clientsVi,
  ...importsVi,
  ...todoVi,
};
