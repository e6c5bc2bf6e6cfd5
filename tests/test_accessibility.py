"""Accessibility of the built site, judged by a checker no one on the project wrote: axe-core.

axe-core is pinned in tests/axe/package.json (its lock file too) and installed by `make test`
(`npm ci` from the npm registry, as the Makefile installs Chromium). Each kind of page is checked
in Debian's Chromium at a phone's and a desktop's width, in the light and the dark scheme, against
WCAG 2.0–2.2 A/AA and axe's best practices; any serious or critical violation fails.
"""

from __future__ import annotations

import pytest

from scripts.ingest.convert import convert_file

from .conftest import ROOT, SOURCES

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
SCHEMES = {"light": "default", "dark": "slate"}  # Material's names, on <body>

HENGNAN = convert_file(SOURCES / "2024-hengnan-bada-xingdong-zongti-fangan.txt").meta
SEARCH_QUERY = "县域经济"

# one page of each kind a reader meets
KINDS = {
    "home": "/",
    "document": f"/doc/{HENGNAN['id']}/",
    "place": "/hunan/hengyang/",
    "wanted": "/wanted/",
    "search": f"/?q={SEARCH_QUERY}",  # the header box open on its results
    "search-wanted": "/?q=衡政办发〔2024〕5号",  # a 文号 the archive lacks: its wanted entry first
    "implementation": "/implementation/2019-guowuyuan-bangongting-youxiao-fahui-zhengfu-xing/",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS.relative_to(ROOT)} is missing: `make test` installs it (npm ci --prefix tests/axe)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def open_page(browser, url: str, width: int, scheme: str):
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    assert page.goto(url).ok, url
    return context, page


def axe_violations(page, axe_source: str) -> list[dict]:
    # every block drawn, so that axe sees those a long page lays out only near the screen
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    # colours as the reader sees them once they settle: on a busy machine axe could run while a
    # result's colour transition (Material's 125-250 ms) was still under way, and measure a blend
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)))"""
    )
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
                 .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})))""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_serious_accessibility_violation(browser, site_url, axe_source, kind, width):
    """Each kind of page in the light scheme, then in the dark one (the page loaded again, as a
    reader whose phone prefers dark opens it); a document is checked again once read down to its
    relations diagram, drawn."""
    context, page = open_page(browser, site_url + KINDS[kind], width, "light")
    found = {}
    try:
        for scheme in ("light", "dark"):
            if scheme == "dark":
                # before any script of the page: Material keeps the scheme it chose in local
                # storage, and would read it back rather than the reader's preference
                page.add_init_script("localStorage.clear()")
                page.emulate_media(color_scheme="dark")
                assert page.reload().ok
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
            if kind.startswith("search"):
                page.wait_for_selector(".md-search-result__meta[data-query]")
                page.locator(".search-result__excerpt mark").first.wait_for()  # excerpts drawn
                assert page.locator(".md-search-result__item a").count(), (
                    "the search shows results to check"
                )
                if kind == "search-wanted":
                    assert page.locator(".search-wanted").count() == 1
            found[f"{KINDS[kind]} at {width} px, {scheme}"] = axe_violations(page, axe_source)
            if kind == "document":
                page.evaluate(
                    "document.querySelectorAll('.mermaid').forEach(el => el.scrollIntoView())"
                )
                page.wait_for_function(
                    "!document.querySelector('pre.mermaid')", timeout=30000
                )  # drawn
                found[f"{KINDS[kind]} read to its end at {width} px, {scheme}"] = axe_violations(
                    page, axe_source
                )
    finally:
        context.close()
    serious = {
        where: [v for v in violations if v["impact"] in FAILING_IMPACTS]
        for where, violations in found.items()
    }
    assert not any(serious.values()), "\n".join(
        f"{where}:\n{describe(violations)}" for where, violations in serious.items() if violations
    )


def test_the_checker_finds_what_it_is_meant_to_find(browser, site_url, axe_source):
    """The check can fail: light grey text on white is found."""
    context, page = open_page(browser, site_url + "/", 1280, "light")
    try:
        page.evaluate("""() => {
            const p = document.createElement("p");
            p.textContent = "看不清的字"; p.style.color = "#bbb"; p.style.background = "#fff";
            document.querySelector("article").appendChild(p);
        }""")
        found = {
            v["id"] for v in axe_violations(page, axe_source) if v["impact"] in FAILING_IMPACTS
        }
    finally:
        context.close()
    assert "color-contrast" in found
