"""A company list on the map: a canvas layer that stays smooth at 100,000 firms and more.

Firms travel as typed arrays (float32 lon/lat, one byte each for sector, district and park), base64 in one
JSON object: 100,000 firms are about 1.4 MB with their names, against 10+ MB as GeoJSON. The browser draws
them on canvas tiles (only the firms inside each 256-pixel tile, batched by colour), so panning never touches
the DOM per firm; a click finds the nearest firm and opens its card. The sector and district filters are
applied in the page, so the app sends the data once and each filter change sends only the filter.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from branca.element import Template

from geo.csvfile import BIDI_CONTROLS
from geo.datums import Datum, convert

from ...enterprises import DRAWN_STATUSES, ColumnMap
from ...labels import text
from ...model.load import Atlas
from ..legend import with_number
from ..overlay import DrawContext, Drawn
from ..spec import Geometry, LayerSpec
from ..styles import NO_SECTOR_COLOUR

SPEC = LayerSpec("enterprises", Geometry.CANVAS, needs_firms=True)
HEAT_SPEC = LayerSpec("heatmap", Geometry.CANVAS, shown=False, needs_firms=True)
#: A firm placed from its address at a place's centre this coarse (or coarser) is marked approximate.
APPROXIMATE_FROM_M = 300

#: The layer's page script (``atlasFirmLayer``), kept as JavaScript so it reads, lints and diffs as such.
FIRM_LAYER_JS = (Path(__file__).with_name("firms.js")).read_text(encoding="utf-8")
NONE_INDEX = 255  # "no sector / no district / no park" in the one-byte index arrays


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def _indices(values: pd.Series, vocabulary: list[str]) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(vocabulary)}
    return (
        np.array([lookup.get(v, NONE_INDEX) for v in values], dtype=np.uint8) if len(values) else np.zeros(0, np.uint8)
    )


def firm_payload(
    enriched: pd.DataFrame, columns: ColumnMap, atlas: Atlas, lang: str = "en", datum: Datum = Datum.WGS84
) -> dict:
    """The firms to draw (placed ones, duplicates once), as the JSON object the layer's script reads.

    Points are shifted to ``datum`` when the basemap's tiles are drawn in GCJ-02 (Gaode).
    """
    drawn = enriched[enriched["atlas_status"].isin(DRAWN_STATUSES)]
    lon, lat = drawn["atlas_lon"].to_numpy(dtype=float), drawn["atlas_lat"].to_numpy(dtype=float)
    if datum is not Datum.WGS84:
        lon, lat = convert(lon, lat, Datum.WGS84, datum)
    present = set(drawn["atlas_sector"])
    sectors = [code for code in atlas.sectors.codes if code in present]
    if len(sectors) >= NONE_INDEX:
        raise ValueError(f"{len(sectors)} sectors on one map: the layer can index at most {NONE_INDEX - 1}")
    districts = atlas.districts.sort_values("adcode")
    parks = sorted(set(drawn["atlas_park"]) - {""})
    park_names = dict(zip(atlas.parks["id"], atlas.parks["name_zh" if lang == "zh" else "name_en"], strict=True))
    name_column = "name_zh" if lang == "zh" else "name_en"
    precision = (
        drawn["atlas_precision_m"].to_numpy(dtype=float)
        if "atlas_precision_m" in drawn
        else np.full(len(drawn), np.nan)
    )
    approximate = np.nan_to_num(precision, nan=0.0) >= APPROXIMATE_FROM_M
    return {
        "n": len(drawn),
        "datum": datum.value,
        "lon": _b64(np.asarray(lon, dtype=np.float32)),
        "lat": _b64(np.asarray(lat, dtype=np.float32)),
        "sector": _b64(_indices(drawn["atlas_sector"], sectors)),
        "district": _b64(_indices(drawn["atlas_district"], list(districts["adcode"]))),
        "park": _b64(_indices(drawn["atlas_park"], parks)),
        "approx": _b64(approximate.astype(np.uint8)),
        "approx_label": text(lang)["firms_approximate"],
        "sectors": sectors,
        "colours": [atlas.sectors.colour(code) for code in sectors] + [NO_SECTOR_COLOUR],
        "labels": [atlas.sectors[code].label(lang) for code in sectors] + [text(lang)["firms_unmapped"]],
        "districts": list(districts["adcode"]),
        "district_names": list(districts[name_column]),
        "parks": [park_names.get(p, p) for p in parks],
        # Names come from the user's file: base64 of UTF-8 lines, so no '{{' in a name can reach folium's templating.
        "names": base64.b64encode(
            "\n".join(
                # Bidirectional controls would make one name read as another on screen: shown by name instead.
                drawn[columns.name]
                .fillna("")
                .astype(str)
                .str.replace(r"[\r\n]+", " ", regex=True)
                .str.replace(BIDI_CONTROLS.pattern, lambda m: f"<U+{ord(m.group()):04X}>", regex=True)
            ).encode("utf-8")
        ).decode("ascii"),
    }


@dataclass(frozen=True)
class FirmSource:
    """What a map needs to draw a list: the data inline, or the key it is kept under in the page; and its counts.

    An exported file carries the payload inline. The app never publishes a user's list as a file: it puts the payload
    into that user's page over their session, under ``page_key``, and the map's script reads it from there.
    """

    #: firms per (sector code or '', district adcode or '') among those drawn
    counts: dict[tuple[str, str], int]
    payload: dict | None = None
    page_key: str | None = None
    sectors: tuple[str, ...] = field(default=())
    #: the datum the payload's points are in: the basemap's
    datum: Datum = Datum.WGS84

    @classmethod
    def of(
        cls,
        enriched: pd.DataFrame,
        payload: dict | None = None,
        page_key: str | None = None,
        datum: Datum = Datum.WGS84,
    ) -> FirmSource:
        """Counts from the enriched list; the payload inline (exports) or the key it is kept under in the page (app)."""
        drawn = enriched[enriched["atlas_status"].isin(DRAWN_STATUSES)]
        counts = drawn.groupby(["atlas_sector", "atlas_district"]).size()
        return cls(
            {k: int(v) for k, v in counts.items()}, payload, page_key, tuple(sorted(set(drawn["atlas_sector"]))), datum
        )

    def shown(self, sectors: frozenset[str] | None, districts: frozenset[str] | None) -> int:
        """How many firms a filter leaves: None means no filter on that dimension."""
        return sum(
            n
            for (s, d), n in self.counts.items()
            if (sectors is None or s in sectors) and (districts is None or d in districts)
        )


def shown_label(lang: str, count: int) -> str:
    """The legend line counting the firms shown; the page updates the number as filters change."""
    return with_number(text(lang)["legend_firms_shown"], f'<b class="atlas-firm-count">{count:,}</b>')


class FirmLayer(folium.map.Layer):
    """The canvas layer (and optional heatmap) of a company list; listed in the layer control like any layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        {{ this.code }}
        atlasFirmLayer({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.options|tojson }},
            {{ this.payload|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        source: FirmSource,
        name: str,
        sectors: frozenset[str] | None,
        districts: frozenset[str] | None,
        heat: bool = False,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "FirmLayer"
        self.payload = source.payload
        self.options = {
            "page_key": source.page_key,
            "heat": heat,
            "sectors": None if sectors is None else sorted(sectors),
            "districts": None if districts is None else sorted(districts),
            "show": show,
        }
        self.code = FIRM_LAYER_JS


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> None:
    """Nothing to prepare from the atlas: a company list arrives with the request (``DrawContext.firms``)."""
    return None


def draw(m: folium.Map, ctx: DrawContext, prepared: None) -> Drawn:
    """The list's canvas layer (and its heatmap when switched on), filtered by the selection's sectors and districts."""
    source: FirmSource | None = ctx.firms
    if source is None:
        return Drawn()
    sectors, districts = ctx.shown.sectors, ctx.shown.districts
    count = source.shown(sectors, districts)  # what the filters leave, whether or not the layer is switched on
    if SPEC.key not in ctx.switched_on:
        return Drawn(firms_shown=count)
    if source.datum is not ctx.datum:
        raise ValueError(f"the company list was prepared in {source.datum.value}, the basemap is {ctx.datum.value}")
    element = FirmLayer(source, ctx.titles[SPEC.key], sectors, districts, heat=HEAT_SPEC.key in ctx.switched_on)
    element.add_to(m)
    # Only the sectors that have firms on the map under this filter: the legend lists what is shown.
    present = tuple(
        dict.fromkeys(
            s
            for (s, d), n in sorted(source.counts.items())
            if n and (sectors is None or s in sectors) and (districts is None or d in districts)
        )
    )
    ordered = tuple(code for code in ctx.atlas.sectors.codes if code in present)
    return Drawn(
        element,
        sectors=ordered,
        unmapped_firms="" in present,
        firm_line=shown_label(ctx.lang, count),
        firms_shown=count,
    )
