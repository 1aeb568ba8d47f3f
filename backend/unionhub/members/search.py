"""Name search that costs what the scope and the matches cost, not what the register costs.

A name search is "the accent-free name contains the folded query" (`search_name LIKE
'%nguyen thi thu ha%'`): partial words match ("nguyen thi thu h" finds Hà and Hạnh, "guyen"
finds Nguyễn). How that is found depends on the scope and on the query (`plan`):

- a small scope (at most `SMALL_SCOPE_UNIONS` unions: a grassroots union, a few of them)
  reads its members by union first and matches the names among them. The name predicate is
  written so that no name index can serve it (`search_name || ''`), or the planner may
  intersect the register-wide trigram list with the union instead;
- a large scope searching three or more words (a full name) finds the names first, then their
  members. `member_names` holds each accent-free name of the register once (kept by triggers
  on members; 66,506 names for 1M members in the bench's data), with a GIN index on the exact
  keys of adjacent word pairs, `member_name_keys(search_name)`. For each pair of adjacent
  words (a, b) of a name it holds '>a p' for the prefixes p of b and '<b s' for the prefixes s
  of a reversed, up to `KEY_PREFIX` letters. In "nguyen thi thu ha" the first word ends a word
  and the others are whole up to the last, which begins one: '<thi neyu' (thi after a word
  ending in ...uyen), '<thu iht' (thu after a word ending in thi), '>thu ha' (a word beginning
  with ha after thu). GIN walks the rarest of these lists and skips through the others, and
  the LIKE rechecks the few names found, which decides: the answer is exactly the LIKE's.
  Their members are then read by equality from `ix_members_search_name`, whose entries carry
  the union, status and gender the list filters by, so the matches are counted and sorted
  without reading the table (where a match cost a table page: members of one name are
  scattered over it; docs/adr/0017). Every match is collected, so the count is exact and the
  page is the first of all matches in name order, whatever their number;
- two words and a single fragment ("thu ha", "ngu") use the trigram index. They may match
  much of the register ("thi", "van a"): their matches are counted up to
  `repository.COUNT_CAP`, beyond which the list reads its page in name order.
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.dialects.postgresql import TSQUERY

from unionhub.core.text import contains
from unionhub.members.models import Member, MemberName

# A scope of at most this many unions is searched union first (a district has hundreds).
SMALL_SCOPE_UNIONS = 64
# The longest word prefix (and reversed word prefix) in a pair key: as the migration's function.
KEY_PREFIX = 4


@dataclass(frozen=True)
class NameSearch:
    """How one name search runs (the same for the project and the bench's floor)."""

    pattern: str  # the LIKE pattern that decides
    keys: str | None  # tsquery text on member_names' pair keys, if the names are looked up
    like_indexed: bool  # the LIKE as written may use the trigram index
    every_match: bool  # all matches are collected and counted (not capped)


def _quoted(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def keys_query(folded: str) -> str | None:
    """The tsquery text of the key condition for a folded query, or None below three words
    (no whole word is known). Necessary for a match, not sufficient."""
    words = folded.split(" ")
    if len(words) < 3:
        return None
    n = KEY_PREFIX
    parts = [_quoted(f"<{words[1]} {words[0][::-1][:n]}")]
    # The pairs of whole words between the first and the last.
    parts += [_quoted(f"<{b} {a[::-1][:n]}") for a, b in pairwise(words[1:-1])]
    parts.append(_quoted(f">{words[-2]} {words[-1][:n]}"))
    return " & ".join(parts)


def plan(folded: str, *, small_scope: bool) -> NameSearch:
    """How a search for `folded` runs in a small or a large scope (see the module)."""
    pattern = contains(folded)
    if small_scope:
        return NameSearch(pattern, None, like_indexed=False, every_match=False)
    keys = keys_query(folded)
    pairs = keys is not None
    return NameSearch(pattern, keys, like_indexed=not pairs, every_match=pairs)


def name_matches(folded: str, *, small_scope: bool) -> ColumnElement[bool]:
    """The accent-free name contains `folded` (see the module for how it is found)."""
    p = plan(folded, small_scope=small_scope)
    keys = None if p.keys is None else literal(p.keys, TSQUERY)
    return name_clause(p.like_indexed, literal(p.pattern), keys)


def name_clause(like_indexed: bool, pattern: Any, keys: Any | None) -> ColumnElement[bool]:
    """The condition of a `plan`: the LIKE on `pattern` (written so the trigram index may
    serve it or not), or, given the key lookup `keys`, the name is one of `member_names` that
    the keys find and the LIKE accepts. `pattern` and `keys` are values or the bound
    parameters of a statement built once (`repository.bound_search_query`)."""
    if keys is not None:
        on_keys: Any = func.member_name_keys(MemberName.search_name)
        names = select(MemberName.search_name).where(
            on_keys.op("@@")(keys), MemberName.search_name.like(pattern)
        )
        return Member.search_name.in_(names)
    name = Member.search_name if like_indexed else Member.search_name.concat("")
    like: ColumnElement[bool] = name.like(pattern)
    return like
