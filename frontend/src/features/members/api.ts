import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';
import { overviewKeys } from '../overview/api';

export type MemberRead = Schemas['MemberRead'];
export type MemberPage = Schemas['MemberPage'];
export type MemberCreate = Schemas['MemberCreate'];
export type MemberUpdate = Schemas['MemberUpdate'];
export type MemberHistory = Schemas['MemberHistory'];
export type CadreRead = Schemas['CadreRead'];
export type TransferRead = Schemas['TransferRead'];
export type TransferResult = Schemas['TransferResult'];
export type DestinationRead = Schemas['DestinationRead'];
export type MemberListQuery = NonNullable<paths['/api/v1/members']['get']['parameters']['query']>;
export type TransferListQuery = NonNullable<paths['/api/v1/members/transfers']['get']['parameters']['query']>;

export const memberKeys = {
  all: ['members'] as const,
  list: (q: MemberListQuery) => ['members', 'list', q] as const,
  detail: (id: string) => ['members', 'detail', id] as const,
  history: (id: string) => ['members', 'history', id] as const,
  posts: (id: string) => ['members', 'posts', id] as const,
  // Under 'members' so that any member or post change refreshes the union's cadre list too.
  unionCadres: (unionId: string, includePast: boolean) => ['members', 'union-cadres', unionId, includePast] as const,
  transfers: (q: TransferListQuery) => ['members', 'transfers', q] as const,
  destinations: (q: string) => ['members', 'destinations', q] as const,
};

export function useMemberList(query: MemberListQuery) {
  return useQuery({
    queryKey: memberKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/members', { params: { query } })),
    // Paging and filtering keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/**
 * One member, masked. `reveal` asks the server for the unmasked personal data (members:pii at
 * the member's union); only that read is recorded in the audit log, so opening a member's page
 * is not a personal-data read.
 */
export function useMember(id: string | undefined, { reveal = false, enabled = true }: { reveal?: boolean; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: reveal ? ([...memberKeys.detail(id ?? ''), 'revealed'] as const) : memberKeys.detail(id ?? ''),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/members/{member_id}', {
          params: { path: { member_id: id! }, query: reveal ? { reveal_pii: true } : {} },
        }),
      ),
    enabled: Boolean(id) && enabled,
    // Unmasked data is not kept around once the page is left.
    gcTime: reveal ? 0 : undefined,
  });
}

export function useMemberHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: memberKeys.history(id),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}/history', { params: { path: { member_id: id } } })),
    enabled,
  });
}

export function useCadrePosts(id: string, enabled = true) {
  return useQuery({
    queryKey: memberKeys.posts(id),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}/cadre-posts', { params: { path: { member_id: id } } })),
    enabled,
  });
}

export function useUnionCadres(unionId: string, includePast: boolean, enabled = true) {
  return useQuery({
    queryKey: memberKeys.unionCadres(unionId, includePast),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/unions/{union_id}/cadres', {
          params: { path: { union_id: unionId }, query: { include_past: includePast || undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCreateCadrePost(member: MemberRead) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: Schemas['CadreCreate']) =>
      unwrap(api.POST('/api/v1/members/{member_id}/cadre-posts', { params: { path: { member_id: member.id } }, body })),
    onSuccess: invalidate,
  });
}

export function useEndCadrePost() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ post, body }: { post: CadreRead; body: Schemas['CadreEnd'] }) =>
      unwrap(
        api.POST('/api/v1/members/cadre-posts/{post_id}/end', {
          params: { path: { post_id: post.id }, header: ifMatch(post.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useTransfers(query: TransferListQuery, enabled = true) {
  return useQuery({
    queryKey: memberKeys.transfers(query),
    queryFn: () => unwrap(api.GET('/api/v1/members/transfers', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function fetchDestinations(q: string) {
  return unwrap(
    api.GET('/api/v1/members/transfer-destinations', { params: { query: { q: q || undefined, size: 20 } } }),
  );
}

function useInvalidateMembers() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: memberKeys.all }),
      qc.invalidateQueries({ queryKey: overviewKeys.all }),
    ]);
}

export function useCreateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: MemberCreate) => unwrap(api.POST('/api/v1/members', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateMember(member: MemberRead | undefined) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: MemberUpdate) =>
      unwrap(
        api.PATCH('/api/v1/members/{member_id}', {
          params: { path: { member_id: member!.id }, header: ifMatch(member!.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export type StatusAction = 'suspend' | 'resume' | 'leave' | 'strike-off' | 'expel' | 'deceased' | 'rejoin';
export type ActionBody = Schemas['MemberAction'] & { union_id?: string | null };

/** The dated status changes; each sends the member's version as If-Match. */
export function useMemberAction(member: MemberRead) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ action, body }: { action: StatusAction; body: ActionBody }) => {
      const params = { path: { member_id: member.id }, header: ifMatch(member.version) };
      switch (action) {
        case 'suspend':
          return unwrap(api.POST('/api/v1/members/{member_id}/suspend', { params, body }));
        case 'resume':
          return unwrap(api.POST('/api/v1/members/{member_id}/resume', { params, body }));
        case 'leave':
          return unwrap(api.POST('/api/v1/members/{member_id}/leave', { params, body: { ...body, reason: body.reason ?? '' } }));
        case 'strike-off':
          return unwrap(api.POST('/api/v1/members/{member_id}/strike-off', { params, body: { ...body, reason: body.reason ?? '' } }));
        case 'expel':
          return unwrap(api.POST('/api/v1/members/{member_id}/expel', { params, body: { ...body, reason: body.reason ?? '' } }));
        case 'deceased':
          return unwrap(api.POST('/api/v1/members/{member_id}/deceased', { params, body }));
        case 'rejoin':
          return unwrap(api.POST('/api/v1/members/{member_id}/rejoin', { params, body }));
      }
    },
    onSuccess: invalidate,
  });
}

export function useReissueCard(member: MemberRead) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: Schemas['CardReissue']) =>
      unwrap(
        api.POST('/api/v1/members/{member_id}/reissue-card', {
          params: { path: { member_id: member.id }, header: ifMatch(member.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useTransferMember(member: MemberRead) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: (body: Schemas['MemberTransfer']) =>
      unwrap(
        api.POST('/api/v1/members/{member_id}/transfer', {
          params: { path: { member_id: member.id }, header: ifMatch(member.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export type TransferDecisionKind = 'accept' | 'refuse' | 'cancel';

export function useTransferDecision() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    mutationFn: ({ id, decision, body }: { id: string; decision: TransferDecisionKind; body: Schemas['TransferDecision'] }) => {
      const params = { path: { request_id: id } };
      if (decision === 'accept') return unwrap(api.POST('/api/v1/members/transfers/{request_id}/accept', { params, body }));
      if (decision === 'refuse') return unwrap(api.POST('/api/v1/members/transfers/{request_id}/refuse', { params, body }));
      return unwrap(api.POST('/api/v1/members/transfers/{request_id}/cancel', { params, body }));
    },
    onSuccess: invalidate,
  });
}

// --- escalation of long-waiting transfer requests (a union's setting) ---------------------------

export const escalationKeys = { union: (unionId: string) => ['members', 'transfer-escalation', unionId] as const };

export function useEscalation(unionId: string | undefined) {
  return useQuery({
    queryKey: escalationKeys.union(unionId ?? ''),
    queryFn: () =>
      unwrap(api.GET('/api/v1/members/transfer-escalation/{union_id}', { params: { path: { union_id: unionId ?? '' } } })),
    enabled: Boolean(unionId),
  });
}

export function useSetEscalation(unionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (days: number | null) =>
      unwrap(api.PUT('/api/v1/members/transfer-escalation/{union_id}', { params: { path: { union_id: unionId } }, body: { days } })),
    onSuccess: (data) => {
      qc.setQueryData(escalationKeys.union(unionId), data);
      return qc.invalidateQueries({ queryKey: ['members', 'transfers'] });
    },
  });
}

// --- the member's card photo ---------------------------------------------------------------------

export type MemberPhotoRead = Schemas['MemberPhotoRead'];
export const photoKeys = { member: (memberId: string) => ['members', 'photo', memberId] as const };

export function useMemberPhoto(memberId: string) {
  return useQuery({
    queryKey: photoKeys.member(memberId),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}/photo', { params: { path: { member_id: memberId } } })),
  });
}

export function useSetMemberPhoto(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.PUT('/api/v1/members/{member_id}/photo', {
          params: { path: { member_id: memberId } },
          // The generated type says "string" for the binary part; the serializer sends the File.
          body: { file: '' },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', file, file.name);
            return form;
          },
        }),
      ),
    onSuccess: (data) => {
      qc.setQueryData(photoKeys.member(memberId), data);
      return qc.invalidateQueries({ queryKey: ['members', 'card', memberId] });
    },
  });
}

export function useRemoveMemberPhoto(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/members/{member_id}/photo', { params: { path: { member_id: memberId } } })),
    onSuccess: () => {
      qc.setQueryData(photoKeys.member(memberId), { member_id: memberId, has_photo: false });
      return qc.invalidateQueries({ queryKey: ['members', 'card', memberId] });
    },
  });
}
