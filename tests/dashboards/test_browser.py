"""The console and dashboards in headless Chromium with the network blocked.

Every request a page makes goes through a route that lets 127.0.0.1/localhost through and aborts
and records anything else; each test fails if anything non-local was asked for. The server is a
real uvicorn on a free port in a thread. Screenshots land in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboards.dash_support import PASSWORD
from lingshu.core.context import Context
from lingshu.dashboards.kinds import CHART_KINDS
from lingshu.serve.app import WEB_DIST, create_app

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LOCAL = {"127.0.0.1", "localhost"}
CANVAS_KINDS = sorted(set(CHART_KINDS) - {"kpi", "table"})


@pytest.fixture(scope="module")
def server(dash_ctx: Context) -> Iterator[str]:
    import uvicorn

    if not (WEB_DIST / "echarts.min.js").exists():
        pytest.fail("front end not built: run `make web` (make setup does it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(dash_ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: scripts/system-deps.sh installs it")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Guard:
    """Aborts and records every non-local request."""

    def __init__(self) -> None:
        self.external: list[str] = []

    def __call__(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.external.append(url)
            route.abort()  # type: ignore[attr-defined]


def open_context(browser: object, guard: Guard, viewport: tuple[int, int] = (1600, 1100)) -> object:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},  # type: ignore[attr-defined]
                                  accept_downloads=True, locale="zh-CN")
    context.route("**/*", guard)
    return context


def sign_in(page: object, base: str, user: str, target: str) -> None:
    page.goto(f"{base}{target}")  # type: ignore[attr-defined]
    page.wait_for_url("**/login?next=**")  # type: ignore[attr-defined]
    page.fill("#username", user)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("form.login button")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}{target}")  # type: ignore[attr-defined]


@pytest.fixture
def guard() -> Iterator[Guard]:
    g = Guard()
    yield g
    assert g.external == [], f"pages asked for non-local URLs: {g.external}"


@pytest.fixture
def page(browser: object, server: str, guard: Guard) -> Iterator[object]:
    context = open_context(browser, guard)
    pg = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()  # type: ignore[attr-defined]
    assert errors == [], f"JavaScript errors: {errors}"


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def wait_board(page: object, key: str, refreshes: int = 1) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "([k, n]) => { const b = document.querySelector(`[data-board='${k}']`);"
        " return b && b.dataset.ready === '1' && Number(b.dataset.refreshes) >= n; }", arg=[key, refreshes])
    page.wait_for_timeout(400)  # type: ignore[attr-defined]  # let ECharts finish its first frame


PAINTED = """(sel) => {
  const canvases = document.querySelectorAll(sel + ' canvas');
  let painted = 0;
  for (const c of canvases) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 16) if (d[i] > 0) painted++;
  }
  return painted;
}"""


def painted(page: object, chart: str) -> int:
    return page.evaluate(PAINTED, f"[data-chart='{chart}']")  # type: ignore[attr-defined]


def kpi(page: object, board: str, indicator: str) -> str:
    return page.inner_text(f"[data-board='{board}'] [data-kpi='{indicator}'] .kpi-value")  # type: ignore[attr-defined]


def chart_call(page: object, chart: str, expr: str) -> object:
    """Evaluate ``expr`` with ``c`` bound to the chart's ECharts instance."""
    return page.evaluate(  # type: ignore[attr-defined]
        f"() => {{ const c = echarts.getInstanceByDom(document.querySelector(\"[data-chart='{chart}'] .chart-body\")); return {expr}; }}")


# -- tests ----------------------------------------------------------------------------------------
def test_the_guard_catches_non_local_requests(browser: object, server: str) -> None:
    g = Guard()
    context = open_context(browser, g)
    pg = context.new_page()  # type: ignore[attr-defined]
    pg.goto(f"{server}/login")
    pg.evaluate("() => fetch('http://example.com/tile.png').catch(() => null)")
    pg.evaluate("() => new Promise(r => { const i = new Image(); i.onerror = r; i.src = 'https://cdn.example.org/x.js'; })")
    context.close()  # type: ignore[attr-defined]
    assert g.external == ["http://example.com/tile.png", "https://cdn.example.org/x.js"]


def test_every_chart_type_renders_with_data(page: object, server: str) -> None:
    sign_in(page, server, "wu", "/dashboards/example_enterprises/overview")
    wait_board(page, "example_enterprises/overview")
    shot(page, "dashboard-example_enterprises-overview")
    states = page.eval_on_selector_all("[data-chart]", "els => els.map(e => [e.dataset.chart, e.dataset.type, e.dataset.state])")
    assert all(s == "ready" for _, _, s in states), states
    seen = {t for _, t, _ in states}
    for chart, kind, _ in states:
        if kind in CANVAS_KINDS:
            assert painted(page, chart) > 50, f"{chart} ({kind}) drew an empty canvas"
    assert kpi(page, "example_enterprises/overview", "enterprise_count").startswith("12")
    assert page.locator("[data-chart='town_table'] tbody tr").count() == 5
    assert "共 11 行" in page.inner_text("[data-chart='town_table'] .page-info")
    page.click("[data-chart='town_table'] [data-page='next']")
    page.wait_for_function("() => document.querySelector(\"[data-chart='town_table'] .page-info\").textContent.startsWith('第 2')")
    # The map pack's dashboard covers the kinds the example pack lacks.
    page.goto(f"{server}/dashboards/map_layers/layers")
    wait_board(page, "map_layers/layers")
    shot(page, "dashboard-map_layers-layers")
    seen |= set(page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.type)"))
    assert seen == set(CHART_KINDS)


def test_map_draws_lingang_layers_offline(page: object, server: str) -> None:
    sign_in(page, server, "wu", "/dashboards/map_layers/layers")
    wait_board(page, "map_layers/layers")
    assert painted(page, "poi_map") > 500
    towns = page.evaluate("() => echarts.getMap('lingang').geoJSON.features.map(f => f.properties.name)")
    assert len(towns) == 12 and "南汇新城镇" in towns and "滴水湖" in towns  # 11 towns and the lake
    kinds = chart_call(page, "poi_map", "c.getOption().series.map(s => [s.type, (s.data || [])"
                       ".filter(d => s.type !== 'map' || (typeof d.value === 'number' && !isNaN(d.value))).length])")
    by_kind = dict(kinds)  # type: ignore[arg-type]
    assert by_kind["map"] == 5 and by_kind["scatter"] > 0 and by_kind["heatmap"] == 80
    roads = [n for t, n in kinds if t == "lines"]  # type: ignore[union-attr]
    assert sorted(roads)[-1] > 20 and 12 in roads  # basemap roads and the 12 coloured segments
    page.locator("[data-chart='poi_map'] .chart-body").screenshot(path=str(ARTIFACTS / "map-layers.png"))


def test_filters_and_cross_filters_update_the_charts(page: object, server: str) -> None:
    board = "example_enterprises/overview"
    sign_in(page, server, "wu", f"/dashboards/{board}")
    wait_board(page, board)
    assert kpi(page, board, "enterprise_count").startswith("12")
    page.click("[data-filter='town'] [data-value='泥城镇']")
    wait_board(page, board, 2)
    page.click("[data-filter='town'] [data-value='海湾镇']")
    wait_board(page, board, 3)
    assert kpi(page, board, "enterprise_count").startswith("2")
    assert chart_call(page, "town_share", "c.getOption().series[0].data.map(d => d.name).sort()") == ["泥城镇", "海湾镇"]
    page.click("[data-filter='town'] [data-value='']")  # 全部
    wait_board(page, board, 4)
    page.select_option("select[data-filter='period']", "2019-01-01..2022-01-01")
    wait_board(page, board, 5)
    assert kpi(page, board, "enterprise_count").startswith("5")
    page.select_option("select[data-filter='period']", "all")
    wait_board(page, board, 6)
    # Cross-filter: a real click on the 南汇新城镇 bar narrows the other charts.
    cats = chart_call(page, "by_town", "c.getOption().xAxis[0].data")
    i = cats.index("南汇新城镇")  # type: ignore[union-attr]
    x, y = chart_call(page, "by_town", f"c.convertToPixel({{xAxisIndex: 0, yAxisIndex: 0}}, [{i}, 1])")  # type: ignore[misc]
    box = page.locator("[data-chart='by_town'] .chart-body").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_board(page, board, 7)
    assert kpi(page, board, "enterprise_count").startswith("2")
    assert chart_call(page, "town_share", "c.getOption().series[0].data.map(d => d.name)") == ["南汇新城镇"]
    assert len(chart_call(page, "by_town", "c.getOption().xAxis[0].data")) == 11  # the source keeps every bar
    assert "南汇新城镇" in page.inner_text(".chip.cross")
    shot(page, "cross-filter")
    page.click(".chip.cross")
    wait_board(page, board, 8)
    assert kpi(page, board, "enterprise_count").startswith("12")
    # Drill-down: double-click the line's 2021 point to see its months, then go back.
    years = chart_call(page, "by_year", "c.getOption().xAxis[0].data")
    j = years.index("2021")  # type: ignore[union-attr]
    x, y = chart_call(page, "by_year", f"c.convertToPixel({{xAxisIndex: 0, yAxisIndex: 0}}, [{j}, 2])")  # type: ignore[misc]
    box = page.locator("[data-chart='by_year'] .chart-body").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_board(page, board, 9)
    assert chart_call(page, "by_year", "c.getOption().xAxis[0].data") == ["2021-03", "2021-06"]
    page.click("[data-chart='by_year'] button[title='返回上级']")
    wait_board(page, board, 10)
    assert "2014" in chart_call(page, "by_year", "c.getOption().xAxis[0].data")  # type: ignore[operator]


def test_big_screen_refresh_keeps_filter_state(page: object, server: str) -> None:
    board = "map_layers/layers"
    sign_in(page, server, "wu", f"/screen/{board}")
    wait_board(page, board)
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(11, 20, 34)"
    page.click("[data-filter='town'] [data-value='泥城镇']")
    wait_board(page, board, 2)
    instance = chart_call(page, "poi_by_town", "c.id")
    before = int(page.get_attribute(f"[data-board='{board}']", "data-refreshes"))
    wait_board(page, board, before + 2)  # two automatic refreshes (every 5 s)
    assert chart_call(page, "poi_by_town", "c.id") == instance  # updated in place, never re-created
    assert page.get_attribute("[data-filter='town'] [data-value='泥城镇']", "aria-pressed") == "true"
    assert kpi(page, board, "poi_count").startswith("16")
    assert chart_call(page, "poi_by_town", "c.getOption().xAxis[0].data") == ["泥城镇"]
    assert page.evaluate("() => window.lingshu.boards[0].state.filters.town") == ["泥城镇"]
    assert painted(page, "poi_map") > 500
    shot(page, "screen-map_layers-layers")


def test_big_screen_carousel_rotates_dashboards(page: object, server: str) -> None:
    sign_in(page, server, "wu", "/screen/map_layers/layers?carousel=example_enterprises/overview&every=5")
    wait_board(page, "map_layers/layers")
    page.wait_for_function("() => document.body.dataset.current === 'example_enterprises/overview'", timeout=15000)
    wait_board(page, "example_enterprises/overview")
    assert page.is_hidden("[data-board='map_layers/layers']")
    assert painted(page, "by_town") > 50
    shot(page, "screen-example_enterprises-overview")


def test_exports_xlsx_rows_and_png(page: object, server: str) -> None:
    from openpyxl import load_workbook

    board = "map_layers/layers"
    sign_in(page, server, "wu", f"/dashboards/{board}")
    wait_board(page, board)
    page.click("[data-filter='town'] [data-value='书院镇']")
    wait_board(page, board, 2)
    with page.expect_download() as info:
        page.click("[data-chart='poi_table'] [data-export='xlsx']")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("poi_id", "名称", "所属镇")
    assert len(rows) == 17 and {r[2] for r in rows[1:]} == {"书院镇"}  # the 16 filtered rows, not one page
    assert all(str(r[3]).startswith("138****") for r in rows[1:])  # masked in the file too
    with page.expect_download() as info:
        page.click("[data-chart='poi_by_town'] [data-export='xlsx']")
    counts = list(load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["点位数"].iter_rows(values_only=True))
    assert counts[1:] == [("书院镇", 16)]
    with page.expect_download() as info:
        page.click("[data-chart='poi_map'] [data-export='png']")
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_console_pages_render_in_chinese(page: object, server: str) -> None:
    sign_in(page, server, "admin", "/")
    assert page.locator("[data-pack]").count() >= 2
    shot(page, "console-home")
    page.goto(f"{server}/packs/example_enterprises")
    page.wait_for_timeout(300)
    assert page.evaluate(PAINTED, "#lineage") > 50
    shot(page, "console-pack")
    for path in ("/datasets", "/datasets/ads.example_enterprise_by_town", "/security/users", "/security/audit",
                 "/ops", "/dashboards"):
        page.goto(f"{server}{path}")
        assert page.locator("h1").count() >= 1
        shot(page, "console" + path.replace("/", "-"))
