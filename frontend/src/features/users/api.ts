import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';

export type UserRead = Schemas['UserRead'];
export type UserListQuery = NonNullable<paths['/api/v1/users']['get']['parameters']['query']>;

const keys = {
  all: ['users'] as const,
  list: (q: UserListQuery) => ['users', 'list', q] as const,
};

export function useUserList(query: UserListQuery) {
  return useQuery({
    queryKey: keys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query } })),
    placeholderData: (previous) => previous,
  });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all });
}

export function useCreateUser() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['UserCreate']) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ user, body }: { user: UserRead; body: Schemas['UserUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/users/{user_id}', {
          params: { path: { user_id: user.id }, header: ifMatch(user.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useAddRole() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ user, body }: { user: UserRead; body: Schemas['RoleGrant'] }) =>
      unwrap(
        api.POST('/api/v1/users/{user_id}/roles', {
          params: { path: { user_id: user.id }, header: ifMatch(user.version) },
          body,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useRemoveRole() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ user, assignmentId }: { user: UserRead; assignmentId: string }) =>
      unwrap(
        api.DELETE('/api/v1/users/{user_id}/roles/{assignment_id}', {
          params: { path: { user_id: user.id, assignment_id: assignmentId }, header: ifMatch(user.version) },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useSetPassword() {
  return useMutation({
    mutationFn: ({ user, password }: { user: UserRead; password: string }) =>
      unwrap(api.PUT('/api/v1/users/{user_id}/password', { params: { path: { user_id: user.id } }, body: { password } })),
  });
}
