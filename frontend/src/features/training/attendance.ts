import type { AttendanceEntry, AttendanceRead } from './api';

/** A participant's mark for one session: present, absent, or not marked yet. */
export type Mark = 'present' | 'absent' | undefined;

/**
 * The session the grid opens on: today's when there is one, else the last one before today
 * (the one usually being entered), else the first (a course still to come).
 */
export function defaultSession(sessions: readonly string[], today: string): string | undefined {
  if (sessions.includes(today)) return today;
  const past = sessions.filter((d) => d < today);
  return past.length ? past[past.length - 1] : sessions[0];
}

/** Each participant's recorded mark for `session`. */
export function marksOn(sheet: AttendanceRead | undefined, session: string | undefined): Record<string, Mark> {
  const out: Record<string, Mark> = {};
  if (!sheet || !session) return out;
  for (const row of sheet.rows) {
    out[row.participant_id] = row.present_on.includes(session) ? 'present' : row.absent_on.includes(session) ? 'absent' : undefined;
  }
  return out;
}

/**
 * The request body for `session`: the recorded marks with the edits over them. People still
 * unmarked are left out (the server keeps what it has for them: nothing).
 */
export function attendanceBody(
  session: string,
  participantIds: readonly string[],
  recorded: Record<string, Mark>,
  edits: Record<string, Mark>,
): AttendanceEntry & { present: string[]; absent: string[] } {
  const present: string[] = [];
  const absent: string[] = [];
  for (const id of participantIds) {
    const mark = edits[id] ?? recorded[id];
    if (mark === 'present') present.push(id);
    else if (mark === 'absent') absent.push(id);
  }
  return { session_on: session, present, absent };
}

/** Counts for the line under the grid. */
export function tally(participantIds: readonly string[], marks: (id: string) => Mark) {
  let present = 0;
  let absent = 0;
  for (const id of participantIds) {
    const m = marks(id);
    if (m === 'present') present += 1;
    else if (m === 'absent') absent += 1;
  }
  return { total: participantIds.length, present, absent, unmarked: participantIds.length - present - absent };
}
