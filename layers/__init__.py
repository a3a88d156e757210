"""The atlas below the app: data, selection, analysis, labelled views, the map, exports and company lists.

This package's face is what the app imports (``from layers import ...``); inside the package nothing imports it.
The parts, bottom to top: ``labels``, ``files``, ``errors``; the data model (``schema``, ``load``, ``sectors``,
``extents``); ``format``; ``selection`` and ``analysis``; ``views`` and ``enterprises``; ``map``; ``export``.
"""

from __future__ import annotations

from geo.datums import Datum, convert

from . import format
from .analysis import (
    MAX_DISTRICTS_PER_INDUSTRY,
    MAX_LEADING_PER_DISTRICT,
    ZONING_TAXONOMIES,
    RankRequest,
    district_sector_matrix,
    hub_access,
    hub_distances,
    leading_industries,
    nearby,
    rank_parks,
    zoning_check,
)
from .enterprises import DRAWN_STATUSES, EnterpriseInputError, EnterpriseResult, process_table, read_enterprise_table
from .enterprises.joining import label_counts
from .enterprises.output import MIME_TYPES as LIST_MIME_TYPES
from .enterprises.output import enriched_bytes, table_bytes
from .enterprises.reading import encoding_label
from .errors import AtlasError, UnknownKey
from .export import FORMATS, export_bytes, export_filename
from .format import EMPTY
from .labels import LANGS, LANGUAGE_NAMES, Lang, lang_of, other, term, text, vocabulary
from .map import (
    BASEMAPS,
    LiveBase,
    MapBasis,
    MapContent,
    MapRequest,
    base_of,
    basemap,
    build_layout_map,
    build_map,
    live_base,
    live_state,
    prepare_basis,
    sector_filter,
)
from .map import SPECS as LAYER_SPECS
from .map.assets import VENDOR_NAME, publish, publish_json, use_served_assets
from .map.overlays.firms import FirmSource, firm_payload
from .model.load import Atlas, load_atlas
from .model.sectors import TAXONOMIES
from .places import PlaceLookup, PlaceMatch, find_place, offline_geocoder, place_by_key
from .selection import Selection, Shown, select
from .views.compare import compare_parks, comparison_csv
from .views.firms import district_sector_firms, firms_per_park, park_firms_by_sector, report_table
from .views.layout import behind_table, districts_table, matrix_table, sectors_table, verdict
from .views.nearby import nearby_table
from .views.parks import ParkDetails, clusters_table, park_details, parks_table, sources_table, total_area_km2
from .views.rank import rank_table


def available_basemaps() -> tuple:
    """The basemaps this machine can show (CartoDB needs a key)."""
    return tuple(b for b in BASEMAPS if b.available)


__all__ = [
    "BASEMAPS",
    "DRAWN_STATUSES",
    "EMPTY",
    "FORMATS",
    "LANGS",
    "LANGUAGE_NAMES",
    "LAYER_SPECS",
    "LIST_MIME_TYPES",
    "MAX_DISTRICTS_PER_INDUSTRY",
    "MAX_LEADING_PER_DISTRICT",
    "TAXONOMIES",
    "VENDOR_NAME",
    "ZONING_TAXONOMIES",
    "Atlas",
    "AtlasError",
    "Datum",
    "EnterpriseInputError",
    "EnterpriseResult",
    "process_table",
    "read_enterprise_table",
    "FirmSource",
    "Lang",
    "LiveBase",
    "MapBasis",
    "MapContent",
    "MapRequest",
    "ParkDetails",
    "PlaceLookup",
    "PlaceMatch",
    "RankRequest",
    "Selection",
    "Shown",
    "UnknownKey",
    "available_basemaps",
    "base_of",
    "basemap",
    "behind_table",
    "build_layout_map",
    "build_map",
    "clusters_table",
    "compare_parks",
    "comparison_csv",
    "convert",
    "district_sector_firms",
    "district_sector_matrix",
    "districts_table",
    "encoding_label",
    "enriched_bytes",
    "export_bytes",
    "export_filename",
    "find_place",
    "firm_payload",
    "firms_per_park",
    "format",
    "hub_access",
    "hub_distances",
    "label_counts",
    "lang_of",
    "leading_industries",
    "live_base",
    "live_state",
    "load_atlas",
    "matrix_table",
    "nearby",
    "nearby_table",
    "offline_geocoder",
    "other",
    "park_details",
    "park_firms_by_sector",
    "parks_table",
    "place_by_key",
    "prepare_basis",
    "publish",
    "publish_json",
    "rank_parks",
    "rank_table",
    "report_table",
    "select",
    "sector_filter",
    "sectors_table",
    "sources_table",
    "table_bytes",
    "term",
    "text",
    "total_area_km2",
    "use_served_assets",
    "verdict",
    "vocabulary",
    "zoning_check",
]
