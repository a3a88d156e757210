"""The app as Streamlit runs it, headless (AppTest): filters, counts, table, language and links."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from layers import hub_access
from layers.model.load import load_atlas

from .apptest import widget
from .conftest import REPO


def run_app(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def parks_in_table(at: AppTest) -> set[str]:
    return set(table_with(at, "Park", "园区").index)


def test_app_runs_and_shows_every_park():
    at = run_app()
    assert not at.exception
    every = load_atlas()
    assert metrics(at)[:2] == [str(len(every.parks)), str(len(every.clusters))]  # every row drawn, stand-ins too
    assert parks_in_table(at) == set(every.parks["id"])


def test_choosing_a_sector_changes_counts_and_table():
    at = run_app()
    widget(at, "multiselect", "sectors_hp2017").set_value(["hp_ic"]).run()
    assert not at.exception
    assert metrics(at)[:2] == ["5", "4"]
    assert parks_in_table(at) == {
        "beijing-etown",
        "zgc-science-city",
        "zgc-shunyi",
        "zgc-chaoyang",
        "zgc-ic-design-park",
    }
    assert at.query_params["sector"] in ("hp_ic", ["hp_ic"])  # AppTest shows a one-item list as its item


def test_text_search_finds_etown_by_its_chinese_alias():
    at = run_app()
    at.text_input(key="q").set_value("亦庄").run()
    assert parks_in_table(at) == {"beijing-etown", "zgc-daxing-yizhuang"}  # E-Town and the ZGC park named for Yizhuang


def test_a_link_with_query_parameters_restores_the_filters():
    at = run_app(sector=["hp_health"], district=["110114"], lang="zh", basemap="none")
    assert not at.exception
    assert widget(at, "multiselect", "sectors_hp2017").value == ["hp_health"]
    assert widget(at, "multiselect", "districts").value == ["110114"]
    assert widget(at, "selectbox", "basemap").value == "none"
    assert parks_in_table(at) == {"future-science-city", "zgc-life-science-park"}
    assert at.title[0].value == "北京产业园区地图"


def test_unknown_values_in_a_link_are_ignored():
    at = run_app(sector=["no_such_sector"], district=["999999"], basemap="mars")
    assert not at.exception
    assert parks_in_table(at) == set(load_atlas().parks["id"]) and widget(at, "selectbox", "basemap").value == "osm"


def test_language_switch_relabels_the_page():
    at = run_app()
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "北京产业园区地图"
    table = table_with(at, "园区")
    assert "首钢园" in set(table["园区"]) and "所在区" in table.columns and "District" not in table.columns


def _switching_app():
    import streamlit as st

    from ui.state import confirm, widget_key

    lang = st.radio("Language", ["en", "zh"], key="lang")
    st.multiselect("Layers", ["parks", "hubs", "clusters"], key=widget_key("layers", lang, ["parks", "hubs"]))
    if st.session_state.get("cut_short"):
        st.stop()  # the switch's run is cut short (the map answered, a second click) after the sidebar was sent
    confirm()


def test_a_language_switch_cut_short_still_hands_the_kept_layers_to_the_browser():
    """Seen in a browser under load: the switch's run was cut short after drawing the new box, the next run drew it
    again without its value, the browser showed it empty and its next message emptied the layers and filters."""
    at = AppTest.from_function(_switching_app).run()
    at.session_state["cut_short"] = True
    at.radio(key="lang").set_value("zh").run()
    at.session_state["cut_short"] = False
    at.run()
    box = at.multiselect(key="layers-zh")
    assert box.proto.set_value and list(box.proto.raw_values) == ["parks", "hubs"], "the browser is told the value"
    at.run()  # drawn to the end once: the browser's own value rules again
    assert not at.multiselect(key="layers-zh").proto.set_value and at.multiselect(key="layers-zh").value == [
        "parks",
        "hubs",
    ]


def test_download_buttons_export_the_current_view():
    at = run_app(sector=["hp_ic"])
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    assert keys == {"download-html", "download-geojson", "download-csv", "download-gpkg"}


def test_investor_goes_from_needs_to_a_ranked_shortlist_and_a_comparison():
    """'IC company, needs an airport within 40 km' -> ranked, explained shortlist -> comparison to download."""
    at = run_app(view="rank")
    widget(at, "multiselect", "rank_sectors").set_value(["hp_ic"]).run()
    at.number_input(key="rank_max_airport").set_value(40.0).run()
    assert not at.exception
    ranked = at.dataframe[0].value
    assert "score_sector" not in ranked.columns and "Sector score" in ranked.columns  # labels, not field names
    shortlisted = ranked[ranked["Rank"].notna()]
    assert set(shortlisted.head(4).index) == {"zgc-chaoyang", "zgc-science-city", "beijing-etown", "zgc-shunyi"}
    assert (shortlisted["Nearer airport (km)"] <= 40).all()
    assert ranked.loc["shougang-park", "Excluded because"] == "nearer airport 41.2 km, over the 40 km limit"
    assert ranked.loc["zgc", "Excluded because"].startswith("distance to the airports unknown (a citywide zone)")
    at.button(key="rank-compare").click().run()
    assert at.session_state["view"] == "compare"
    table = at.table[0].value
    assert table.shape[1] == 3 and any(i.startswith("To PEK") for i in table.index)
    assert [b.key for b in at.get("download_button")] == ["compare-download"]


def test_rank_view_matches_the_command(capsys):
    from layers.rank import main as rank_command

    at = run_app(view="rank")
    widget(at, "multiselect", "rank_sectors").set_value(["hp_ic"]).run()
    app_scores = at.dataframe[0].value["Score"]
    assert rank_command(["--sector", "hp_ic", "--format", "csv"]) == 0
    import io

    import pandas as pd

    command = pd.read_csv(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))).set_index("id")["Score"]
    assert (app_scores.round(3) == command.reindex(app_scores.index).round(3)).all()


def test_nearby_lists_parks_around_a_named_place():
    at = run_app(view="nearby")
    at.text_input(key="nearby_q").set_value("北京西站").run()
    at.slider(key="nearby_km").set_value(10).run()
    assert not at.exception
    found = at.dataframe[0].value
    assert list(found["Distance (km)"]) == sorted(found["Distance (km)"]) and found["Distance (km)"].max() <= 10
    assert "Zhongguancun Science City" in set(found["Park"]) and "id" not in found.columns
    assert any("Beijing West railway station (rail station" in i.value for i in at.info)


def test_layout_check_shows_where_the_zoning_principle_is_not_met():
    at = run_app(view="layout")
    assert not at.exception
    by_sector = table_with(at, "Industry").set_index("Industry")
    assert (
        by_sector.loc["Integrated circuits", "Within the limit"] == "no"
        and by_sector.loc["Integrated circuits", "Count"] == 4
    )
    assert any("districts lead more than three industries" in i.value for i in at.info)  # the one-line verdict


# --- a company list, uploaded -----------------------------------------------------------------------

FIRMS_CSV = (
    "企业名称,行业,经度,纬度,坐标系\n"
    "芯片一号,集成电路,116.5,39.79,wgs84\n"  # E-Town, Daxing
    "芯片二号,hp_ic,116.5,39.79,wgs84\n"
    "智能一号,Artificial intelligence,116.3,39.98,gcj02\n"  # Zhongguancun Science City, Haidian
    "餐馆,餐饮,116.4,39.9,wgs84\n"  # unknown sector: kept, reported
    "颠倒,hp_ai,39.9,116.4,wgs84\n"  # swapped: not placed, reported
    "芯片一号,集成电路,116.5,39.79,wgs84\n"  # duplicate of row 2
)


def table_with(at: AppTest, *columns: str):
    """The first table showing one of ``columns`` (AppTest does not look tables up by key)."""
    return next(d.value for d in at.dataframe if any(c in d.value.columns for c in columns))


def upload(at: AppTest, content: bytes, name: str = "firms.csv") -> AppTest:
    at.file_uploader(key="firms_file").set_value((name, content, "text/csv"))
    return at.run()


def test_an_uploaded_list_is_counted_per_park_reported_and_filtered_by_sector():
    at = upload(run_app(), FIRMS_CSV.encode("gbk"))
    assert not at.exception
    assert metrics(at)[3] == "4"  # firms shown: 6 rows, less the swapped row and the duplicate
    table = table_with(at, "Firms (your list)")
    assert table.loc["beijing-etown", "Firms (your list)"] == 2
    assert table.loc["zgc-science-city", "Firms (your list)"] == 1
    summary = " ".join(m.value for m in at.markdown)
    assert (
        "6 rows (GBK/GB18030)" in summary
        and "3 placed" not in summary
        and "1 not placed" in summary
        and "1 duplicates" in summary
    )
    assert any("餐饮 (1)" in t.value for t in at.text)  # the user's own label, shown as text
    report = table_with(at, "Problems").rename(columns={"Row": "row", "Problems": "problems"})
    assert list(report["row"]) == [5, 6, 7]
    assert "look swapped" in report.set_index("row").loc[6, "problems"]

    widget(at, "multiselect", "sectors_hp2017").set_value(["hp_ai"]).run()
    assert metrics(at)[3] == "1"  # the sector filter applies to the firms too
    table = table_with(at, "Firms (your list)")
    assert table.loc["zgc-science-city", "Firms (your list)"] == 1


def test_a_list_without_a_name_column_is_refused_in_the_sidebar():
    at = upload(run_app(), b"id,sector,lon,lat\n1,hp_ic,116.5,39.79\n")
    assert not at.exception
    assert at.sidebar.error and any("missing column: the firm's name" in t.value for t in at.sidebar.text)
    assert len(at.metric) == 3  # no firms metric: nothing was loaded


def test_the_layout_view_counts_the_list_per_district_and_sector():
    at = upload(run_app(view="layout"), FIRMS_CSV.encode("utf-8"))
    assert not at.exception
    matrix = table_with(at, "Sector not in the atlas")  # only the list has firms of no atlas sector
    assert matrix.loc["Daxing", "Integrated circuits"] == 2
    assert matrix.loc["Haidian", "Artificial intelligence"] == 1
    assert matrix.loc["Miyun"].sum() == 0


def test_the_firm_count_stays_when_the_enterprise_layer_is_switched_off():
    at = upload(run_app(), FIRMS_CSV.encode("utf-8"))
    widget(at, "multiselect", "layers").set_value(["districts", "parks"]).run()
    assert not at.exception
    assert metrics(at)[3] == "4"


def test_a_list_too_big_for_the_app_is_refused_with_the_way_to_handle_it(monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_FIRMS", "2")
    at = upload(run_app(), b"name,sector,lon,lat\nA,hp_ic,116.5,39.79\nB,hp_ic,116.5,39.79\nC,hp_ic,116.5,39.79\n")
    assert not at.exception and at.sidebar.error
    message = " ".join(t.value for t in at.sidebar.text)
    assert "more than the 2 this app holds" in message and "python -m layers.enterprises" in message


def test_user_text_in_messages_is_shown_as_text_not_markdown():
    at = upload(
        run_app(),
        b"name,sector,lon,lat\nA,[click](http://evil.example) ![x](http://evil.example/x.png),116.5,39.79\n",
    )
    assert not at.exception
    shown = [t.value for t in at.text]
    assert any("[click](http://evil.example)" in v for v in shown)  # st.text: the label as typed, no link, no image
    assert not any("evil.example" in m.value for m in at.markdown)


def test_a_designation_filter_and_the_details_of_a_catalogue_zone():
    at = run_app()
    widget(at, "multiselect", "levels").set_value(["provincial"]).run()
    assert not at.exception
    assert metrics(at)[0] == "16" and len(parks_in_table(at)) == 16  # the 2018 catalogue's provincial zones
    assert at.query_params["level"] in ("provincial", ["provincial"])
    at = run_app(park="yanqi-edz", lang="zh")
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes, as the page shows them
    assert "2018年版目录 S117013(经济开发区)，批准时间 2006-06，核准面积 1,072.69 公顷" in shown
    assert "位于" in shown and "怀柔科学城" in shown  # the zone it lies within, by name


def test_one_selection_per_rerun_whatever_the_view_shows(monkeypatch):
    """'What is shown' is computed once per run and read by the map, the table, the metrics and the downloads."""
    import layers.selection

    calls = []
    original = layers.selection._select_parks
    monkeypatch.setattr(layers.selection, "_select_parks", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = run_app()
    assert len(calls) == 1, "the first run"
    calls.clear()
    widget(at, "multiselect", "sectors_hp2017").set_value(["hp_ic"]).run()
    assert not at.exception and len(calls) == 1, "a filter change"
    for view in ("compare", "rank", "layout"):
        calls.clear()
        widget(at, "radio", "view").set_value(view).run()
        assert not at.exception and len(calls) == 1, view


def test_a_parks_details_say_how_to_get_there_by_subway_and_how_that_was_estimated():
    at = run_app(park="zgc-science-city")
    assert not at.exception
    said = " ".join(m.value for m in at.markdown).replace("\\", "")  # as shown: Markdown escapes removed
    assert "By subway (estimates)" in said and "Zhongguancun" in said and "Guomao (Beijing CBD): about" in said
    assert any("Estimates of a stated model" in c.value for c in at.caption)
    table = table_with(at, "Park", "园区")
    assert table.loc["zgc-science-city", "CBD by subway (min, est.)"] > 0
    assert pd.isna(table.loc["huairou-science-city", "CBD by subway (min, est.)"])  # no station near: empty


def test_rank_by_subway_minutes_in_the_app_keeps_the_limit_in_the_link():
    at = run_app(view="rank")
    at.slider(key="rank_w_cbd").set_value(2.0).run()
    at.number_input(key="rank_max_cbd").set_value(50.0).run()
    assert not at.exception
    ranked = at.dataframe[0].value
    assert (ranked.loc[ranked["Rank"].notna(), "CBD by subway (min, est.)"] <= 50).all()
    assert at.query_params.get("max_cbd") == "50" and at.query_params.get("w") == "1,1,1,1,2"


def test_a_person_keeps_parks_within_40_subway_minutes_of_guomao_and_the_link_holds_it():
    at = run_app()
    widget(at, "selectbox", "reach_hub").set_value("guomao").run()
    at.slider(key="reach_min").set_value(40).run()
    assert not at.exception
    expected = int((hub_access(load_atlas())["min_guomao"] <= 40).sum())
    assert metrics(at)[0] == str(expected)
    assert at.query_params.get("reach") == "guomao" and at.query_params.get("reach_min") == "40"
    assert any("have no subway estimate" in c.value for c in at.sidebar.caption)
    again = run_app(reach="guomao", reach_min="40")
    assert metrics(again)[0] == str(expected)
