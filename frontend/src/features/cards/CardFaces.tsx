import type { Schemas } from '../../api/client';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useAuthorizedImage } from '../selfservice/api';

type CardRead = Schemas['CardRead'];

/** The front of a member card (ID-1 size, 85.6 x 54 mm when printed). */
export function CardFront({ card }: { card: CardRead }) {
  const { t } = useI18n();
  const photo = useAuthorizedImage(card.photo_url ?? null);
  return (
    <div className="member-card member-card-front" data-testid="card-front">
      <div className="member-card-band">
        <div>{t('cards.federation')}</div>
        <strong>{t('cards.cardName')}</strong>
      </div>
      <div className="member-card-body">
        {photo ? (
          <img className="member-card-photo" src={photo} alt={t('photo.alt', { name: card.full_name })} data-testid="card-photo" />
        ) : (
          <div className="member-card-photo" aria-hidden="true" />
        )}
        <div>
          <div className="member-card-name">{card.full_name}</div>
          <div>
            {t('cards.number')}: <strong>{card.card_number}</strong>
          </div>
          <div>
            {t('cards.union')}: {card.union_name}
          </div>
          <div>
            {t('cards.validUntil')}: {formatDate(card.valid_until.slice(0, 10))}
          </div>
        </div>
      </div>
    </div>
  );
}

/** The back: the signed token as a QR code (`qrUrl`: the card's .svg endpoint). */
export function CardBack({ card, qrUrl }: { card: CardRead; qrUrl: string }) {
  const { t } = useI18n();
  const src = useAuthorizedImage(qrUrl);
  return (
    <div className="member-card member-card-back" data-testid="card-back">
      {src ? <img className="member-card-qr" src={src} alt={`QR ${card.card_number}`} /> : <div className="member-card-qr" />}
      <p className="member-card-backtext">{t('cards.backText')}</p>
    </div>
  );
}
