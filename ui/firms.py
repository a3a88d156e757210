"""A user's company list in the app: placed and joined once per upload and datum, shown on the map and in tables.

The list is the user's: it is kept in this session's memory only (``st.cache_resource(scope="session")``), and
forgotten when the session ends.
"""

from __future__ import annotations

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
    publish_json,
    read_enterprise_table,
    report_table,
    table_bytes,
)

from . import context
from .tables import show_table


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def _placed(file_id: str, name: str, _data: bytes, datum: str) -> EnterpriseResult:
    # Keyed by the upload's id and the datum; the bytes themselves are not hashed on every rerun.
    raw = read_enterprise_table(_data, name)
    return process_table(raw, context.atlas(), geocoder=offline_geocoder(), default_datum=Datum(datum))


def company_list(t: dict[str, str]) -> tuple[str, EnterpriseResult] | None:
    """The uploaded list, placed and joined, with a key naming the upload and datum; None without one (or if refused)."""
    uploaded = st.session_state.get("firms_file")
    if uploaded is None:
        return None
    datum = st.session_state.get("firms_datum") or "wgs84"
    try:
        with st.spinner(t["firms_loading"]):
            result = _placed(uploaded.file_id, uploaded.name, uploaded.getvalue(), datum)
    except EnterpriseInputError as error:
        st.sidebar.error(t["firms_error"])
        st.sidebar.text(str(error))
        return None
    return f"{uploaded.file_id}-{datum}", result


@st.cache_resource(show_spinner=False, scope="session", max_entries=4)
def _source(key: str, lang: str, datum: str, _result: EnterpriseResult) -> FirmSource:
    payload = firm_payload(_result.enriched, _result.columns, context.atlas(), lang, Datum(datum))
    url = publish_json(context.STATIC_DIR, f"firms-{key}-{lang}-{datum}.json", payload)
    return FirmSource.of(_result.enriched, url=url, datum=Datum(datum))


def firm_source(page: context.Page, datum: str) -> FirmSource | None:
    """The list as the map draws it, prepared once per list, language and datum."""
    if page.firms is None or page.firms_key is None:
        return None
    return _source(page.firms_key, page.lang, datum, page.firms)


def inline_source(page: context.Page, datum: Datum) -> FirmSource | None:
    """The list inline, for an HTML file that must open with no server behind it."""
    if page.firms is None:
        return None
    result = page.firms
    return FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, page.atlas, page.lang, datum),
                         datum=datum)


def firms_section(page: context.Page) -> None:
    """The list's summary, its unknown sector labels, the rows with problems, and the downloads."""
    result, t = page.firms, page.t
    if result is None:
        return
    st.subheader(t["firms_header"])
    statuses = result.status_counts
    st.write(t["firms_summary"].format(rows=len(result.enriched), read=encoding_label(result.encoding), placed=statuses["placed"],
                                      outside=statuses["outside_beijing"], not_placed=statuses["not_placed"],
                                      duplicate=statuses["duplicate"]))
    unknown = result.unknown_sectors
    if len(unknown):
        st.warning(t["firms_unknown"])
        st.text(", ".join(f"{label} ({n:,})" for label, n in unknown.items()))
    report = result.report
    with st.expander(t["firms_report"].format(n=len(report)), expanded=bool(statuses["not_placed"])):
        show_table(report_table(report, page.lang), "firms-report")
    st.caption(t["firms_download"])
    stem = (st.session_state["firms_file"].name.rsplit(".", 1)[0] or "enterprises") if st.session_state.get("firms_file") else "enterprises"
    columns = st.columns(len(LIST_MIME_TYPES) + 2)
    for column, (fmt, mime) in zip(columns, LIST_MIME_TYPES.items(), strict=False):
        column.download_button(fmt.upper(), data=lambda fmt=fmt: enriched_bytes(result.enriched, fmt),
                               file_name=f"{stem}-enriched.{fmt}", mime=mime, key=f"firms-download-{fmt}", on_click="ignore")
    columns[-2].download_button("problems.csv", data=lambda: table_bytes(report), file_name=f"{stem}-problems.csv",
                                mime="text/csv", key="firms-download-report", on_click="ignore")
    columns[-1].download_button("counts.csv", data=lambda: table_bytes(label_counts(result.counts, page.atlas)),
                                file_name=f"{stem}-counts.csv", mime="text/csv", key="firms-download-counts", on_click="ignore")
