"""Name search that costs what the scope and the matches cost, not what the register costs.

A name search is "the accent-free name contains the folded query" (`search_name LIKE
'%nguyen thi thu ha%'`): partial words match ("nguyen thi thu h" finds Hà and Hạnh, "guyen"
finds Nguyễn). How that is found depends on the scope:

- a small scope (at most `SMALL_SCOPE_UNIONS` unions: a grassroots union, a few of them)
  reads its members by union first and matches the names among them. The name predicate is
  written so that no name index can serve it (`search_name || ''`), or the planner may
  intersect a register-wide word or trigram list with the union instead;
- a large scope searching two or more words intersects whole-word lists first: a GIN index
  on `member_name_lexemes(search_name)`, the words of the name and each word reversed behind
  `~`. In "nguyen thi thu ha" the middle words must be whole words of the name, the last one
  begins a word (`'ha':*`) and the first one ends a word (its reverse begins a reversed word,
  `'~neyugn':*`): a necessary condition the index answers from a few word lists, rechecked
  by the LIKE, so the answer is exactly the LIKE's;
- a single fragment ("ngu") falls back to the trigram index.
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal
from sqlalchemy.dialects.postgresql import TSQUERY

from unionhub.core.text import contains
from unionhub.members.models import Member

# A scope of at most this many unions is searched union first (a district has hundreds).
SMALL_SCOPE_UNIONS = 64


def _quoted(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def words_query(folded: str) -> str | None:
    """The tsquery text of the whole-word condition for a folded query, or None for a single
    fragment (no whole word is known)."""
    words = folded.split(" ")
    if len(words) < 2:
        return None
    first, *middle, last = words
    parts = [_quoted("~" + first[::-1]) + ":*", *(_quoted(w) for w in middle)]
    parts.append(_quoted(last) + ":*")
    return " & ".join(parts)


def name_matches(folded: str, *, small_scope: bool) -> ColumnElement[bool]:
    """The accent-free name contains `folded` (see the module for how it is found)."""
    pattern = contains(folded)
    if small_scope:
        return Member.search_name.concat("").like(pattern)
    words = words_query(folded)
    like: ColumnElement[bool] = Member.search_name.like(pattern)
    if words is None:
        return like
    lexemes: Any = func.member_name_lexemes(Member.search_name)
    return and_(lexemes.op("@@")(literal(words, TSQUERY)), like)
