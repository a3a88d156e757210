"""Every text the atlas shows a person, in English and Chinese: one home, so a missing translation fails a test.

The texts live in ``en.toml`` and ``zh.toml`` beside this file, one per language with the same keys, so a
translator edits text, not code. ``[text]`` holds the app's and the map's sentences; the other tables label the
data's closed sets (park kinds, taxonomies, placements, place kinds, firm statuses, metrics, units, datums).
Nothing here is HTML: callers escape what they put into markup.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
LANGUAGE_NAMES: dict[Lang, str] = {"en": "English", "zh": "中文"}
VOCABULARIES = ("kinds", "taxonomies", "placements", "place_kinds", "firm_statuses", "metrics", "units", "datums")
#: Chinese sources count money in 亿元 (100 million yuan): a figure recorded in bn CNY is shown ×10 in Chinese.
UNIT_FACTORS: dict[Lang, dict[str, float]] = {"en": {}, "zh": {"bn CNY": 10.0}}

_DIR = Path(__file__).resolve().parent


def lang_of(value: object) -> Lang:
    """'zh' for Chinese, 'en' for anything else: the one place a language code is read."""
    return "zh" if value == "zh" else "en"


def other(lang: str) -> Lang:
    """The other language: a name is shown in the reader's language with the other beside it."""
    return "en" if lang_of(lang) == "zh" else "zh"


@cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The whole catalogue of a language: {'text': {...}, 'kinds': {...}, ...}."""
    with open(_DIR / f"{lang_of(lang)}.toml", "rb") as f:
        return tomllib.load(f)


def text(lang: str) -> dict[str, str]:
    """The sentences for a language ('en' or 'zh')."""
    return catalogue(lang)["text"]


def vocabulary(name: str, lang: str) -> dict[str, str]:
    """One closed set's labels, e.g. ``vocabulary('kinds', 'zh')['sub-park'] == '分园'``."""
    return catalogue(lang)[name]


def term(name: str, code: str, lang: str) -> str:
    """One code's label in a vocabulary, or the code itself when the vocabulary does not know it."""
    return catalogue(lang)[name].get(code, code)
