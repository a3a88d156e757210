"""Industry clusters: a dashed ring round each host park (a second cluster at one park gets a wider ring), or a
dashed outline of the host district when no host park has a point. Hovering a ring names the cluster."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.datums import Datum

from ... import format as fmt
from ...model.load import Atlas
from ..overlay import DrawContext, Drawn, collection, geojson, interaction, shift
from ..popups import cluster_tooltip
from ..spec import Geometry, LayerSpec
from ..styles import NO_SECTOR_COLOUR, cluster_style

SPEC = LayerSpec("clusters", Geometry.POINT)
RING_RADIUS = 14  # px; a park's dot is 8
RING_STEP = 5  # px between the rings of several clusters at one park


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict[str, list[dict]]:
    """Cluster id -> its ring (or outline) features, with id, colour, radius, sectors and tooltip."""
    parks_by_id = atlas.parks.set_index("id")
    rings_at: dict[str, int] = {}
    prepared: dict[str, list[dict]] = {}
    for _, cluster in atlas.clusters.iterrows():
        hosts = [
            p for p in cluster["host_parks"] or () if p in parks_by_id.index and parks_by_id.loc[p].geometry is not None
        ]
        host_names = [fmt.name(parks_by_id.loc[p], lang) for p in cluster["host_parks"] or () if p in parks_by_id.index]
        host_names += [fmt.district_name(atlas, d, lang) for d in cluster["host_districts"] or ()]
        sectors = list(cluster["sectors"] or ())
        colour = atlas.sectors.colour(sectors[0]) if sectors else NO_SECTOR_COLOUR
        radii = []
        for park in hosts:
            radii.append(RING_RADIUS + RING_STEP * rings_at.get(park, 0))
            rings_at[park] = rings_at.get(park, 0) + 1
        geometries = [parks_by_id.loc[p].geometry for p in hosts]
        if not hosts:
            outline = atlas.districts[atlas.districts["adcode"].isin(cluster["host_districts"] or ())]
            geometries = [outline.geometry.union_all().boundary] if len(outline) else []
            radii = [RING_RADIUS] * len(geometries)
        if geometries:
            frame = gpd.GeoDataFrame(
                {
                    "id": cluster["id"],
                    "colour": colour,
                    "radius": radii,
                    "sectors": [sectors] * len(radii),
                    "tooltip": cluster_tooltip(cluster, host_names, atlas, lang),
                },
                geometry=geometries,
                crs="EPSG:4326",
            )
            prepared[cluster["id"]] = geojson(shift(frame, datum), ["id", "colour", "radius", "sectors", "tooltip"])[
                "features"
            ]
    return prepared


def draw(m: folium.Map, ctx: DrawContext, prepared: dict[str, list[dict]]) -> Drawn:
    features = [f for cid in ctx.shown.clusters["id"] for f in prepared.get(cid, [])]
    if not features:
        return Drawn()
    element = folium.GeoJson(
        collection(features),
        name=ctx.titles[SPEC.key],
        marker=folium.CircleMarker(radius=RING_RADIUS),
        style_function=cluster_style,
        **interaction(),
    )
    element.add_to(m)
    if ctx.filterable:
        listed = {code for f in features for code in f["properties"]["sectors"]}
        if ctx.shown.sectors is not None:  # a file filtered to some sectors offers those sectors' boxes only
            listed &= ctx.shown.sectors
        sectors = tuple(code for code in ctx.atlas.sectors.codes if code in listed)
    else:  # a ring wears its cluster's first sector's colour: the legend names that colour
        sectors = tuple(dict.fromkeys(f["properties"]["sectors"][0] for f in features if f["properties"]["sectors"]))
    return Drawn(element, sectors=sectors, rings=True, parts={"clusters": element})
