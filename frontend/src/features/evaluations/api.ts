import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type RoundRead = Schemas['RoundRead'];
export type SchemeRead = Schemas['SchemeRead'];
export type EvaluationRead = Schemas['EvaluationRead'];
export type EvaluationDetail = Schemas['EvaluationDetail'];
export type Suggestion = Schemas['Suggestion'];
export type EvaluationUpdate = Schemas['EvaluationUpdate'];
export type EvaluationStatus = Schemas['EvaluationStatus'];
export type Summary = Schemas['Summary'];
export type SummaryRow = Schemas['SummaryRow'];
export type SummaryYears = Schemas['SummaryYears'];
export type EvidenceRead = Schemas['EvidenceRead'];
export type PartRead = Schemas['PartRead'];
export type PartSet = Schemas['PartSet'];
export type EvaluationListQuery = NonNullable<paths['/api/v1/evaluations']['get']['parameters']['query']>;
export type RoundListQuery = NonNullable<paths['/api/v1/evaluation-rounds']['get']['parameters']['query']>;
export type SummaryQuery = paths['/api/v1/evaluations/summary']['get']['parameters']['query'];

export const evaluationKeys = {
  all: ['evaluations'] as const,
  rounds: (q: RoundListQuery) => ['evaluations', 'rounds', q] as const,
  round: (id: string) => ['evaluations', 'round', id] as const,
  schemes: ['evaluations', 'schemes'] as const,
  scheme: (id: string) => ['evaluations', 'scheme', id] as const,
  list: (q: EvaluationListQuery) => ['evaluations', 'list', q] as const,
  detail: (id: string) => ['evaluations', 'detail', id] as const,
  history: (id: string) => ['evaluations', 'history', id] as const,
  evidence: (id: string) => ['evaluations', 'evidence', id] as const,
  parts: (roundId: string) => ['evaluations', 'parts', roundId] as const,
  todo: ['evaluations', 'todo'] as const,
  summary: (q: SummaryQuery) => ['evaluations', 'summary', q] as const,
  years: (unionId: string | undefined) => ['evaluations', 'years', unionId ?? 'mine'] as const,
};

export function useRounds(query: RoundListQuery) {
  return useQuery({
    queryKey: evaluationKeys.rounds(query),
    queryFn: () => unwrap(api.GET('/api/v1/evaluation-rounds', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useRound(id: string | undefined) {
  return useQuery({
    queryKey: evaluationKeys.round(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/evaluation-rounds/{round_id}', { params: { path: { round_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useSchemes(enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.schemes,
    queryFn: () => unwrap(api.GET('/api/v1/evaluation-schemes')),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useScheme(id: string | undefined) {
  return useQuery({
    queryKey: evaluationKeys.scheme(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/evaluation-schemes/{scheme_id}', { params: { path: { scheme_id: id! } } })),
    enabled: Boolean(id),
    // A scheme version never changes once written.
    staleTime: Infinity,
  });
}

export function useEvaluationList(query: EvaluationListQuery, enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/evaluations', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEvaluation(id: string | undefined) {
  return useQuery({
    queryKey: evaluationKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/evaluations/{evaluation_id}', { params: { path: { evaluation_id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useEvaluationHistory(id: string) {
  return useQuery({
    queryKey: evaluationKeys.history(id),
    queryFn: () => unwrap(api.GET('/api/v1/evaluations/{evaluation_id}/history', { params: { path: { evaluation_id: id } } })),
  });
}

export function useTodo(enabled = true) {
  return useQuery({
    queryKey: evaluationKeys.todo,
    queryFn: () => unwrap(api.GET('/api/v1/evaluations/todo')),
    enabled,
    staleTime: 60_000,
  });
}

export function useSummary(query: SummaryQuery) {
  return useQuery({
    queryKey: evaluationKeys.summary(query),
    queryFn: () => unwrap(api.GET('/api/v1/evaluations/summary', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useSummaryYears(unionId: string | undefined) {
  return useQuery({
    queryKey: evaluationKeys.years(unionId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/evaluations/summary/years', { params: { query: unionId ? { union_id: unionId } : {} } })),
  });
}

/** Refresh every evaluations screen (after a write; the results import's, when its job is done). */
export function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: evaluationKeys.all });
}

export function useOpenRound() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['RoundCreate']) => unwrap(api.POST('/api/v1/evaluation-rounds', { body })),
    onSuccess: invalidate,
  });
}

export function usePublishRound(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/evaluation-rounds/{round_id}/publish', { params: { path: { round_id: id } } })),
    onSuccess: invalidate,
  });
}

/** Upload a round's results (.xlsx/.csv in the export's layout): the queued import job, checked
 * by a worker; the dialog polls it and commits it (features/imports). */
export function useImportRoundResults(id: string) {
  return useMutation({
    mutationFn: ({ file }: { file: File }) =>
      unwrap(
        api.POST('/api/v1/evaluation-rounds/{round_id}/import', {
          params: { path: { round_id: id } },
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

export function useReopenRound(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/api/v1/evaluation-rounds/{round_id}/reopen', { params: { path: { round_id: id } }, body: { reason } })),
    onSuccess: invalidate,
  });
}

export type EvaluationAction = 'submit' | 'return' | 'approve' | 'reopen';

/**
 * One step on an evaluation: optionally save a sheet first (PATCH), then the action with the
 * version the save returned. Returns the evaluation as the server left it.
 */
export function useEvaluationStep(evaluation: EvaluationDetail) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ save, action, text }: { save?: EvaluationUpdate; action?: EvaluationAction; text?: string }) => {
      const path = { evaluation_id: evaluation.id };
      let current: EvaluationDetail = evaluation;
      if (save) {
        current = await unwrap(
          api.PATCH('/api/v1/evaluations/{evaluation_id}', { params: { path, header: ifMatch(current.version) }, body: save }),
        );
      }
      const params = { path, header: ifMatch(current.version) };
      if (action === 'submit') return unwrap(api.POST('/api/v1/evaluations/{evaluation_id}/submit', { params, body: { note: text || null } }));
      if (action === 'approve') return unwrap(api.POST('/api/v1/evaluations/{evaluation_id}/approve', { params, body: { note: text || null } }));
      if (action === 'return') return unwrap(api.POST('/api/v1/evaluations/{evaluation_id}/return', { params, body: { reason: text ?? '' } }));
      if (action === 'reopen') return unwrap(api.POST('/api/v1/evaluations/{evaluation_id}/reopen', { params, body: { reason: text ?? '' } }));
      return current;
    },
    onSuccess: invalidate,
  });
}

/** The evidence files of a self-assessment (every indicator's), oldest first per indicator. */
export function useEvidence(evaluationId: string) {
  return useQuery({
    queryKey: evaluationKeys.evidence(evaluationId),
    queryFn: () => unwrap(api.GET('/api/v1/evaluations/{evaluation_id}/evidence', { params: { path: { evaluation_id: evaluationId } } })),
  });
}

/** Attach a file to one indicator, or take one away (the unit, while it edits its sheet). */
export function useEvidenceChange(evaluationId: string) {
  const qc = useQueryClient();
  const path = { evaluation_id: evaluationId };
  const refresh = () => qc.invalidateQueries({ queryKey: evaluationKeys.evidence(evaluationId) });
  const upload = useMutation({
    mutationFn: ({ indicator, file }: { indicator: string; file: File }) =>
      unwrap(
        api.POST('/api/v1/evaluations/{evaluation_id}/evidence', {
          params: { path },
          // The generated type says "string" for the binary part; the serializer sends the File.
          body: { indicator, file: '' },
          bodySerializer: () => {
            const form = new FormData();
            form.append('indicator', indicator);
            form.append('file', file, file.name);
            return form;
          },
        }),
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (evidenceId: string) =>
      unwrap(api.DELETE('/api/v1/evaluations/{evaluation_id}/evidence/{evidence_id}', { params: { path: { ...path, evidence_id: evidenceId } } })),
    onSuccess: refresh,
  });
  return { upload, remove };
}

/** The parts lower unions run of a round (and those the caller could start). */
export function useRoundParts(roundId: string) {
  return useQuery({
    queryKey: evaluationKeys.parts(roundId),
    queryFn: () => unwrap(api.GET('/api/v1/evaluation-rounds/{round_id}/parts', { params: { path: { round_id: roundId } } })),
  });
}

/** A lower union's part of a round: its deadlines, publishing and reopening its units' results. */
export function usePartActions(roundId: string, unionId: string) {
  const invalidate = useInvalidate();
  const path = { round_id: roundId, union_id: unionId };
  const set = useMutation({
    mutationFn: (body: PartSet) => unwrap(api.PUT('/api/v1/evaluation-rounds/{round_id}/parts/{union_id}', { params: { path }, body })),
    onSuccess: invalidate,
  });
  const publish = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/evaluation-rounds/{round_id}/parts/{union_id}/publish', { params: { path } })),
    onSuccess: invalidate,
  });
  const reopen = useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/api/v1/evaluation-rounds/{round_id}/parts/{union_id}/reopen', { params: { path }, body: { reason } })),
    onSuccess: invalidate,
  });
  return { set, publish, reopen };
}
