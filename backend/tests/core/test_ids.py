"""UUIDv7 ids: one at a time and a batch at once (bulk writes) follow one another."""

import uuid

import pytest

from unionhub.core import ids
from unionhub.core.ids import uuid7, uuid7_many


def test_a_batch_of_ids_continues_the_sequence_of_single_ids() -> None:
    before = uuid7()
    batch = uuid7_many(10_000)
    after = uuid7()
    assert len(set(batch)) == 10_000
    numbers = [before.int, *(u.int for u in batch), after.int]
    assert numbers == sorted(numbers)
    for u in batch:
        assert isinstance(u, uuid.UUID)
        assert u.version == 7 and u.variant == uuid.RFC_4122
        # asyncpg's UUID compares and hashes as the standard one does.
        assert uuid.UUID(str(u)) == u and hash(uuid.UUID(str(u))) == hash(u)
    assert uuid7_many(0) == []


def test_a_batch_past_the_counter_takes_the_next_millisecond(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The 12-bit counter of a millisecond far in the future is nearly used up.
    monkeypatch.setattr(ids, "_last_ms", 10**13)
    monkeypatch.setattr(ids, "_counter", 0xFFE)
    batch = uuid7_many(4)
    stamps = [u.int >> 80 for u in batch]
    counters = [(u.int >> 64) & 0xFFF for u in batch]
    assert stamps == [10**13, 10**13 + 1, 10**13 + 1, 10**13 + 1]
    assert counters == [0xFFF, 0, 1, 2]
    assert uuid7().int > batch[-1].int
