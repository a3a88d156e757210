"""Every user-facing text exists in English and in Chinese, with the same placeholders, and every closed vocabulary
the data uses has a label in both languages."""

from __future__ import annotations

import re

from layers.labels import catalogue
from layers.model.schema import CATALOGUE_TYPES, LEVELS

PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


def test_both_languages_have_the_same_tables_and_keys():
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh)
    missing = {table: sorted(set(en[table]) ^ set(zh[table])) for table in en if set(en[table]) != set(zh[table])}
    assert missing == {}


def test_no_text_is_empty_and_placeholders_match():
    en, zh = catalogue("en"), catalogue("zh")
    for table in en:
        for key, english in en[table].items():
            chinese = zh[table][key]
            assert english.strip() and chinese.strip(), (table, key)
            assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(chinese)), (table, key)


def test_every_level_and_catalogue_type_has_its_label():
    for lang in ("en", "zh"):
        assert set(catalogue(lang)["levels"]) == set(LEVELS)
        assert set(catalogue(lang)["catalogue_types"]) == set(CATALOGUE_TYPES)


def test_every_closed_vocabulary_has_its_labels_in_both_languages():
    from layers.model.vocab import Level, ParkKind, Placement

    for lang in ("en", "zh"):
        assert set(catalogue(lang)["kinds"]) == {k.value for k in ParkKind}
        assert set(catalogue(lang)["levels"]) == {k.value for k in Level}
        assert set(catalogue(lang)["placements"]) == {k.value for k in Placement}
