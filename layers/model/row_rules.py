"""Rules across the cells of one row: a point is whole and in Beijing, a value has its source or says why it is
missing, a catalogue zone carries the catalogue's fields, an English text has its Chinese. Each rule returns
(column, message) pairs for the row."""

from __future__ import annotations

from geo.crs import BEIJING_LAT_RANGE, BEIJING_LON_RANGE, in_beijing_box


def point_checks(row: dict, _row_id: str) -> list[tuple[str, str]]:
    """A point is both coordinates and its datum and source, or none of them; inside Beijing's box."""
    found: list[tuple[str, str]] = []
    lon, lat = row.get("lon"), row.get("lat")
    if (lon is None) != (lat is None):
        found.append(("lon" if lon is None else "lat", "a point needs both lon and lat"))
        return found
    if lon is None:
        return found
    lon_ok = BEIJING_LON_RANGE[0] <= lon <= BEIJING_LON_RANGE[1]
    lat_ok = BEIJING_LAT_RANGE[0] <= lat <= BEIJING_LAT_RANGE[1]
    if in_beijing_box(lat, lon):  # the values fit Beijing only the other way round
        found.append(("lon", f"lon={lon} and lat={lat} look swapped (Beijing is near lon 116, lat 40)"))
    elif not (-180 <= lon <= 180):
        found.append(("lon", f"{lon} is not a longitude (-180..180)"))
    elif not (-90 <= lat <= 90):
        found.append(("lat", f"{lat} is not a latitude (-90..90)"))
    elif not lon_ok or not lat_ok:
        found.append(("lon" if not lon_ok else "lat", f"point ({lon}, {lat}) is outside Beijing"))
    for needed in ("datum", "precision_m", "point_source", "point_year"):
        if needed in row and row.get(needed) is None:
            found.append((needed, "a point needs its datum, precision, source and year"))
    return found


def sourced(value_column: str, *needed: str, gap_column: str | None = None):
    """A value needs its source and year; a missing value needs the reason it is missing."""

    def check(row: dict, _row_id: str) -> list[tuple[str, str]]:
        has_value = row.get(value_column) not in (None, ())
        found = []
        if has_value:
            found += [(n, f"{value_column} is given without its {n}") for n in needed if row.get(n) in (None, ())]
        elif gap_column and not row.get(gap_column):
            found.append((value_column, f"empty, and {gap_column} does not say why"))
        return found

    return check


#: What a zone of the 2018 catalogue carries beside its ``catalogue_code``.
CATALOGUE_FIELDS = (
    "catalogue_type",
    "approved",
    "approved_area_ha",
    "leading_industries",
    "leading_industries_zh",
    "catalogue_source",
)


def catalogue_checks(row: dict, _row_id: str) -> list[tuple[str, str]]:
    """A zone of the 2018 catalogue carries all of the catalogue's fields, and its level is the catalogue's."""
    fields = CATALOGUE_FIELDS
    code = row.get("catalogue_code")
    if code is None:
        return [
            (f, "a catalogue field needs the zone's catalogue_code") for f in fields if row.get(f) not in (None, "", ())
        ]
    found = [(f, f"catalogue zone {code} needs its {f}") for f in fields if row.get(f) in (None, "", ())]
    level = "national" if code.startswith("G") else "provincial"
    if row.get("level") not in (None, level):
        found.append(("level", f"catalogue code {code} is a {level} zone, not {row.get('level')}"))
    return found


def translated(*fields: str):
    """A user-facing English text needs its Chinese (``<field>_zh``), so the Chinese app can show the data in
    Chinese."""

    def check(row: dict, _row_id: str) -> list[tuple[str, str]]:
        return [
            (f"{f}_zh", f"{f} is given without its Chinese text")
            for f in fields
            if row.get(f) not in (None, "") and row.get(f"{f}_zh") in (None, "")
        ]

    return check
