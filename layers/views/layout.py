"""The layout check as people read it: a one-line verdict and tables of names, not codes."""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from ..labels import text
from ..model.load import Atlas


def verdict(by_district: pd.DataFrame, by_sector: pd.DataFrame, atlas: Atlas, lang: str) -> str:
    """One sentence: does the data meet the principle, and if not, how often does it break it."""
    t = text(lang)
    districts, sectors = int((~by_district["meets"]).sum()), int((~by_sector["meets"]).sum())
    if districts == 0 and sectors == 0:
        return t["layout_verdict_ok"]
    return t["layout_verdict"].format(districts=districts, n_districts=len(atlas.districts), sectors=sectors)


def _yes_no(value: bool, lang: str) -> str:
    return text(lang)["yes" if value else "no"]


def districts_table(by_district: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    t = text(lang)
    names = fmt.district_names(atlas, lang)
    return pd.DataFrame(
        {
            t["col_district"]: by_district["district"].map(names).to_numpy(),
            t["layout_col_industries"]: [fmt.sector_labels(atlas, s, lang) for s in by_district["sectors"]],
            t["layout_col_count"]: by_district["count"].to_numpy(),
            t["layout_col_meets"]: [_yes_no(v, lang) for v in by_district["meets"]],
        },
        index=pd.Index(by_district["district"].to_numpy(), name="adcode"),
    )


def sectors_table(by_sector: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    t = text(lang)
    names = fmt.district_names(atlas, lang)
    separator = "、" if lang == "zh" else ", "
    return pd.DataFrame(
        {
            t["layout_col_industry"]: [fmt.sector_label(atlas, c, lang) for c in by_sector["sector"]],
            t["layout_col_districts"]: [separator.join(names[d] for d in ds) for ds in by_sector["districts"]],
            t["layout_col_count"]: by_sector["count"].to_numpy(),
            t["layout_col_meets"]: [_yes_no(v, lang) for v in by_sector["meets"]],
        },
        index=pd.Index(by_sector["sector"].to_numpy(), name="sector"),
    )


def matrix_table(matrix: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    """The district x industry matrix with names on both axes."""
    if matrix.empty:
        return matrix
    named = matrix.rename(index=fmt.district_names(atlas, lang), columns=lambda c: fmt.sector_label(atlas, c, lang))
    named.index.name = text(lang)["col_district"]
    named.columns.name = None
    return named


def behind_table(leading: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    """Each (district, industry) case with the clusters and parks behind it, by name."""
    t = text(lang)
    districts = fmt.district_names(atlas, lang)
    parks = fmt.park_names(atlas, lang)
    clusters = {c["id"]: fmt.name(c, lang) for _, c in atlas.clusters.iterrows()}
    separator = "、" if lang == "zh" else "; "
    return pd.DataFrame(
        {
            t["col_district"]: leading["district"].map(districts).to_numpy(),
            t["layout_col_industry"]: [fmt.sector_label(atlas, c, lang) for c in leading["sector"]],
            t["layout_col_clusters"]: [separator.join(clusters[c] for c in ids) for ids in leading["clusters"]],
            t["layout_col_parks"]: [separator.join(parks[p] for p in ids) for ids in leading["parks"]],
        }
    )
