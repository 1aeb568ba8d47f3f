import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type CourseRead = Schemas['CourseRead'];
export type CourseCreate = Schemas['CourseCreate'];
export type CourseUpdate = Schemas['CourseUpdate'];
export type ParticipantRead = Schemas['ParticipantRead'];
export type ResultEntry = Schemas['ResultEntry'];
export type AttendanceRead = Schemas['AttendanceRead'];
export type AttendanceEntry = Schemas['AttendanceEntry'];
export type CertificateRead = Schemas['CertificateRead'];
export type CourseHistoryRow = Schemas['CourseHistoryRow'];
export type MemberQualifications = Schemas['MemberQualifications'];
export type QualificationRead = Schemas['QualificationRead'];
export type QualificationCreate = Schemas['QualificationCreate'];
export type DueRow = Schemas['DueRow'];
export type Compliance = Schemas['Compliance'];
export type Indicator = Schemas['CadreIndicator'];
export type CourseListQuery = NonNullable<paths['/api/v1/training/courses']['get']['parameters']['query']>;
export type DueQuery = NonNullable<paths['/api/v1/training/due']['get']['parameters']['query']>;
export type ComplianceQuery = NonNullable<paths['/api/v1/training/compliance']['get']['parameters']['query']>;
export type SpendingQuery = NonNullable<paths['/api/v1/finance/spending']['get']['parameters']['query']>;
export type SpendingCreate = Schemas['SpendingCreate'];
export type SpendingUpdate = Schemas['SpendingUpdate'];

export const trainingKeys = {
  all: ['training'] as const,
  kinds: ['training', 'kinds'] as const,
  courses: (q: CourseListQuery) => ['training', 'courses', q] as const,
  course: (id: string) => ['training', 'course', id] as const,
  roster: (id: string) => ['training', 'roster', id] as const,
  attendance: (id: string) => ['training', 'attendance', id] as const,
  due: (q: DueQuery) => ['training', 'due', q] as const,
  compliance: (q: ComplianceQuery) => ['training', 'compliance', q] as const,
  spending: (q: SpendingQuery) => ['training', 'spending', q] as const,
  spendingSuggestion: (unionId: string, year: number) => ['training', 'spending-suggestion', unionId, year] as const,
  qualifications: (memberId: string) => ['qualifications', memberId] as const,
  certificates: (memberId: string) => ['qualifications', 'certificates', memberId] as const,
  history: (memberId: string) => ['qualifications', 'courses', memberId] as const,
};

export function useCourseKinds() {
  return useQuery({
    queryKey: trainingKeys.kinds,
    queryFn: () => unwrap(api.GET('/api/v1/training/course-kinds')),
    staleTime: 5 * 60_000,
  });
}

export function useCourses(query: CourseListQuery, enabled = true) {
  return useQuery({
    queryKey: trainingKeys.courses(query),
    queryFn: () => unwrap(api.GET('/api/v1/training/courses', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCourse(id: string) {
  return useQuery({
    queryKey: trainingKeys.course(id),
    queryFn: () => unwrap(api.GET('/api/v1/training/courses/{course_id}', { params: { path: { course_id: id } } })),
  });
}

export function useRoster(id: string) {
  return useQuery({
    queryKey: trainingKeys.roster(id),
    queryFn: () =>
      unwrap(api.GET('/api/v1/training/courses/{course_id}/participants', { params: { path: { course_id: id } } })),
  });
}

export function useAttendance(id: string) {
  return useQuery({
    queryKey: trainingKeys.attendance(id),
    queryFn: () =>
      unwrap(api.GET('/api/v1/training/courses/{course_id}/attendance', { params: { path: { course_id: id } } })),
  });
}

/** Refresh every training screen (after a write; the roster import's, when its job is done). */
export function useRefresh() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: trainingKeys.all }), qc.invalidateQueries({ queryKey: ['qualifications'] })]);
}

export function useCreateCourse() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: CourseCreate) => unwrap(api.POST('/api/v1/training/courses', { body })),
    onSuccess: refresh,
  });
}

export function useUpdateCourse(course: CourseRead | undefined) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: CourseUpdate) =>
      unwrap(
        api.PATCH('/api/v1/training/courses/{course_id}', {
          params: { path: { course_id: course!.id }, header: ifMatch(course!.version) },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}

export function useAddParticipants(courseId: string, nominate: boolean) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (memberIds: string[]) =>
      unwrap(
        nominate
          ? api.POST('/api/v1/training/courses/{course_id}/nominations', {
              params: { path: { course_id: courseId } },
              body: { member_ids: memberIds },
            })
          : api.POST('/api/v1/training/courses/{course_id}/participants', {
              params: { path: { course_id: courseId } },
              body: { member_ids: memberIds },
            }),
      ),
    onSuccess: refresh,
  });
}

export function useDecide(courseId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { accept?: string[]; decline?: string[] }) =>
      unwrap(
        api.POST('/api/v1/training/courses/{course_id}/nominations/decisions', {
          params: { path: { course_id: courseId } },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}

/**
 * Save one session's attendance, conditional on the sheet the officer has on screen (`version`,
 * from the attendance read): if someone saved the sheet since, the API answers 412.
 */
export function useRecordAttendance(courseId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ body, version }: { body: AttendanceEntry; version: number }) =>
      unwrap(
        api.PUT('/api/v1/training/courses/{course_id}/attendance', {
          params: { path: { course_id: courseId }, header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}

export function useRecordResults(courseId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (results: ResultEntry[]) =>
      unwrap(
        api.PUT('/api/v1/training/courses/{course_id}/results', {
          params: { path: { course_id: courseId } },
          body: { results },
        }),
      ),
    onSuccess: refresh,
  });
}

export function useQualifications(memberId: string, enabled = true) {
  return useQuery({
    queryKey: trainingKeys.qualifications(memberId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/members/{member_id}/qualifications', { params: { path: { member_id: memberId } } })),
    enabled,
  });
}

export function useAddQualification(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: QualificationCreate) =>
      unwrap(api.POST('/api/v1/members/{member_id}/qualifications', { params: { path: { member_id: memberId } }, body })),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ['qualifications'] }), qc.invalidateQueries({ queryKey: ['members'] })]),
  });
}

export function useDeleteQualification(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (q: QualificationRead) =>
      unwrap(
        api.DELETE('/api/v1/members/{member_id}/qualifications/{qualification_id}', {
          params: { path: { member_id: memberId, qualification_id: q.id }, header: ifMatch(q.version) },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['qualifications'] }),
  });
}

export function useDue(query: DueQuery) {
  return useQuery({
    queryKey: trainingKeys.due(query),
    queryFn: () => unwrap(api.GET('/api/v1/training/due', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useCompliance(query: ComplianceQuery) {
  return useQuery({
    queryKey: trainingKeys.compliance(query),
    queryFn: () => unwrap(api.GET('/api/v1/training/compliance', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** Upload a course's roster, attendance and results (.xlsx/.csv in the export's layout): the
 * queued import job, checked by a worker; the dialog polls it and commits it (features/imports). */
export function useImportRoster(courseId: string) {
  return useMutation({
    mutationFn: ({ file }: { file: File }) =>
      unwrap(
        api.POST('/api/v1/training/courses/{course_id}/roster/import', {
          params: { path: { course_id: courseId } },
          // The generated type says "string" for the binary part; the serializer sends the File.
          body: { file: '' },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', file, file.name);
            return form;
          },
        }),
      ),
  });
}

export function useCertificates(memberId: string) {
  return useQuery({
    queryKey: trainingKeys.certificates(memberId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/members/{member_id}/certificates', { params: { path: { member_id: memberId } } })),
  });
}

/** Every course the person was on, with the result (their training history). */
export function useCourseHistory(memberId: string) {
  return useQuery({
    queryKey: trainingKeys.history(memberId),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}/courses', { params: { path: { member_id: memberId } } })),
  });
}

export function useSpendingList(query: SpendingQuery) {
  return useQuery({
    queryKey: trainingKeys.spending(query),
    queryFn: () => unwrap(api.GET('/api/v1/finance/spending', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** What the union's course budgets of the year suggest as training spend (before entering it). */
export function useSpendingSuggestion(unionId: string | undefined, year: number | undefined) {
  return useQuery({
    queryKey: trainingKeys.spendingSuggestion(unionId ?? '', year ?? 0),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/finance/spending/suggestion/{union_id}/{year}', {
          params: { path: { union_id: unionId!, year: year! } },
        }),
      ),
    enabled: !!unionId && !!year,
  });
}

export function useCreateSpending() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: SpendingCreate) => unwrap(api.POST('/api/v1/finance/spending', { body })),
    onSuccess: refresh,
  });
}

/** Change figures the officer has on screen (`version`): someone else's save since answers 412. */
export function useUpdateSpending() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: SpendingUpdate }) =>
      unwrap(
        api.PATCH('/api/v1/finance/spending/{spending_id}', {
          params: { path: { spending_id: id }, header: ifMatch(version) },
          body,
        }),
      ),
    onSuccess: refresh,
  });
}

export type SpendingAction = 'submit' | 'approve' | 'return';

export function useSpendingTransition() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, version, action, comment }: { id: string; version: number; action: SpendingAction; comment?: string }) =>
      unwrap(
        api.POST('/api/v1/finance/spending/{spending_id}/{action}', {
          params: { path: { spending_id: id, action }, header: ifMatch(version) },
          body: comment ? { comment } : undefined,
        }),
      ),
    onSuccess: refresh,
  });
}
