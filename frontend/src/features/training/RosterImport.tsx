import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { sheetCounts } from '../imports/api';
import { SheetImportModal } from '../imports/SheetImportModal';
import { useImportRoster, useRefresh, type CourseRead } from './api';

/**
 * A course's roster, attendance and results from a spreadsheet in the export's layout: checked
 * first on a worker (every problem by row and column), written only when every row passes.
 */
export function RosterImportModal({ course, onClose }: { course: CourseRead; onClose: () => void }) {
  const { t } = useI18n();
  const upload = useImportRoster(course.id);
  const refresh = useRefresh();
  return (
    <SheetImportModal
      testId="roster-import"
      upload={(file) => upload.mutateAsync({ file })}
      onCommitted={() => void refresh()}
      onClose={onClose}
      texts={{
        title: t('rosterImport.title', { course: course.title }),
        hint: t('rosterImport.hint'),
        drop: t('rosterImport.drop'),
        check: t('rosterImport.check'),
        commit: t('rosterImport.commit'),
        summary: (counts) => t('rosterImport.summary', counts),
        committed: (job) => {
          const c = sheetCounts(job);
          return t('rosterImport.committed', {
            added: formatNumber(c.added ?? 0),
            updated: formatNumber(c.updated ?? 0),
            unchanged: formatNumber(c.unchanged ?? 0),
          });
        },
        row: t('rosterImport.row'),
        column: t('rosterImport.column'),
        problem: t('rosterImport.problem'),
      }}
    />
  );
}
