"""A member's card photo: officers set it, the service re-encodes it (upright, small, without
metadata), the card names it by hash in its signature, and the member sees it on their card."""

import hashlib
import io
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet
from PIL import Image

from tests.factories import Factory
from tests.members.helpers import World, admit, build_world, problem
from tests.members.test_member_accounts import ME, member_with_account

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _png(size: tuple[int, int] = (800, 1000), mode: str = "RGBA") -> bytes:
    img = Image.new(mode, size, (200, 30, 30, 0) if mode == "RGBA" else "navy")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _phone_jpeg() -> bytes:
    """A landscape 1200 x 900 phone photo taken upright (EXIF orientation 6: turn 90° clockwise)
    with a GPS position in its EXIF."""
    img = Image.new("RGB", (1200, 900), "green")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (10.0, 21.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


async def _put(
    factory: Factory,
    headers: dict[str, str],
    member: dict[str, Any],
    data: bytes,
    name: str = "anh.jpg",
) -> Any:
    return await factory.client.put(
        f"/api/v1/members/{member['id']}/photo",
        files={"file": (name, data, "image/jpeg")},
        headers=headers,
    )


async def test_an_officer_sets_a_photo_and_it_is_stored_re_encoded(factory: Factory) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    info = await factory.client.get(f"/api/v1/members/{member['id']}/photo", headers=w.viewer_a)
    assert info.status_code == 200 and info.json()["has_photo"] is False

    # Only officers who manage the member; a sibling district does not see the member.
    assert (await _put(factory, w.viewer_a, member, _png())).status_code == 403
    assert (await _put(factory, w.officer_b, member, _png())).status_code == 404

    r = await _put(factory, w.grassroots_officer_a, member, _png(), name="anh.png")
    assert r.status_code == 200, r.text
    body = r.json()
    # 800 x 1000 fits the 600 x 800 box at 600 x 750; transparency flattened on white.
    assert (body["width"], body["height"]) == (600, 750)
    jpeg = await factory.client.get(body["url"], headers=w.viewer_a)
    assert jpeg.status_code == 200 and jpeg.headers["content-type"] == "image/jpeg"
    assert jpeg.content.startswith(b"\xff\xd8\xff")
    assert hashlib.sha256(jpeg.content).hexdigest() == body["sha256"]
    assert len(jpeg.content) == body["size"]
    stored = Image.open(io.BytesIO(jpeg.content))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert stored.getpixel((300, 375)) >= (250, 250, 250)  # type: ignore[operator]

    # A phone photo comes out upright and without its EXIF (no GPS position kept).
    r = await _put(factory, w.officer_a, member, _phone_jpeg())
    assert r.status_code == 200, r.text
    assert (r.json()["width"], r.json()["height"]) == (600, 800)
    again = await factory.client.get(r.json()["url"], headers=w.officer_a)
    assert not Image.open(io.BytesIO(again.content)).getexif()
    assert r.json()["url"] != body["url"]  # a new photo is a new URL


async def test_only_real_jpeg_or_png_photos_of_a_sensible_size_are_taken(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    gif = io.BytesIO()
    Image.new("RGB", (400, 400)).save(gif, "GIF")
    cases = [
        (gif.getvalue(), 422, "photo_type_unsupported"),
        (b"%PDF-1.7 not a photo at all", 422, "photo_type_unsupported"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, 422, "photo_unreadable"),  # a JPEG's start only
        (_png((100, 300), "RGB"), 422, "photo_too_small"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024), 413, "photo_too_large"),
    ]
    for data, status, code in cases:
        r = await _put(factory, w.officer_a, member, data)
        body = problem(r, status)
        codes = {e["code"] for e in body.get("errors") or []} | {body["code"]}
        assert code in codes, (code, r.text)
    info = await factory.client.get(f"/api/v1/members/{member['id']}/photo", headers=w.officer_a)
    assert info.json()["has_photo"] is False


async def test_the_card_carries_the_photo_and_signs_its_hash(factory: Factory) -> None:
    w: World = await build_world(factory)
    member, me = await member_with_account(factory, w, "an.photo")
    card = (await factory.client.get(f"{ME}/card", headers=me)).json()
    assert card["photo_url"] is None and card["photo_sha256"] is None
    keys = KeySet.import_key_set((await factory.client.get("/.well-known/jwks.json")).json())
    assert "ph" not in jwt.decode(card["token"], keys, algorithms=["ES256"]).claims

    sha = (await _put(factory, w.officer_a, member, _png((480, 640), "RGB"))).json()["sha256"]
    card = (
        await factory.client.get(f"/api/v1/members/{member['id']}/card", headers=w.officer_a)
    ).json()
    assert card["photo_sha256"] == sha
    assert card["photo_url"].startswith(f"/api/v1/members/{member['id']}/photo.jpg")
    assert jwt.decode(card["token"], keys, algorithms=["ES256"]).claims["ph"] == sha

    # The member's own card points at their own photo, which they may read (and only theirs).
    mine = (await factory.client.get(f"{ME}/card", headers=me)).json()
    assert mine["photo_url"].startswith("/api/v1/me/photo.jpg")
    photo = await factory.client.get(mine["photo_url"], headers=me)
    assert photo.status_code == 200 and hashlib.sha256(photo.content).hexdigest() == sha
    r = await factory.client.get(f"/api/v1/members/{member['id']}/photo.jpg", headers=me)
    assert r.status_code in (403, 404)

    # Removed: the card has no photo any more.
    r = await factory.client.delete(f"/api/v1/members/{member['id']}/photo", headers=w.officer_a)
    assert r.status_code == 204, r.text
    card = (await factory.client.get(f"{ME}/card", headers=me)).json()
    assert card["photo_url"] is None
    r = await factory.client.get(f"{ME}/photo.jpg", headers=me)
    assert problem(r, 404)["code"] == "photo_not_found"
