"""A monkey at the app: bounded random sequences of what people do, across every view and both languages.

Each step changes one widget (or uploads a messy list, or presses a button) and reruns the app, which must
never show an exception, must keep every value the monkey set (a language switch once emptied the layers),
and must speak the language chosen. Seeded, so a failure replays exactly.
"""

from __future__ import annotations

import random

import pytest
from streamlit.testing.v1 import AppTest

from .apptest import widget
from .conftest import REPO

TEXTS = ["", "亦庄", "zpark", "集成电路", "Shougang", "<b>x</b>", "{{ 7*7 }}", "  ", "no such park", "Haidian", "软件"]
PLACES = [
    "",
    "Daxing airport",
    "首都机场",
    "Beijing South",
    "Haidian",
    "Beijing airport",
    "39.9, 116.4",
    "39.9, 400",
    "[x](http://example.org)",
    "北京市石景山区首钢园金安路1号",
    "Shougan Park",
    "nowhere at all",
]
MESSY_LIST = (
    'name,sector,lon,lat\nAlpha,hp_ic,116.5,39.79\n"Beta, Inc",Artificial intelligence,116.3,39.98\n'
    "Gamma,餐饮,abc,39.9\n=cmd|' /C calc'!A0,hp_ai,39.9,116.4\n,,,\n"
).encode()


def _present(at: AppTest, kind: str, key: str):
    try:
        return widget(at, kind, key)
    except KeyError:
        return None


def _step(at: AppTest, rng: random.Random, atlas, kept: dict) -> str:
    """One random action a person might take; returns what it did (for the failure message)."""
    parks = list(atlas.parks["id"])
    actions = []
    actions.append(("lang", lambda: at.radio(key="lang").set_value(rng.choice(["en", "zh"]))))
    actions.append(
        (
            "view",
            lambda: widget(at, "radio", "view").set_value(rng.choice(["map", "nearby", "compare", "rank", "layout"])),
        )
    )
    for taxonomy in ("hp2017", "future2023", "shijingshan", "other"):
        codes = [s.code for s in atlas.sectors if s.taxonomy == taxonomy]
        actions.append(
            (
                f"sectors_{taxonomy}",
                lambda codes=codes, t=taxonomy: widget(at, "multiselect", f"sectors_{t}").set_value(
                    rng.sample(codes, rng.choice([0, 0, 1, 2]))
                ),
            )
        )
    actions.append(
        (
            "districts",
            lambda: widget(at, "multiselect", "districts").set_value(
                rng.sample(list(atlas.districts["adcode"]), rng.choice([0, 0, 1, 2]))
            ),
        )
    )
    actions.append(
        (
            "kinds",
            lambda: widget(at, "multiselect", "kinds").set_value(
                rng.sample(["park", "sub-park", "functional zone"], rng.choice([0, 1]))
            ),
        )
    )
    actions.append(("q", lambda: at.text_input(key="q").set_value(rng.choice(TEXTS))))
    layer_keys = ["districts", "extents", "clusters", "parks", "hubs", "enterprises", "heatmap"]

    def set_layers():
        chosen = rng.sample(layer_keys, rng.randint(0, len(layer_keys)))
        kept["layers"] = chosen
        widget(at, "multiselect", "layers").set_value(chosen)

    actions.append(("layers", set_layers))
    actions.append(
        (
            "basemap",
            lambda: widget(at, "selectbox", "basemap").set_value(rng.choice(["osm", "imagery", "gaode", "none"])),
        )
    )
    actions.append(
        ("upload", lambda: at.file_uploader(key="firms_file").set_value(("messy.csv", MESSY_LIST, "text/csv")))
    )
    actions.append(
        ("datum", lambda: widget(at, "selectbox", "firms_datum").set_value(rng.choice(["wgs84", "gcj02", "bd09"])))
    )
    view = at.session_state["view"] if "view" in at.session_state else "map"
    if view == "nearby":
        actions.append(("nearby_q", lambda: at.text_input(key="nearby_q").set_value(rng.choice(PLACES))))
        actions.append(("nearby_km", lambda: at.slider(key="nearby_km").set_value(rng.randint(1, 60))))
        choice = _present(at, "selectbox", "nearby_choice")
        if choice is not None and choice.options:
            actions.append(("nearby_choice", lambda: choice.set_value(rng.choice(choice.options))))
    elif view == "compare":
        actions.append(
            ("compare", lambda: widget(at, "multiselect", "compare").set_value(rng.sample(parks, rng.randint(0, 4))))
        )
    elif view == "rank":
        actions.append(
            (
                "rank_sectors",
                lambda: widget(at, "multiselect", "rank_sectors").set_value(
                    rng.sample(list(atlas.sectors.codes), rng.choice([0, 1, 2]))
                ),
            )
        )
        actions.append(("rank_only", lambda: at.toggle(key="rank_only").set_value(rng.choice([True, False]))))
        for name in ("rank_w_sector", "rank_w_airport", "rank_w_rail", "rank_w_area"):
            actions.append((name, lambda name=name: at.slider(key=name).set_value(rng.choice([0.0, 0.5, 1.0, 5.0]))))
        actions.append(
            (
                "rank_max_airport",
                lambda: at.number_input(key="rank_max_airport").set_value(rng.choice([0.0, 20.0, 40.0])),
            )
        )
        button = _present(at, "button", "rank-compare")
        if button is not None:
            actions.append(("rank-compare", button.click))
    elif view == "layout":
        actions.append(
            (
                "layout_taxonomy",
                lambda: widget(at, "radio", "layout_taxonomy").set_value(rng.choice(["hp2017", "future2023"])),
            )
        )
    name, act = rng.choice(actions)
    act()
    return name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_use_never_breaks_the_app(atlas, seed):
    rng = random.Random(seed)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    kept: dict = {}
    done: list[str] = []
    for _ in range(70):
        done.append(_step(at, rng, atlas, kept))
        at.run()
        assert not at.exception, (done, [e.value for e in at.exception])
        lang = at.session_state["lang"]
        assert at.title[0].value == ("北京产业园区地图" if lang == "zh" else "Beijing Industrial Parks Atlas"), done
        if "layers" in kept:
            assert at.session_state["layers"] == kept["layers"], done  # a language switch keeps what was chosen
            assert widget(at, "multiselect", "layers").value == kept["layers"], done
