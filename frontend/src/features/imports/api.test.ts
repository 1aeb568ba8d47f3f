import { describe, expect, it } from 'vitest';
import { FIRST_POLL_MS, POLL_MS, pollInterval, resultCounts, type ImportJob } from './api';

describe('resultCounts', () => {
  it('reads the sheet read, the sheets and the skipped rows of a report', () => {
    const job = {
      result: { created: 2, bad_rows: 1, sheet: 'Hướng dẫn', sheets: ['Hướng dẫn', 'Đoàn viên'], ignored_rows: [3, 12] },
    } as unknown as ImportJob;
    const counts = resultCounts(job);
    expect(counts.sheet).toBe('Hướng dẫn');
    expect(counts.sheets).toEqual(['Hướng dẫn', 'Đoàn viên']);
    expect(counts.ignoredRows).toEqual([3, 12]);
    expect(resultCounts({ result: {} } as unknown as ImportJob)).toMatchObject({ sheet: null, sheets: [], ignoredRows: [] });
  });
});

describe('pollInterval', () => {
  it('asks quickly at first while a worker runs the job, then every second, then stops', () => {
    expect(pollInterval('validating', 0)).toBe(FIRST_POLL_MS);
    expect(pollInterval('committing', 3)).toBe(FIRST_POLL_MS);
    expect(pollInterval('validating', 50)).toBe(POLL_MS);
    expect(pollInterval('validated', 0)).toBe(false);
    expect(pollInterval(undefined, 0)).toBe(false);
  });
});
