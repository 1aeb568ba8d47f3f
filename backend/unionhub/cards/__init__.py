"""Member e-cards: the signed card of a member, its QR code, the public keys, verification."""
