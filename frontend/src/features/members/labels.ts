import type { Schemas } from '../../api/client';
import type { I18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';

export type MemberStatus = Schemas['MemberStatus'];
export type Gender = Schemas['Gender'];
export type EducationLevel = Schemas['EducationLevel'];
export type PoliticalTheory = Schemas['PoliticalTheory'];
export type CadrePost = Schemas['CadrePost'];
export type MemberEventType = Schemas['MemberEventType'];
export type TransferStatus = Schemas['TransferStatus'];

type T = I18n['t'];

export const MEMBER_STATUSES: MemberStatus[] = ['active', 'suspended', 'left', 'struck_off', 'expelled', 'deceased'];
export const GENDERS: Gender[] = ['male', 'female'];
export const EDUCATION_LEVELS: EducationLevel[] = [
  'none',
  'primary',
  'lower_secondary',
  'upper_secondary',
  'vocational',
  'college',
  'university',
  'master',
  'doctorate',
];
export const POLITICAL_THEORY: PoliticalTheory[] = ['none', 'so_cap', 'trung_cap', 'cao_cap', 'cu_nhan'];

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
export type MemberActionKind = 'transfer' | 'suspend' | 'resume' | 'leave' | 'strike-off' | 'rejoin' | 'reissue-card';

export function actionsFor(status: MemberStatus): MemberActionKind[] {
  switch (status) {
    case 'active':
      return ['transfer', 'suspend', 'leave', 'strike-off', 'reissue-card'];
    case 'suspended':
      return ['transfer', 'resume', 'leave', 'strike-off', 'reissue-card'];
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
  rejoin: 'memberAction.rejoin',
  'reissue-card': 'memberAction.reissueCard',
};
