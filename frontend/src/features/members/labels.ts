import type { Schemas } from '../../api/client';
import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { allOf } from '../../lib/enums';

export type MemberStatus = Schemas['MemberStatus'];
export type Gender = Schemas['Gender'];
export type EducationLevel = Schemas['EducationLevel'];
export type PoliticalTheory = Schemas['PoliticalTheory'];
export type CadrePost = Schemas['CadrePost'];
export type MemberEventType = Schemas['MemberEventType'];
export type TransferStatus = Schemas['TransferStatus'];

type T = I18n['t'];

export const MEMBER_STATUSES = allOf<MemberStatus>({ active: true, suspended: true, left: true, struck_off: true, expelled: true, deceased: true });
export const GENDERS = allOf<Gender>({ male: true, female: true });
export const EDUCATION_LEVELS = allOf<EducationLevel>({
  none: true,
  primary: true,
  lower_secondary: true,
  upper_secondary: true,
  vocational: true,
  college: true,
  university: true,
  master: true,
  doctorate: true,
});
export const POLITICAL_THEORY = allOf<PoliticalTheory>({ none: true, so_cap: true, trung_cap: true, cao_cap: true, cu_nhan: true });
export const CADRE_POSTS = allOf<CadrePost>({
  group_deputy: true,
  group_leader: true,
  executive_member: true,
  standing_member: true,
  vice_chair: true,
  chair: true,
  inspection_member: true,
  inspection_chair: true,
});
export const MEMBER_EVENTS = allOf<MemberEventType>({
  admitted: true,
  updated: true,
  suspended: true,
  resumed: true,
  transferred: true,
  left: true,
  struck_off: true,
  expelled: true,
  deceased: true,
  rejoined: true,
  card_reissued: true,
});
export const TRANSFER_STATUSES = allOf<TransferStatus>({ pending: true, accepted: true, refused: true, cancelled: true });

/** Union levels whose unions hold members (the backend's members.service.MEMBER_LEVELS). */
export const MEMBER_LEVELS = ['grassroots', 'occupational', 'member_union', 'departmental', 'union_group'] as const;

export const MEMBER_STATUS_COLOR: Record<MemberStatus, string> = {
  active: 'green',
  suspended: 'orange',
  left: 'default',
  struck_off: 'default',
  expelled: 'red',
  deceased: 'default',
};

export const TRANSFER_STATUS_COLOR: Record<TransferStatus, string> = {
  pending: 'gold',
  accepted: 'green',
  refused: 'red',
  cancelled: 'default',
};

export const memberStatusLabel = (t: T, v: string) => t(`memberStatus.${v}` as MessageKey);
export const genderLabel = (t: T, v: string) => t(`gender.${v}` as MessageKey);
export const educationLabel = (t: T, v: string) => t(`education.${v}` as MessageKey);
export const theoryLabel = (t: T, v: string) => t(`theory.${v}` as MessageKey);
export const postLabel = (t: T, v: string) => t(`post.${v}` as MessageKey);
export const memberEventLabel = (t: T, v: string) => t(`memberEvent.${v}` as MessageKey);
export const transferStatusLabel = (t: T, v: string) => t(`transferStatus.${v}` as MessageKey);

/** The actions a member's status allows (the backend's members.lifecycle.TRANSITIONS). */
export type MemberActionKind = 'transfer' | 'suspend' | 'resume' | 'leave' | 'strike-off' | 'expel' | 'deceased' | 'rejoin' | 'reissue-card';

export function actionsFor(status: MemberStatus): MemberActionKind[] {
  switch (status) {
    case 'active':
      return ['transfer', 'suspend', 'leave', 'strike-off', 'expel', 'deceased', 'reissue-card'];
    case 'suspended':
      return ['transfer', 'resume', 'leave', 'strike-off', 'expel', 'deceased', 'reissue-card'];
    case 'left':
    case 'struck_off':
      return ['rejoin'];
    default:
      return [];
  }
}

export const ACTION_TITLE: Record<MemberActionKind, MessageKey> = {
  transfer: 'memberAction.transfer',
  suspend: 'memberAction.suspend',
  resume: 'memberAction.resume',
  leave: 'memberAction.leave',
  'strike-off': 'memberAction.strikeOff',
  expel: 'memberAction.expel',
  deceased: 'memberAction.deceased',
  rejoin: 'memberAction.rejoin',
  'reissue-card': 'memberAction.reissueCard',
};

/** Actions that end the membership for good or remove the member from the register. */
export const FINAL_ACTIONS: readonly MemberActionKind[] = ['strike-off', 'expel', 'deceased'];

const GROUP_POSTS: readonly CadrePost[] = ['group_leader', 'group_deputy'];

/**
 * The posts a union of this level has (the backend's post_not_for_level rule): a union group has
 * only its leader and deputy, every other union everything else. Unknown level: every post.
 */
export function postsForLevel(level: string | undefined): CadrePost[] {
  if (!level) return [...CADRE_POSTS];
  const group = level === 'union_group';
  return CADRE_POSTS.filter((p) => GROUP_POSTS.includes(p) === group);
}
