"""If-Match: optional for people, required (428) of integration clients or when configured."""

import uuid

import pytest

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world
from unionhub.auth.dependencies import must_send_if_match
from unionhub.authz.principal import Principal
from unionhub.core.config import get_settings


def _principal(kind: str) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="x",
        full_name="x",
        session_id=None,
        assignments=(),
        kind=kind,  # type: ignore[arg-type]
    )


def test_clients_must_send_if_match_people_may() -> None:
    assert must_send_if_match(_principal("client")) is True
    assert must_send_if_match(_principal("person")) is False


async def test_people_may_edit_without_if_match_by_default(factory: Factory) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    r = await factory.client.patch(
        f"{API}/{member['id']}", json={"occupation": "Kế toán"}, headers=w.officer_a
    )
    assert r.status_code == 200, r.text


async def test_required_if_match_answers_428_and_changes_nothing(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "require_if_match", "everyone")
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    url = f"{API}/{member['id']}"

    for headers in (w.officer_a, {**w.officer_a, "If-Match": "*"}):
        r = await factory.client.patch(url, json={"occupation": "Kế toán"}, headers=headers)
        assert r.status_code == 428, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "if_match_required"
    r = await factory.client.get(url, headers=w.officer_a)
    assert r.json()["occupation"] != "Kế toán"

    r = await factory.client.patch(
        url,
        json={"occupation": "Kế toán"},
        headers={**w.officer_a, "If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["occupation"] == "Kế toán"
