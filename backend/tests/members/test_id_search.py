"""Searching by a personal ID or phone-like number: needs members:pii to match, is limited per
user across replicas (PostgreSQL), and is audited without writing the number down."""

import json

import pytest
from sqlalchemy import select

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world, field_codes, member_body, names
from unionhub.core.audit import AuditEntry
from unionhub.core.config import get_settings
from unionhub.core.ratelimit import RateLimit
from unionhub.members.id_search import identifier_in

PID = "082090777123"


async def _searches(factory: Factory) -> list[AuditEntry]:
    rows = await factory.db.execute(
        select(AuditEntry)
        .where(AuditEntry.action.like("member.id_search%"))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(rows.scalars())


def test_what_counts_as_an_identifier_search() -> None:
    assert identifier_in("082090777123") == "082090777123"
    assert identifier_in("0912 345 678") == "0912345678"
    assert identifier_in("0912.345.678") == "0912345678"
    assert identifier_in("08209") is None  # a short prefix
    assert identifier_in("nguyen van an") is None
    assert identifier_in("CD0000012345") is None  # a card number
    assert identifier_in("٠٨٢٠٩٠٧٧٧١٢٣") is None  # not ASCII digits


async def test_masked_ids_cannot_be_recovered_by_searching(factory: Factory) -> None:
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Văn An", personal_id=PID)
    listed = (await factory.client.get(API, headers=w.viewer_a)).json()["items"]
    masked = listed[0]["personal_id"]
    # Nothing visible that the rest of the row does not already say: only the last digits.
    assert masked == "*********123"
    # The attack of issue 8: try the hidden digits. The true number finds nobody either.
    for guess in ("082090777122", PID, "082090777124"):
        assert await names(factory, w.viewer_a, q=guess) == []
    # An officer holding members:pii for that union finds the member by the number.
    assert await names(factory, w.officer_a, q=PID) == ["Nguyễn Văn An"]
    # and an officer of another district (members:pii, but not there) does not
    assert await names(factory, w.officer_b, q=PID) == []


async def test_identifier_searches_are_audited_masked(factory: Factory) -> None:
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a, personal_id=PID)
    await names(factory, w.officer_a, q=PID)
    await names(factory, w.viewer_a, q=PID)
    await names(factory, w.viewer_a, q="nguyen")  # a name search is not one
    entries = await _searches(factory)
    assert [(e.action, e.actor_username, e.after["found"]) for e in entries] == [
        ("member.id_search", entries[0].actor_username, 1),
        ("member.id_search", entries[1].actor_username, 0),
    ]
    assert entries[0].actor_username != entries[1].actor_username
    assert entries[0].after["query"] == "*********123"
    # the same number gives the same fingerprint, so repeated searches can be told apart
    assert entries[0].after["fingerprint"] == entries[1].after["fingerprint"]
    # and the searched number is not written down (the export's filters included)
    r = await factory.client.get(
        "/api/v1/members/export", params={"q": PID, "format": "csv"}, headers=w.officer_a
    )
    assert r.status_code == 200
    searches = (
        (
            await factory.db.execute(
                select(AuditEntry).where(
                    AuditEntry.action.in_(["member.id_search", "members.export"])
                )
            )
        )
        .scalars()
        .all()
    )
    assert len(searches) == 3
    assert all(PID not in json.dumps(e.after) for e in searches)


async def test_identifier_searches_are_rate_limited_per_user(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "id_search_limit", 3)
    w = await build_world(factory)
    for n in range(3):
        r = await factory.client.get(API, params={"q": f"08209077700{n}"}, headers=w.viewer_a)
        assert r.status_code == 200, r.text
    r = await factory.client.get(API, params={"q": "082090777009"}, headers=w.viewer_a)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "too_many_identifier_searches"
    assert 0 < int(r.headers["retry-after"]) <= get_settings().id_search_window_seconds
    # the export is the same search and counts against the same limit
    r = await factory.client.get(
        "/api/v1/members/export", params={"q": "082090777010"}, headers=w.viewer_a
    )
    assert r.status_code == 429
    # names still work; other users have their own allowance
    assert (
        await factory.client.get(API, params={"q": "an"}, headers=w.viewer_a)
    ).status_code == 200
    r = await factory.client.get(API, params={"q": "082090777009"}, headers=w.officer_a)
    assert r.status_code == 200
    # The refusals are kept although the answers were errors: counted and audited.
    actions = [e.action for e in await _searches(factory)]
    assert actions.count("member.id_search_refused") == 2
    # (integration clients count in the same table, outside the test transaction)
    counters = (
        (await factory.db.execute(select(RateLimit).where(RateLimit.key.like("id_search:%"))))
        .scalars()
        .all()
    )
    assert sorted(c.hits for c in counters) == [1, 5]


async def _refusals(factory: Factory) -> list[AuditEntry]:
    rows = await factory.db.execute(
        select(AuditEntry).where(AuditEntry.action == "member.personal_id_refused")
    )
    return list(rows.scalars())


async def test_a_taken_personal_id_is_named_only_to_who_may_see_its_holder(
    factory: Factory,
) -> None:
    """POST /members was an oracle (issue 8): "personal_id_taken" told an officer of Mỹ Tho
    that a number was a member in Cái Bè. Outside the caller's scope the answer is neutral,
    audited and counted like an identifier search."""
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a, personal_id=PID)
    # Within the scope: the officer learns nothing new and gets the useful answer.
    mine = member_body(w.grassroots_a2, personal_id=PID, full_name="Trần Văn Bình")
    r = await factory.client.post(API, json=mine, headers=w.officer_a)
    assert ("personal_id", "personal_id_taken") in field_codes(r)
    assert await _refusals(factory) == []
    # From the sibling district: refused, without saying the person is on the register.
    theirs = member_body(w.grassroots_b, personal_id=PID, full_name="Trần Văn Bình")
    r = await factory.client.post(API, json=theirs, headers=w.officer_b)
    assert field_codes(r) == {("personal_id", "personal_id_unusable")}
    assert "register" not in r.text and "đã có" not in r.text
    # the same on an edit of their own member
    own = (
        await factory.client.post(API, json=member_body(w.grassroots_b), headers=w.officer_b)
    ).json()
    r = await factory.client.patch(
        f"{API}/{own['id']}",
        json={"personal_id": PID},
        headers={**w.officer_b, "If-Match": f'"{own["version"]}"'},
    )
    assert field_codes(r) == {("personal_id", "personal_id_unusable")}
    refusals = await _refusals(factory)
    assert len(refusals) == 2
    assert {e.after["query"] for e in refusals} == {"*********123"}
    assert all(PID not in json.dumps(e.after) for e in refusals)
    # nothing of the refused requests was written
    assert await names(factory, w.officer_b) == ["Nguyễn Văn An"]


async def test_refused_personal_ids_count_against_the_search_limit(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "id_search_limit", 2)
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a, personal_id=PID)
    body = member_body(w.grassroots_b, personal_id=PID)
    for _ in range(2):
        r = await factory.client.post(API, json=body, headers=w.officer_b)
        assert r.status_code == 422
    r = await factory.client.post(API, json=body, headers=w.officer_b)
    assert r.status_code == 429 and r.json()["code"] == "too_many_identifier_searches"
