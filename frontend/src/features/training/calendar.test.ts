import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { attendanceBody, defaultSession, marksOn, tally } from './attendance';
import { coursesOn, monthRange, parseMonth } from './calendar';

const course = (title: string, starts_on: string, ends_on: string) => ({ title, starts_on, ends_on });

describe('the course calendar', () => {
  it('reads the month from the address bar and refuses anything else', () => {
    expect(parseMonth('2025-03')?.format('DD/MM/YYYY')).toBe('01/03/2025');
    for (const bad of [undefined, '', '2025-3', '2025-13', '03/2025', '1800-01', '2025-03-01']) expect(parseMonth(bad), String(bad)).toBeUndefined();
  });

  it('asks for every day a six-week grid of the month can show', () => {
    // March 2025 starts on a Saturday: a Monday grid begins on 24/02, a Sunday one on 23/02;
    // six weeks from there end on 06/04 or 05/04.
    expect(monthRange(dayjs('2025-03-01'))).toEqual({ starts_from: '2025-02-22', starts_to: '2025-04-12' });
  });

  it('places a course on each of its days, first and last included', () => {
    const courses = [course('Lý luận chính trị', '2025-03-03', '2025-03-05'), course('An toàn lao động', '2025-03-05', '2025-03-05'), course('Tháng hai', '2025-02-27', '2025-03-01')];
    expect(coursesOn(courses, dayjs('2025-03-02'))).toEqual([]);
    expect(coursesOn(courses, dayjs('2025-03-01')).map((c) => c.title)).toEqual(['Tháng hai']);
    expect(coursesOn(courses, dayjs('2025-03-03')).map((c) => c.title)).toEqual(['Lý luận chính trị']);
    expect(coursesOn(courses, dayjs('2025-03-05')).map((c) => c.title)).toEqual(['Lý luận chính trị', 'An toàn lao động']);
  });
});

describe('bulk attendance', () => {
  const sheet = {
    sessions: ['2025-03-03', '2025-03-04', '2025-03-05'],
    rows: [
      { participant_id: 'an', present_on: ['2025-03-03'], absent_on: ['2025-03-04'] },
      { participant_id: 'binh', present_on: ['2025-03-03', '2025-03-04'], absent_on: [] },
      { participant_id: 'cuong', present_on: [], absent_on: [] },
    ],
    version: 4,
  };

  it("opens on today's session, else the last one before today, else the first", () => {
    expect(defaultSession(sheet.sessions, '2025-03-04')).toBe('2025-03-04');
    expect(defaultSession(sheet.sessions, '2025-12-31')).toBe('2025-03-05');
    expect(defaultSession(sheet.sessions, '2025-01-01')).toBe('2025-03-03');
    expect(defaultSession([], '2025-01-01')).toBeUndefined();
  });

  it("reads each person's mark for the session", () => {
    expect(marksOn(sheet, '2025-03-04')).toEqual({ an: 'absent', binh: 'present', cuong: undefined });
    expect(marksOn(sheet, undefined)).toEqual({});
  });

  it('sends everyone marked, the edits over the recorded marks, and leaves the unmarked out', () => {
    const ids = ['an', 'binh', 'cuong'];
    const recorded = marksOn(sheet, '2025-03-04');
    expect(attendanceBody('2025-03-04', ids, recorded, { an: 'present', binh: 'absent' })).toEqual({
      session_on: '2025-03-04',
      present: ['an'],
      absent: ['binh'],
    });
    expect(attendanceBody('2025-03-05', ids, marksOn(sheet, '2025-03-05'), { cuong: 'absent' })).toEqual({
      session_on: '2025-03-05',
      present: [],
      absent: ['cuong'],
    });
    expect(tally(ids, (id) => recorded[id])).toEqual({ total: 3, present: 1, absent: 1, unmarked: 1 });
  });
});
