"""The app's views, one module each; ``VIEWS`` maps the sidebar's choice to the function that draws it."""

from __future__ import annotations

from collections.abc import Callable

from ..context import Page
from . import compare, layout, map_view, nearby, rank

VIEWS: dict[str, Callable[[Page], None]] = {
    "map": map_view.show,
    "nearby": nearby.show,
    "compare": compare.show,
    "rank": rank.show,
    "layout": layout.show,
}
