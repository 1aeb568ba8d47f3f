import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { SheetImportModal } from '../imports/SheetImportModal';
import { useImportRoundResults, useInvalidate, type RoundRead } from './api';

/**
 * A round's results from a spreadsheet in the export's layout: the file is checked first on a
 * worker (every problem by row and column), and written only when every row passes - all rows
 * or none.
 */
export function RoundImportModal({ round, onClose }: { round: RoundRead; onClose: () => void }) {
  const { t } = useI18n();
  const upload = useImportRoundResults(round.id);
  const invalidate = useInvalidate();
  return (
    <SheetImportModal
      testId="round-import"
      upload={(file) => upload.mutateAsync({ file })}
      onCommitted={() => void invalidate()}
      onClose={onClose}
      texts={{
        title: t('roundImport.title', { round: round.name }),
        hint: t('roundImport.hint'),
        drop: t('roundImport.drop'),
        check: t('roundImport.check'),
        commit: t('roundImport.commit'),
        summary: (counts) => t('roundImport.summary', counts),
        committed: (job) => t('roundImport.committed', { n: formatNumber(job.total_rows) }),
        row: t('roundImport.row'),
        column: t('roundImport.column'),
        problem: t('roundImport.problem'),
      }}
    />
  );
}
