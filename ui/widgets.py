"""List boxes as people use them: typing keeps the options containing the text, and Enter picks the one
highlighted, never a 'select all matches' (Streamlit's default offers that first, so Enter picked every match)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: Options containing the typed text, in order (Streamlit's default fuzzy match reorders and surprises).
FILTER_MODE = "contains"


def multiselect(
    container: Any,
    label: str,
    options: Sequence[Any],
    key: str,
    format_func: Callable[[Any], str],
    placeholder: str,
    **kwargs: Any,
) -> list[Any]:
    """``container.multiselect`` with the atlas's typing rules."""
    return container.multiselect(
        label,
        options,
        key=key,
        format_func=format_func,
        placeholder=placeholder,
        filter_mode=FILTER_MODE,
        select_all=False,
        **kwargs,
    )
