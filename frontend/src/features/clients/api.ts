import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';

export type ClientRead = Schemas['ClientRead'];
export type ClientWithSecret = Schemas['ClientWithSecret'];
export type ClientPermission = Schemas['ClientPermission'];
export type WebhookRead = Schemas['WebhookRead'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type DeliveryRead = Schemas['DeliveryRead'];

const keys = {
  all: ['clients'] as const,
  list: (q: object) => ['clients', 'list', q] as const,
  one: (id: string) => ['clients', 'one', id] as const,
  webhooks: (id: string) => ['clients', 'webhooks', id] as const,
  deliveries: (id: string, sub: string, page: number) => ['clients', 'deliveries', id, sub, page] as const,
};

export function useClientList(query: { status?: 'active' | 'revoked'; page: number; size: number }) {
  return useQuery({
    queryKey: keys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/clients', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useClient(id: string) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: () => unwrap(api.GET('/api/v1/clients/{client_id}', { params: { path: { client_id: id } } })),
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all });
}

export function useCreateClient() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['ClientCreate']) => unwrap(api.POST('/api/v1/clients', { body })),
    onSuccess: invalidate,
  });
}

export function useRotateClient() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ client, overlapHours }: { client: ClientRead; overlapHours: number }) =>
      unwrap(
        api.POST('/api/v1/clients/{client_id}/rotate', {
          params: { path: { client_id: client.id }, header: ifMatch(client.version) },
          body: { overlap_hours: overlapHours },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useRevokeClient() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (client: ClientRead) =>
      unwrap(
        api.POST('/api/v1/clients/{client_id}/revoke', {
          params: { path: { client_id: client.id }, header: ifMatch(client.version) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useClientWebhooks(clientId: string) {
  return useQuery({
    queryKey: keys.webhooks(clientId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/clients/{client_id}/webhooks', { params: { path: { client_id: clientId } } })),
  });
}

export function useCreateWebhook(clientId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['WebhookCreate']) =>
      unwrap(api.POST('/api/v1/clients/{client_id}/webhooks', { params: { path: { client_id: clientId } }, body })),
    onSuccess: invalidate,
  });
}

export function useUpdateWebhook(clientId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ hook, body }: { hook: WebhookRead; body: Schemas['WebhookUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/clients/{client_id}/webhooks/{subscription_id}', {
          params: { path: { client_id: clientId, subscription_id: hook.id }, header: ifMatch(hook.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeliveries(clientId: string, subscriptionId: string, page: number) {
  return useQuery({
    queryKey: keys.deliveries(clientId, subscriptionId, page),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/clients/{client_id}/webhooks/{subscription_id}/deliveries', {
          params: { path: { client_id: clientId, subscription_id: subscriptionId }, query: { page, size: 20 } },
        }),
      ),
    placeholderData: keepPreviousData,
    // Deliveries are made by the background worker: keep the log current while it is open.
    refetchInterval: 5000,
  });
}

export function useRedeliver(clientId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ subscriptionId, deliveryId }: { subscriptionId: string; deliveryId: string }) =>
      unwrap(
        api.POST('/api/v1/clients/{client_id}/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver', {
          params: { path: { client_id: clientId, subscription_id: subscriptionId, delivery_id: deliveryId } },
        }),
      ),
    onSuccess: invalidate,
  });
}
