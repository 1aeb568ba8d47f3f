import { Link } from 'react-router';
import type { ParticipantRead } from './api';

/** A roster row's person: the name, linked to their page, over the card number (namesakes). */
export function ParticipantName({ p }: { p: ParticipantRead }) {
  return (
    <div>
      <Link to={`/members/${p.member_id}`}>{p.member_name}</Link>
      <div className="muted-small">{p.member_card_number ?? ''}</div>
    </div>
  );
}
