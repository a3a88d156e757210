"""The sector vocabulary: one stable code per sector, with labels, taxonomy and a fixed colour."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: Colour-blind-safe categorical palettes. Each taxonomy draws its top-level sectors from one of them,
#: so that sectors shown together within a taxonomy stay distinguishable; a sub-sector wears its
#: parent's colour.
PALETTES: dict[str, tuple[str, ...]] = {
    # Paul Tol, "muted" qualitative scheme (personal.sron.nl/~pault/), nine colours.
    "tol_muted": ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499"),
    # Okabe & Ito, "Color Universal Design" (2008), eight colours including black.
    "okabe_ito": ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"),
    # Paul Tol, "vibrant" qualitative scheme, seven colours.
    "tol_vibrant": ("#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988", "#BBBBBB"),
    # Paul Tol, "bright" qualitative scheme, seven colours.
    "tol_bright": ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"),
}

#: The taxonomies a sector can belong to, with what each one is.
TAXONOMIES: dict[str, str] = {
    "hp2017": "Beijing's ten high-precision industries (Dec 2017)",
    "future2023": "Beijing's future-industries plan (Sept 2023): six fields, twenty industries",
    "shijingshan": "Shijingshan District's leading and featured sectors",
    "other": "Sectors named by park sources that no Beijing taxonomy above covers",
}


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB '#RRGGBB' -> CIE L*a*b* (D65), the space where distances follow what the eye sees."""

    def linear(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def colour_distance(a: str, b: str) -> float:
    """How different two colours look: CIE76 delta E (about 2 is just noticeable; under 5 reads as the same)."""
    return math.dist(_lab(a), _lab(b))


@dataclass(frozen=True)
class Sector:
    """One sector of the vocabulary."""

    code: str
    label_en: str
    label_zh: str
    taxonomy: str
    parent: str | None
    colour: str
    also_in: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The label in 'en' or 'zh'."""
        return self.label_zh if lang == "zh" else self.label_en


class SectorVocabulary:
    """Sectors by code, in the order the data lists them."""

    def __init__(self, sectors: Iterable[Sector]):
        self._by_code = {s.code: s for s in sectors}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Sector:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown sector code {code!r}") from None

    def __iter__(self) -> Iterator[Sector]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def colour(self, code: str) -> str:
        """The fixed colour of a sector."""
        return self[code].colour

    def in_taxonomy(self, taxonomy: str) -> list[Sector]:
        """Sectors whose home taxonomy is ``taxonomy`` or that the taxonomy also names."""
        return [s for s in self if s.taxonomy == taxonomy or taxonomy in s.also_in]

    def ancestry(self, code: str) -> tuple[str, ...]:
        """The sector and its parents, nearest first (a loop in the data ends the walk, it does not hang it)."""
        chain = [code]
        while (parent := self[chain[-1]].parent) and parent in self._by_code and parent not in chain:
            chain.append(parent)
        return tuple(chain)

    def top_level(self, code: str) -> Sector:
        """The root of a sector's parent chain."""
        return self[self.ancestry(code)[-1]]

    def expand(self, selected: Iterable[str]) -> frozenset[str]:
        """The selected sectors with all their sub-sectors: choosing 'future information' finds 'general AI' too."""
        chosen = set(selected)
        return frozenset(s.code for s in self if chosen.intersection(self.ancestry(s.code)))
