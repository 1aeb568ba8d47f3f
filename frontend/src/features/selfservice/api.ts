import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, authFetch, unwrap, type Schemas } from '../../api/client';

export type MyProfileUpdate = Schemas['MyProfileUpdate'];
export type ChangeRequestRead = Schemas['ChangeRequestRead'];
export type CardRead = Schemas['CardRead'];
export type MemberActivate = Schemas['MemberActivate'];

export const meKeys = {
  all: ['me'] as const,
  member: ['me', 'member'] as const,
  history: ['me', 'history'] as const,
  training: ['me', 'training'] as const,
  card: ['me', 'card'] as const,
  transfers: ['me', 'transfers'] as const,
  changes: ['me', 'changes'] as const,
  destinations: (q: string) => ['me', 'destinations', q] as const,
};

export const accountKeys = {
  account: (memberId: string) => ['members', 'account', memberId] as const,
  changes: (pendingOnly: boolean, page: number) => ['members', 'change-requests', pendingOnly, page] as const,
  card: (memberId: string) => ['members', 'card', memberId] as const,
};

export const useMyMember = () =>
  useQuery({ queryKey: meKeys.member, queryFn: () => unwrap(api.GET('/api/v1/me/member')) });
export const useMyHistory = () =>
  useQuery({ queryKey: meKeys.history, queryFn: () => unwrap(api.GET('/api/v1/me/member/history')) });
export const useMyTraining = () =>
  useQuery({ queryKey: meKeys.training, queryFn: () => unwrap(api.GET('/api/v1/me/training')) });
export const useMyCard = () =>
  useQuery({ queryKey: meKeys.card, queryFn: () => unwrap(api.GET('/api/v1/me/card')), retry: false });
export const useMyTransfers = () =>
  useQuery({ queryKey: meKeys.transfers, queryFn: () => unwrap(api.GET('/api/v1/me/transfer-requests')) });
export const useMyChangeRequests = () =>
  useQuery({ queryKey: meKeys.changes, queryFn: () => unwrap(api.GET('/api/v1/me/change-requests')) });

export function fetchMyDestinations(q: string) {
  return unwrap(api.GET('/api/v1/me/transfer-destinations', { params: { query: { q: q || undefined, size: 20 } } }));
}

export function useUpdateMyMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MyProfileUpdate) => unwrap(api.PATCH('/api/v1/me/member', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: meKeys.all }),
  });
}

export function useRequestTransfer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['MyTransferRequest']) => unwrap(api.POST('/api/v1/me/transfer-requests', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: meKeys.all }),
  });
}

export function activateAccount(body: MemberActivate) {
  return unwrap(api.POST('/api/v1/me/activate', { body }));
}

// --- officers ---------------------------------------------------------------------------------

export const useMemberAccount = (memberId: string) =>
  useQuery({
    queryKey: accountKeys.account(memberId),
    queryFn: () => unwrap(api.GET('/api/v1/members/{member_id}/account', { params: { path: { member_id: memberId } } })),
  });

export function useIssueCode(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/members/{member_id}/activation-code', { params: { path: { member_id: memberId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.account(memberId) }),
  });
}

export type AccountAction = 'reset' | 'close' | 'reopen';

/** Reset, close or reopen a member's own account (officers with members:write). */
export function useAccountAction(memberId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: AccountAction) => {
      const params = { path: { member_id: memberId } };
      if (action === 'reset') return unwrap(api.POST('/api/v1/members/{member_id}/account/reset', { params }));
      if (action === 'close') return unwrap(api.POST('/api/v1/members/{member_id}/account/close', { params }));
      return unwrap(api.POST('/api/v1/members/{member_id}/account/reopen', { params }));
    },
    onSuccess: (data) => qc.setQueryData(accountKeys.account(memberId), data),
  });
}

export function useChangeRequests(pendingOnly: boolean, page: number) {
  return useQuery({
    queryKey: accountKeys.changes(pendingOnly, page),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/members/change-requests', {
          params: { query: { page, size: 20, status: pendingOnly ? ['pending'] : undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDecideChangeRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note?: string }) =>
      decision === 'approve'
        ? unwrap(api.POST('/api/v1/members/change-requests/{request_id}/approve', { params: { path: { request_id: id } }, body: { note: note ?? null } }))
        : unwrap(api.POST('/api/v1/members/change-requests/{request_id}/reject', { params: { path: { request_id: id } }, body: { note: note ?? null } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function fetchMemberCard(memberId: string) {
  return unwrap(api.GET('/api/v1/members/{member_id}/card', { params: { path: { member_id: memberId } } }));
}

/**
 * An image the API serves behind the sign-in (a card's QR code) as an object URL for <img>;
 * released when the component goes away. The CSP allows blob: images, not inline script.
 */
export function useAuthorizedImage(url: string | null): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return undefined;
    let objectUrl: string | null = null;
    let live = true;
    void (async () => {
      const r = await authFetch(new Request(url));
      if (!r.ok || !live) return;
      objectUrl = URL.createObjectURL(await r.blob());
      setSrc(objectUrl);
    })();
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url]);
  return src;
}
