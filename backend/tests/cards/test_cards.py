"""Member e-cards: signed facts verifiable with the published keys, QR images, and the online
check that knows about leaving and reissued cards."""

import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.factories import Factory
from tests.members.helpers import act, admit, build_world, problem


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_with_jwks(token: str, jwks: dict[str, list[dict[str, str]]]) -> dict[str, object]:
    """ES256 by hand (cryptography only): what any third party can do offline."""
    header_b64, payload_b64, sig_b64 = token.split(".")
    header = json.loads(_b64(header_b64))
    assert header["alg"] == "ES256"
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    public = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64(jwk["x"]), "big"), int.from_bytes(_b64(jwk["y"]), "big"), ec.SECP256R1()
    ).public_key()
    sig = _b64(sig_b64)
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    public.verify(der, f"{header_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    payload: dict[str, object] = json.loads(_b64(payload_b64))
    return payload


async def test_card_is_signed_and_verifiable_offline(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.admin, w.grassroots_a, full_name="Võ Thị Lan")
    r = await factory.client.get(f"/api/v1/members/{m['id']}/card", headers=w.officer_a)
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["card_number"] == m["card_number"] and card["full_name"] == "Võ Thị Lan"
    assert card["union_name"] == w.grassroots_a.name and card["status"] == "active"
    jwks = (await factory.client.get("/.well-known/jwks.json")).json()
    assert jwks["keys"][0]["kid"] and "d" not in jwks["keys"][0]
    claims = verify_with_jwks(card["token"], jwks)
    assert claims["cn"] == m["card_number"] and claims["sub"] == m["id"]
    # a forged card (another name, same signature) fails offline
    head, payload, sig = card["token"].split(".")
    forged = json.loads(_b64(payload)) | {"name": "Kẻ Giả Mạo"}
    forged_b64 = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    r = await factory.client.post(
        "/api/v1/cards/verify", json={"token": f"{head}.{forged_b64}.{sig}"}
    )
    assert r.json() == {**r.json(), "valid": False, "reason": "bad_signature"}
    r = await factory.client.post("/api/v1/cards/verify", json={"token": card["token"]})
    assert r.json()["valid"] is True and r.json()["full_name"] == "Võ Thị Lan"
    svg = await factory.client.get(f"/api/v1/members/{m['id']}/card.svg", headers=w.officer_a)
    assert svg.headers["content-type"] == "image/svg+xml" and b"<svg" in svg.content
    png = await factory.client.get(f"/api/v1/members/{m['id']}/card.png", headers=w.officer_a)
    assert png.content.startswith(b"\x89PNG")
    # out of scope: 404
    r = await factory.client.get(f"/api/v1/members/{m['id']}/card", headers=w.officer_b)
    problem(r, 404)


async def test_online_check_knows_reissued_cards_and_members_who_left(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.admin, w.grassroots_a)
    old = (await factory.client.get(f"/api/v1/members/{m['id']}/card", headers=w.admin)).json()
    r = await act(factory, w.admin, m["id"], "reissue-card", "2024-01-01")
    assert r.status_code in (200, 201), r.text
    r = await factory.client.post("/api/v1/cards/verify", json={"token": old["token"]})
    assert r.json()["valid"] is False and r.json()["reason"] == "card_reissued"
    new = (await factory.client.get(f"/api/v1/members/{m['id']}/card", headers=w.admin)).json()
    assert (await factory.client.post("/api/v1/cards/verify", json={"token": new["token"]})).json()[
        "valid"
    ]
    r = await act(factory, w.admin, m["id"], "leave", "2024-02-01", reason="Nghỉ việc")
    assert r.status_code in (200, 201), r.text
    r = await factory.client.post("/api/v1/cards/verify", json={"token": new["token"]})
    assert r.json()["reason"] == "member_left"
    r = await factory.client.get(f"/api/v1/members/{m['id']}/card", headers=w.admin)
    assert problem(r, 422)["errors"][0]["code"] == "card_unavailable"
