"""Countries by their Vietnamese names, for the nationality picker and for display.

The names are data (data/countries.vi.json, written by scripts/countries_vi.py from the
Unicode CLDR), never typed by hand; the codes are those the register accepts (ISO 3166-1).
"""

import json
from functools import cache
from importlib.resources import files

from unionhub.core.text import fold
from unionhub.places.schemas import CountryRead

HOME = "VN"


@cache
def _data() -> dict[str, dict[str, str]]:
    raw = files("unionhub.places").joinpath("data/countries.vi.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(raw)
    return data


def name_of(code: str | None) -> str | None:
    """ "VN" -> "Việt Nam"; an unknown code as it is."""
    if code is None:
        return None
    return _data()["countries"].get(code.upper(), code)


@cache
def countries() -> list[CountryRead]:
    """Every country, Việt Nam first, then in Vietnamese alphabetical order."""
    names = _data()["countries"]
    english = _data()["english"]
    ordered = sorted(names, key=lambda c: (c != HOME, fold(names[c]), names[c]))
    return [CountryRead(code=c, name=names[c], english=english.get(c, names[c])) for c in ordered]
