"""Write backend/unionhub/places/data/countries.vi.json: the ISO 3166-1 countries the register
accepts (unionhub.members.countries) with their Vietnamese names from the Unicode CLDR, as
Babel ships it. CLDR's names are the current ones ("Hàn Quốc", "Campuchia", "Philippines");
the iso-codes translation in pycountry has older transliterations ("Phi-li-pi-nợ").

The app reads the file and does not depend on Babel. To update after a new CLDR release:

    uv run --with babel python scripts/countries_vi.py
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "backend/unionhub/places/data/countries.vi.json"
sys.path.insert(0, str(ROOT / "backend"))

from unionhub.members.countries import ISO_3166_ALPHA2  # noqa: E402


def main() -> None:
    vi = Locale("vi").territories
    en = Locale("en").territories
    missing = sorted(c for c in ISO_3166_ALPHA2 if c not in vi)
    if missing:
        raise SystemExit(f"CLDR has no Vietnamese name for {missing}")
    data = {
        "source": f"Unicode CLDR, Babel {version('babel')}; codes of ISO 3166-1",
        "countries": {code: vi[code] for code in sorted(ISO_3166_ALPHA2)},
        "english": {code: en[code] for code in sorted(ISO_3166_ALPHA2)},
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(data['countries'])} countries")


if __name__ == "__main__":
    main()
