import { SheetImportModal } from '../../components/SheetImportModal';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { useImportRoundResults, type RoundRead } from './api';

/**
 * A round's results from a spreadsheet in the export's layout: the file is checked first (every
 * problem by row and column), and written only when every row passes - all rows or none.
 */
export function RoundImportModal({ round, onClose }: { round: RoundRead; onClose: () => void }) {
  const { t } = useI18n();
  const upload = useImportRoundResults(round.id);
  return (
    <SheetImportModal
      testId="round-import"
      pending={upload.isPending}
      upload={(file, dryRun) => upload.mutateAsync({ file, dryRun })}
      onClose={onClose}
      texts={{
        title: t('roundImport.title', { round: round.name }),
        hint: t('roundImport.hint'),
        drop: t('roundImport.drop'),
        check: t('roundImport.check'),
        commit: t('roundImport.commit'),
        summary: (counts) => t('roundImport.summary', counts),
        committed: (r) => t('roundImport.committed', { n: formatNumber(r.total_rows) }),
        row: t('roundImport.row'),
        column: t('roundImport.column'),
        problem: t('roundImport.problem'),
      }}
    />
  );
}
