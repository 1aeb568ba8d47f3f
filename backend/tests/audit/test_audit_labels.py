"""The audit log as an officer reads it: people, records and unions by name, in Vietnamese."""

import ast
import re
from pathlib import Path

from tests.factories import Factory
from tests.members.helpers import admit, build_world
from unionhub.members.lifecycle import TRANSITIONS

AUDIT = "/api/v1/audit"
BACKEND = Path(__file__).resolve().parents[2]
CATALOG = BACKEND.parent / "frontend" / "src" / "i18n" / "strings" / "audit.ts"


async def test_entries_name_the_actor_the_record_and_the_union(factory: Factory) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Thị An")
    r = await factory.client.get(AUDIT, params={"entity_id": member["id"]}, headers=w.admin)
    assert r.status_code == 200, r.text
    (entry,) = r.json()["items"]
    assert entry["action"] == "member.admit"
    assert entry["entity_label"] == f"Nguyễn Thị An ({member['card_number']})"
    assert entry["union_name"] == "Công đoàn cơ sở Công ty Thủy sản Cái Bè"
    assert entry["actor_name"].endswith(f"({entry['actor_username']})")
    # A union's own entries carry its name and code.
    r = await factory.client.get(
        AUDIT, params={"entity_type": "union", "entity_id": str(w.grassroots_a.id)}, headers=w.admin
    )
    for e in r.json()["items"]:
        assert e["entity_label"] == f"{w.grassroots_a.name} ({w.grassroots_a.code})"


async def test_the_by_whom_filter_lists_only_people_who_acted_in_scope(factory: Factory) -> None:
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    await admit(factory, w.officer_b, w.grassroots_b)
    mine = (await factory.client.get(f"{AUDIT}/actors", headers=w.officer_a)).json()
    theirs = (await factory.client.get(f"{AUDIT}/actors", headers=w.officer_b)).json()
    assert len(mine) == 1 and len(theirs) == 1 and mine[0]["id"] != theirs[0]["id"]
    # by name, accents optional, and the filter then finds that person's entries only
    everyone = (await factory.client.get(f"{AUDIT}/actors", headers=w.admin)).json()
    assert {a["id"] for a in everyone} >= {mine[0]["id"], theirs[0]["id"]}
    who = mine[0]
    part = who["username"][:5]
    found = (
        await factory.client.get(f"{AUDIT}/actors", params={"q": part}, headers=w.admin)
    ).json()
    assert who["id"] in {a["id"] for a in found}
    r = await factory.client.get(AUDIT, params={"actor_id": who["id"]}, headers=w.admin)
    assert r.json()["total"] >= 1
    assert {e["actor_id"] for e in r.json()["items"]} == {who["id"]}
    # one action by its full name: "auth.login" does not also find "auth.login_failed"
    await factory.client.post(
        "/api/v1/auth/token", data={"username": "nobody-here", "password": "wrong-password-1"}
    )
    r = await factory.client.get(AUDIT, params={"action_exact": "auth.login"}, headers=w.admin)
    assert r.json()["total"] >= 1
    assert {e["action"] for e in r.json()["items"]} == {"auth.login"}


def _audited_names() -> tuple[set[str], set[str]]:
    """Every action and entity type the application audits: the literal ones passed to
    audit.record(...), and those its wrappers build (f"member.{action}" and the like)."""
    actions: set[str] = set()
    entities: set[str] = set()
    wrapped: dict[str, set[str]] = {
        "member": set(TRANSITIONS) | {"personal_id_refused"},
        "transfer": {"refuse", "cancel"},
        # training.audited.record builds "<entity>.<verb>" from these (courses, roster, spending)
        "course": {"create", "update"},
        "qualification": {"create", "update", "delete"},
        "course_participant": {"add", "accept", "decline", "nominate", "result"},
        "spending": {"create", "update", "submit", "approve", "return"},
    }
    for path in (BACKEND / "unionhub").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            # names handed through helpers (users._audit, cadres._save): "user.add_role"
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"(user|cadre|client|webhook)\.[a-z_]+", node.value)
            ):
                actions.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "_audit" and path.parent.name == "evaluations" and len(node.args) >= 3:
                verb = node.args[2]
                if isinstance(verb, ast.Constant) and isinstance(verb.value, str):
                    wrapped.setdefault("evaluation", set()).add(verb.value)
            if name != "record" or len(node.args) < 4:
                continue
            action, entity = node.args[2], node.args[3]
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                actions.add(action.value)
            if isinstance(entity, ast.Constant) and isinstance(entity.value, str):
                entities.add(entity.value)
    actions |= {f"{prefix}.{verb}" for prefix, verbs in wrapped.items() for verb in verbs}
    actions |= {"member.id_search", "member.id_search_refused"}
    return actions, entities


def test_every_audited_action_and_record_type_has_a_vietnamese_name() -> None:
    actions, entities = _audited_names()
    assert "member.admit" in actions and "member" in entities  # the scan finds the calls
    text = CATALOG.read_text()
    vi = text.split("export const en")[0]
    keys = set(re.findall(r"'(audit\.(?:action|entity)\.[a-z_.]+)':", vi))
    missing = sorted(
        {f"audit.action.{a}" for a in actions} | {f"audit.entity.{e}" for e in entities}
    )
    missing = [k for k in missing if k not in keys]
    assert not missing, f"add Vietnamese (and English) names to {CATALOG.name}: {missing}"
