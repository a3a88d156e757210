"""The names people use for the atlas's codes: a sector, district or kind typed as a code or a name, in either
language."""

from __future__ import annotations

from collections.abc import Callable

from geo.gazetteer import normalise_name

from .errors import UnknownKey
from .labels import vocabulary
from .model.load import Atlas
from .model.schema import PARK_KINDS


def _resolver(names: dict[str, list[str]]) -> Callable[[str], str | None]:
    index = {normalise_name(n): code for code, spellings in names.items() for n in spellings}
    return lambda value: index.get(normalise_name(value))


def resolve(values: list[str], kind: str, names: dict[str, list[str]]) -> list[str]:
    """Each value's code; UnknownKey lists every choice with its names when one is not known."""
    find = _resolver(names)
    unknown = [v for v in values if find(v) is None]
    if unknown:
        raise UnknownKey(
            kind,
            unknown,
            [f"{code} ({' / '.join(n for n in spellings[1:3] if n)})" for code, spellings in names.items()],
        )
    return [find(v) for v in values]


def vocabularies(atlas: Atlas) -> dict[str, dict[str, list[str]]]:
    """Code -> its accepted spellings, for sectors, districts and kinds."""
    districts = {
        a: [a, en, zh, zh.removesuffix("区"), f"{en} District"]
        for a, en, zh in zip(
            atlas.districts["adcode"], atlas.districts["name_en"], atlas.districts["name_zh"], strict=True
        )
    }
    return {
        "sector": {s.code: [s.code, s.label_en, s.label_zh] for s in atlas.sectors},
        "district": districts,
        "kind": {k: [k, vocabulary("kinds", "en")[k], vocabulary("kinds", "zh")[k]] for k in PARK_KINDS},
    }
