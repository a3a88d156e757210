"""A user's company list in the app: placed and joined once per upload and datum, shown on the map and in tables.

The list is the user's: it is kept in this session's memory only (``st.cache_resource(scope="session")``), and
forgotten when the session ends.
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from layers import (
    LIST_MIME_TYPES,
    Datum,
    EnterpriseInputError,
    EnterpriseResult,
    FirmSource,
    encoding_label,
    enriched_bytes,
    firm_payload,
    label_counts,
    offline_geocoder,
    process_table,
    read_enterprise_table,
    report_table,
    table_bytes,
)

from . import context, firm_data
from .state import keep, widget_key
from .tables import show_table

#: The most rows one person's list may have in the app (memory is shared by everyone using it: 300,000 firms take
#: about 0.4 GB while placed); the command line has no such limit. ``ATLAS_MAX_FIRMS`` sets it.
DEFAULT_MAX_FIRMS = 300_000


def max_firms() -> int:
    return int(os.environ.get("ATLAS_MAX_FIRMS", DEFAULT_MAX_FIRMS))


ENCODINGS = ("auto", "utf-8", "gb18030", "cp1252", "utf-16")


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def _placed(
    file_id: str, name: str, _data: bytes, datum: str, encoding: str, sheet: str | None
) -> tuple[EnterpriseResult, str | None, tuple[str, ...]]:
    # Keyed by the upload's id and how it is read; the bytes themselves are not hashed on every rerun. The session
    # scope is the promise: the list lives in this person's session only, and is dropped when it ends.
    raw = read_enterprise_table(
        _data, name, encoding=None if encoding == "auto" else encoding, sheet=sheet, max_rows=max_firms()
    )
    result = process_table(raw, context.atlas(), geocoder=offline_geocoder(), default_datum=Datum(datum))
    return result, raw.sheet, raw.sheets


def company_list(t: dict[str, str], lang: str) -> tuple[str, EnterpriseResult] | None:
    """The uploaded list, placed and joined, with a key naming the upload and how it was read; None without one."""
    uploaded = st.session_state.get("firms_file")
    if uploaded is None:
        return None
    datum = st.session_state.get("firms_datum") or "wgs84"
    encoding = st.session_state.get("firms_encoding") or "auto"
    sheet = st.session_state.get("firms_sheet")
    try:
        with st.spinner(t["firms_loading"]):
            result, read_sheet, sheets = _placed(
                uploaded.file_id, uploaded.name, uploaded.getvalue(), datum, encoding, sheet
            )
    except EnterpriseInputError as error:
        st.sidebar.error(t["firms_error"])
        st.sidebar.text(str(error))  # the message may quote the user's own headers: shown as text, never Markdown
        return None
    bar = st.sidebar
    if result.encoding != "xlsx":
        labels = {"auto": t["firms_encoding_auto"], **{e: encoding_label(e) for e in ENCODINGS[1:]}}
        keep(
            "firms_encoding",
            bar.selectbox(
                t["firms_encoding"].format(found=encoding_label(result.encoding)),
                ENCODINGS,
                key=widget_key("firms_encoding", lang, "auto"),
                format_func=labels.get,
            ),
        )
    if len(sheets) > 1:
        keep(
            "firms_sheet",
            bar.selectbox(
                t["firms_sheet"],
                sheets,
                index=sheets.index(read_sheet),
                key=widget_key("firms_sheet", lang, read_sheet),
            ),
        )
    return f"{uploaded.file_id}-{datum}-{encoding}-{sheet}", result


@st.cache_resource(show_spinner=False, scope="session", max_entries=4)
def _source(key: str, lang: str, datum: str, _result: EnterpriseResult) -> tuple[FirmSource, dict]:
    payload = firm_payload(_result.enriched, _result.columns, context.atlas(), lang, Datum(datum))
    # A random key, not one derived from the file: nothing about the list can be guessed from outside the page.
    source = FirmSource.of(_result.enriched, page_key=secrets.token_urlsafe(18), datum=Datum(datum))
    return source, payload


def firm_source(page: context.Page, datum: str) -> FirmSource | None:
    """The list as the map draws it, prepared once per list, language and datum, and sent into this session's page."""
    if page.firms is None or page.firms_key is None:
        return None
    source, payload = _source(page.firms_key, page.lang, datum, page.firms)
    firm_data.send(source.page_key, payload)
    return source


def inline_source(page: context.Page, datum: Datum) -> FirmSource | None:
    """The list inline, for an HTML file that must open with no server behind it."""
    if page.firms is None:
        return None
    result = page.firms
    return FirmSource.of(
        result.enriched,
        payload=firm_payload(result.enriched, result.columns, page.atlas, page.lang, datum),
        datum=datum,
    )


def firms_section(page: context.Page) -> None:
    """The list's summary, its unknown sector labels, the rows with problems, and the downloads."""
    result, t = page.firms, page.t
    if result is None:
        return
    st.subheader(t["firms_header"])
    statuses = result.status_counts
    st.write(
        t["firms_summary"].format(
            rows=len(result.enriched),
            read=encoding_label(result.encoding),
            placed=statuses["placed"],
            outside=statuses["outside_beijing"],
            not_placed=statuses["not_placed"],
            duplicate=statuses["duplicate"],
        )
    )
    unknown = result.unknown_sectors
    if len(unknown):
        st.warning(t["firms_unknown"])
        st.text(", ".join(f"{label} ({n:,})" for label, n in unknown.items()))
    report = result.report
    with st.expander(t["firms_report"].format(n=len(report)), expanded=bool(statuses["not_placed"])):
        show_table(report_table(report, page.lang), "firms-report")
    st.caption(t["firms_download"])
    keep_formulas = st.checkbox(t["firms_keep_formulas"], key="firms_keep_formulas", help=t["firms_keep_formulas_help"])
    stem = (
        (st.session_state["firms_file"].name.rsplit(".", 1)[0] or "enterprises")
        if st.session_state.get("firms_file")
        else "enterprises"
    )
    columns = st.columns(len(LIST_MIME_TYPES) + 2)
    for column, (fmt, mime) in zip(columns, LIST_MIME_TYPES.items(), strict=False):
        column.download_button(
            fmt.upper(),
            data=lambda fmt=fmt: enriched_bytes(result.enriched, fmt, keep_formulas),
            file_name=f"{stem}-enriched.{fmt}",
            mime=mime,
            key=f"firms-download-{fmt}",
            on_click="ignore",
        )
    columns[-2].download_button(
        "problems.csv",
        data=lambda: table_bytes(report, keep_formulas),
        file_name=f"{stem}-problems.csv",
        mime="text/csv",
        key="firms-download-report",
        on_click="ignore",
    )
    columns[-1].download_button(
        "counts.csv",
        data=lambda: table_bytes(label_counts(result.counts, page.atlas)),
        file_name=f"{stem}-counts.csv",
        mime="text/csv",
        key="firms-download-counts",
        on_click="ignore",
    )
