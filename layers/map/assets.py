"""Leaflet and jQuery from pinned PyPI packages (XStatic), and Leaflet.heat from folium's, so maps render with no
internet.

The app serves them from Streamlit's static folder; exports inline them. folium's CDN links are replaced
on each map instance (never on the class, which would change every map in the process).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import folium
import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet

from ..files import write_bytes_atomically

LEAFLET_DIR = Path(xs_leaflet.BASE_DIR)
JQUERY_DIR = Path(xs_jquery.BASE_DIR)
VENDOR_NAME = f"leaflet-{xs_leaflet.VERSION}-jquery-{xs_jquery.VERSION}"

#: Leaflet.heat as folium ships it (5 KB, in folium's own package, so pinned with folium).
HEAT_JS = Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js"
#: What a map of ours needs, by folium's asset names: Leaflet's script and stylesheet, jQuery for popups, and
#: Leaflet.heat for the enterprise heatmap.
JS_FILES = {"leaflet": LEAFLET_DIR / "leaflet.js", "jquery": JQUERY_DIR / "jquery.min.js", "leaflet_heat": HEAT_JS}
CSS_FILES = {"leaflet_css": LEAFLET_DIR / "leaflet.css"}


def publish(static_dir: Path) -> Path:
    """Copy the assets under ``static_dir/vendor/<versions>/`` once; return that folder."""
    target = Path(static_dir) / "vendor" / VENDOR_NAME
    if not all((target / path.name).exists() for path in JS_FILES.values()):
        target.mkdir(parents=True, exist_ok=True)
        for source in [*JS_FILES.values(), *CSS_FILES.values()]:
            shutil.copy2(source, target / source.name)
        shutil.copytree(LEAFLET_DIR / "images", target / "images", dirs_exist_ok=True)
    return target


def publish_json(static_dir: Path, name: str, data: dict) -> str:
    """Write ``data`` under ``static_dir/data/`` for the app to serve; return its URL path."""
    write_bytes_atomically(Path(static_dir) / "data" / name, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return f"/app/static/data/{name}"


def use_served_assets(m: folium.Map, base_url: str) -> None:
    """Point the map's scripts and stylesheets at copies served under ``base_url`` (e.g. /app/static/vendor/...)."""
    base = base_url.rstrip("/")
    m.default_js = [(name, f"{base}/{path.name}") for name, path in JS_FILES.items()]
    m.default_css = [(name, f"{base}/{path.name}") for name, path in CSS_FILES.items()]


def use_inline_assets(m: folium.Map) -> None:
    """Embed the scripts and stylesheets in the page as data: URLs, for a single self-contained file."""

    m.default_js = [(name, _data_url(path.read_bytes(), "text/javascript")) for name, path in JS_FILES.items()]
    m.default_css = [
        (name, _data_url(_css_with_inline_images(path).encode("utf-8"), "text/css")) for name, path in CSS_FILES.items()
    ]


def _data_url(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _css_with_inline_images(path: Path) -> str:
    """Leaflet's CSS finds its images relative to itself; inlined, they must travel inside it."""

    def inline(match: re.Match) -> str:
        image = path.parent / match.group(1)
        return f"url({_data_url(image.read_bytes(), 'image/png')})" if image.exists() else match.group(0)

    return re.sub(r"url\((images/[^)]+\.png)\)", inline, path.read_text(encoding="utf-8"))
