"""A scheme's rules as data, how they are checked, and how a score sheet becomes a level.

Pure functions over the definition document: no database, so the same rules rate a submission,
an approval and an imported row.
"""

import itertools
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from unionhub.core.schemas import Text


class VariantKind(StrEnum):
    """Which units a variant rates (see `variant_for`)."""

    NON_STATE = "non_state"  # enterprise unions outside the state sector
    STATE = "state"  # administrative and public-service units, state enterprises
    OCCUPATIONAL = "occupational"  # nghiệp đoàn
    UPPER_LEVEL = "upper_level"  # direct-superior unions rated as grassroots units
    DEFAULT = "default"  # any unit without a variant of its own


class Source(StrEnum):
    """Indicators the records can answer: a suggested score is computed from the data."""

    MEMBERSHIP_COVERAGE = "membership_coverage"  # members / workers of the latest survey
    NEW_MEMBERS = "new_members"  # admissions in the period
    # Unions founded under the unit in the period (an upper-level union's "founding of unions").
    UNIONS_FOUNDED = "unions_founded"


CodeStr = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
Points = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]
Share = Annotated[Decimal, Field(gt=0, le=1, max_digits=4, decimal_places=3)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Doc):
    code: CodeStr
    name: Annotated[str, Text(120)]


class Band(_Doc):
    """Points from `min` (inclusive) to `max` (exclusive; the top band includes the maximum)."""

    level: CodeStr
    min: Points
    max: Points


class Indicator(_Doc):
    code: CodeStr
    name: Annotated[str, Text(500)]
    max_points: Points
    source: Source | None = None
    # The value that earns full points: a coverage share (0.85) or a count of new members.
    source_target: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None

    @model_validator(mode="after")
    def _target(self) -> Self:
        if self.source is not None and self.source_target is None:
            raise ValueError(f"indicator {self.code}: a source needs its source_target")
        return self


class Group(_Doc):
    code: CodeStr
    name: Annotated[str, Text(500)]
    indicators: list[Indicator] = Field(min_length=1, max_length=100)

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))


class Variant(_Doc):
    applies_to: VariantKind
    name: Annotated[str, Text(255)]
    groups: list[Group] = Field(min_length=1, max_length=20)

    def indicators(self) -> list[Indicator]:
        return [i for g in self.groups for i in g.indicators]


class Condition(_Doc):
    """A hard condition: when it holds, the level is capped at `cap_level` whatever the score.

    `flag`: entered by the unit and the appraiser ("a committee member was disciplined").
    `group_min_share`: computed, holds when any group scores below `share` of its points.
    `data_below`: answered from the records, holds when the `source`'s value for the unit is
    below `threshold` ("fewer than 70% of the workers are members": membership_coverage, 0.7);
    where the records cannot answer (no worker survey), the unit and the appraiser answer it as
    a flag.
    """

    code: CodeStr
    name: Annotated[str, Text(500)]
    kind: Literal["flag", "group_min_share", "data_below"]
    cap_level: CodeStr
    share: Share | None = None
    source: Source | None = None
    threshold: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None

    @model_validator(mode="after")
    def _share(self) -> Self:
        if (self.kind == "group_min_share") != (self.share is not None):
            raise ValueError(f"condition {self.code}: share goes with kind group_min_share only")
        data = self.kind == "data_below"
        if data != (self.source is not None) or data != (self.threshold is not None):
            raise ValueError(
                f"condition {self.code}: source and threshold go with kind data_below only"
            )
        return self

    @property
    def answerable(self) -> bool:
        """Answered by a yes/no (entered, or from the records where they can)."""
        return self.kind in ("flag", "data_below")


class Quota(_Doc):
    """At most `max_share` of the units rated in `of_levels` under one appraising union may be
    rated `level` (e.g. excellent <= 20% of those rated good or better)."""

    level: CodeStr
    max_share: Share
    of_levels: list[CodeStr] = Field(min_length=1)


class SchemeDefinition(_Doc):
    max_points: Annotated[Decimal, Field(gt=0, le=1000, max_digits=6, decimal_places=2)]
    levels: list[Level] = Field(min_length=2, max_length=10, description="Best first")
    strong_levels: list[CodeStr] = Field(
        min_length=1,
        description="Levels that count as 'vững mạnh' for the programme (the default mapping)",
    )
    bands: list[Band] = Field(min_length=1, max_length=10)
    conditions: list[Condition] = Field(default_factory=list, max_length=20)
    quota: Quota | None = None
    variants: list[Variant] = Field(min_length=1, max_length=5)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        codes = [lv.code for lv in self.levels]
        known = set(codes)
        if len(known) != len(codes):
            raise ValueError("level codes must be unique")
        referenced = (
            set(self.strong_levels)
            | {b.level for b in self.bands}
            | {c.cap_level for c in self.conditions}
            | ({self.quota.level, *self.quota.of_levels} if self.quota else set())
        )
        if referenced - known:
            raise ValueError(f"unknown level(s): {', '.join(sorted(referenced - known))}")
        bands = sorted(self.bands, key=lambda b: b.min)
        if bands[0].min != 0:
            raise ValueError("the bands must start at 0 points")
        for lower, upper in itertools.pairwise(bands):
            if lower.max != upper.min:
                raise ValueError(
                    f"the bands must meet without gap or overlap: {lower.max} and {upper.min}"
                )
        if bands[-1].max != self.max_points:
            raise ValueError(f"the bands must end at max_points ({self.max_points})")
        if any(b.max <= b.min for b in bands):
            raise ValueError("each band must be wider than 0 points")
        if len({b.level for b in bands}) != len(bands):
            raise ValueError("each level has at most one band")
        rank = {c: i for i, c in enumerate(codes)}
        if any(rank[lo.level] < rank[hi.level] for lo, hi in itertools.pairwise(bands)):
            raise ValueError("higher bands must give better levels (levels are best first)")
        if len({c.code for c in self.conditions}) != len(self.conditions):
            raise ValueError("condition codes must be unique")
        if len({v.applies_to for v in self.variants}) != len(self.variants):
            raise ValueError("one variant per union type")
        for variant in self.variants:
            indicators = variant.indicators()
            if len({i.code for i in indicators}) != len(indicators):
                raise ValueError(f"variant {variant.applies_to}: indicator codes must be unique")
            if len({g.code for g in variant.groups}) != len(variant.groups):
                raise ValueError(f"variant {variant.applies_to}: group codes must be unique")
            total = sum((i.max_points for i in indicators), Decimal(0))
            if total != self.max_points:
                raise ValueError(
                    f"variant {variant.applies_to}: the indicators' points sum to {total}, "
                    f"not max_points ({self.max_points})"
                )
        return self

    # ------------------------------------------------------------------ reading the rules

    def variant(self, kind: VariantKind) -> Variant | None:
        by_kind = {v.applies_to: v for v in self.variants}
        return by_kind.get(kind) or by_kind.get(VariantKind.DEFAULT)

    def rank(self, level: str) -> int:
        """0 for the best level."""
        return [lv.code for lv in self.levels].index(level)

    def band_level(self, total: Decimal) -> str:
        for band in sorted(self.bands, key=lambda b: b.min, reverse=True):
            if total >= band.min:
                return band.level
        return self.bands[0].level


def variant_for(level: str, sector: str) -> VariantKind:
    """The variant a union is rated by, from its level and sector."""
    if level == "occupational":
        return VariantKind.OCCUPATIONAL
    if level == "direct_superior":
        return VariantKind.UPPER_LEVEL
    return VariantKind.STATE if sector == "state" else VariantKind.NON_STATE


class Rating(BaseModel):
    total: Decimal
    band_level: str
    level: str
    complete: bool
    # Conditions that hold, with the level each caps at.
    caps: dict[str, str]
    groups: dict[str, Decimal]


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate(
    scheme: SchemeDefinition,
    variant: Variant,
    scores: dict[str, Decimal],
    flags: dict[str, bool],
) -> Rating:
    """The total, the band's level and the level after the hard conditions' caps."""
    groups = {
        g.code: sum((scores.get(i.code, Decimal(0)) for i in g.indicators), Decimal(0))
        for g in variant.groups
    }
    total = q2(sum(groups.values(), Decimal(0)))
    complete = all(i.code in scores for i in variant.indicators())
    band = scheme.band_level(total)
    caps: dict[str, str] = {}
    for condition in scheme.conditions:
        if condition.answerable:
            # A data_below condition's answer is in the flags: the records' where they can
            # answer (see `evaluations.sources`), else the one entered.
            holds = bool(flags.get(condition.code))
        else:
            assert condition.share is not None
            holds = any(groups[g.code] < g.max_points * condition.share for g in variant.groups)
        if holds:
            caps[condition.code] = condition.cap_level
    level = band
    for cap in caps.values():
        if scheme.rank(cap) > scheme.rank(level):
            level = cap
    return Rating(
        total=total,
        band_level=band,
        level=level,
        complete=complete,
        caps=caps,
        groups={k: q2(v) for k, v in groups.items()},
    )
