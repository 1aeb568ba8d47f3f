/** Colours of a request's status (identity changes, transfers) on the member's screens. */
export type StatusKey = 'pending' | 'approved' | 'rejected' | 'accepted' | 'refused' | 'cancelled';
export const STATUS_COLOR: Record<StatusKey, string> = {
  pending: 'gold',
  approved: 'green',
  accepted: 'green',
  rejected: 'red',
  refused: 'red',
  cancelled: 'default',
};
