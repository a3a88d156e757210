"""Text from data, links and uploads shown as text: Streamlit's Markdown would otherwise read '**', '[x](url)',
':red[...]' or '$...$' in it as formatting, links or images."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def md(text: object) -> str:
    """Escape every Markdown (and Streamlit directive) character, so the text shows exactly as written."""
    return _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))
