import { SheetImportModal } from '../../components/SheetImportModal';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { useImportRoster, type CourseRead } from './api';

/**
 * A course's roster, attendance and results from a spreadsheet in the export's layout: checked
 * first (every problem by row and column), written only when every row passes.
 */
export function RosterImportModal({ course, onClose }: { course: CourseRead; onClose: () => void }) {
  const { t } = useI18n();
  const upload = useImportRoster(course.id);
  return (
    <SheetImportModal
      testId="roster-import"
      pending={upload.isPending}
      upload={(file, dryRun) => upload.mutateAsync({ file, dryRun })}
      onClose={onClose}
      texts={{
        title: t('rosterImport.title', { course: course.title }),
        hint: t('rosterImport.hint'),
        drop: t('rosterImport.drop'),
        check: t('rosterImport.check'),
        commit: t('rosterImport.commit'),
        summary: (counts) => t('rosterImport.summary', counts),
        committed: (r) =>
          t('rosterImport.committed', {
            added: formatNumber(r.counts.added ?? 0),
            updated: formatNumber(r.counts.updated ?? 0),
            unchanged: formatNumber(r.counts.unchanged ?? 0),
          }),
        row: t('rosterImport.row'),
        column: t('rosterImport.column'),
        problem: t('rosterImport.problem'),
      }}
    />
  );
}
