"""A reader on a phone (375 px) and on a desktop, in real headless Chromium (issue 25): finding
their place in a long document, tables that keep every column, controls a thumb can use, the
site in Chinese on every page, and the page surviving a broken address.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from scripts.bench.recall import documents

from .conftest import PHONE
from .test_website import search

pytestmark = pytest.mark.browser

HENGNAN = "2024-hengnan-bada-xingdong-zongti-fangan"
NATIONAL_PLAN = "2019-guowuyuan-bangongting-youxiao-fahui-zhengfu-xing"  # carried out by 江西省


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def longest(project) -> str:
    """The document with the most headings."""
    docs = project / "docs" / "doc"
    return max(
        documents(project / "docs"),
        key=lambda i: len(
            re.findall(r"^#{2,} ", (docs / f"{i}.md").read_text("utf-8"), re.MULTILINE)
        ),
    )


# --- a long document's contents, from its top ------------------------------------------------


def test_a_phone_reader_opens_the_contents_of_the_longest_document(phone, site_url, project):
    doc = longest(project)
    phone.goto(f"{site_url}/doc/{doc}/")
    assert not phone.locator(".md-sidebar--secondary").is_visible()  # no sidebar on a phone
    contents = phone.locator(".doc-card__toc")
    summary = contents.locator("summary")
    assert summary.inner_text().startswith("目录") and summary.is_visible()
    assert summary.bounding_box()["y"] < 800  # within the first screen
    summary.click()
    links = contents.locator("nav a")
    assert links.count() >= 8 and links.first.is_visible()
    targets = contents.locator("a[href='#targets']")
    assert targets.count() == 1 and targets.inner_text() == "主要目标"
    targets.click()
    phone.wait_for_function("location.hash === '#targets'")
    heading = phone.locator("#targets").bounding_box()
    assert heading["y"] >= 0 and heading["y"] + heading["height"] <= 800, heading  # on screen
    assert phone.js_errors == []


def test_the_card_leads_to_the_relations_and_targets_sections(phone, site_url):
    phone.goto(f"{site_url}/doc/{HENGNAN}/")
    jumps = phone.locator(".doc-card__jump")
    assert jumps.all_inner_texts() == ["文件关系", "主要目标"]
    for jump in jumps.all():
        box = jump.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    jumps.first.click()
    phone.wait_for_function("location.hash === '#relations'")


# --- tables and dates on a phone -------------------------------------------------------------


@pytest.mark.parametrize(
    "path, table",
    [
        (f"/implementation/{NATIONAL_PLAN}/", "落实地图's plan table"),
        ("/implementation/", "落实地图's index"),
        (f"/doc/{HENGNAN}/", "主要目标"),
        ("/targets/430000/", "目标对照"),
    ],
)
def test_a_phone_table_shows_every_column(phone, site_url, path, table):
    """Each row a card: every cell within the screen, under its column's name."""
    phone.goto(site_url + path)
    tables = phone.locator("article table:has(td[data-label])")
    assert tables.count(), table
    cells = phone.evaluate("""() => Array.from(document.querySelectorAll('article table td[data-label]'))
        .map(td => { const r = td.getBoundingClientRect(); return [td.dataset.label, r.left, r.right, r.width,
                     getComputedStyle(td, '::before').content]; })""")
    assert cells
    for label, left, right, width, before in cells:
        assert left >= 0 and right <= 375 and width > 0, (table, label, left, right)
        assert before == f'"{label}"' or not label, (label, before)  # the value says its column
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]


def test_dates_never_break(phone, site_url):
    phone.goto(f"{site_url}/implementation/{NATIONAL_PLAN}/")
    dates = phone.locator("article td time")
    assert dates.count()
    for i in range(dates.count()):
        box = dates.nth(i).evaluate(
            "t => { const r = t.getClientRects(); return [r.length, t.textContent]; }"
        )
        assert box[0] == 1, box  # one line box: 2020-03-16, never 2020-03-/16


def test_a_desktop_table_stays_a_table(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site_url}/doc/{HENGNAN}/")
    table = page.locator("#targets ~ .md-typeset__scrollwrap table").first
    assert table.locator("thead").is_visible()
    assert table.locator("td").first.evaluate("td => getComputedStyle(td).display") == "table-cell"


# --- controls a thumb can use ----------------------------------------------------------------


def test_paragraph_links_are_targets_of_24_px(phone, site_url):
    phone.goto(f"{site_url}/doc/{HENGNAN}/")
    for selector in ("p > .para-link", "h2 > .headerlink", "h3 > .headerlink"):
        link = phone.locator(selector).first
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (selector, box)


def test_the_clear_control_keeps_the_keyboard_up(phone, site_url):
    phone.goto(site_url + "/")
    phone.locator("label.md-header__button[for=__search]").click()
    box = phone.locator(".md-search__input")
    box.fill("县域经济")
    phone.wait_for_selector(".md-search-result__meta[data-query='县域经济']")
    clear = phone.locator("button[type=reset]")
    assert clear.is_visible()
    clear.tap()
    phone.wait_for_function("document.querySelector('.md-search__input').value === ''")
    assert phone.evaluate("document.activeElement.classList.contains('md-search__input')")
    # one clear control: a text box, which has no × of its own beside the box's (a search field has)
    assert box.get_attribute("type") == "text"
    assert phone.locator(".md-search__form button, .md-search__form [role=button]").count() == 1


def test_an_excerpt_is_text_to_read(phone, site_url):
    search(phone, site_url, "乡村振兴")
    excerpt = phone.locator(".search-result__excerpt").first
    excerpt.locator("mark").first.wait_for()
    size, colour = excerpt.evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).color]"
    )
    assert size >= 14, size  # was 12.8 px
    alpha = float(colour.rstrip(")").split(",")[3]) if colour.startswith("rgba") else 1.0
    assert alpha >= 0.85, colour  # the text's colour, not the light grey of secondary text


def test_the_placeholder_fits_the_desktop_box(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "/")
    room, needed = page.evaluate("""() => {
        const input = document.querySelector('.md-search__input');
        const style = getComputedStyle(input);
        const probe = document.createElement('span');
        probe.style.font = style.font; probe.style.whiteSpace = 'pre'; probe.style.position = 'absolute';
        probe.textContent = input.placeholder;
        document.body.appendChild(probe);
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [room, probe.getBoundingClientRect().width]; }""")
    assert needed <= room, (needed, room)


# --- Chinese on every page -------------------------------------------------------------------


class Attributes(HTMLParser):
    """The page's <title>, og:title and every tooltip, label and placeholder a reader may see."""

    def __init__(self):
        super().__init__()
        self.title, self.in_title, self.shown = "", False, []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.in_title = tag == "title"
        if tag == "meta" and values.get("property") == "og:title":
            self.shown.append(("og:title", values.get("content") or ""))
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name):
                self.shown.append((name, values[name]))

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


ENGLISH = re.compile(r"[A-Za-z]{3,}")


def test_no_page_title_or_tooltip_is_english(site):
    """Every page has a real Chinese title (a place page its place's name) and no English tooltip,
    label or placeholder: 88 place pages were titled `Index`, 1,209 ¶ said "Permanent link"."""
    english = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text[:500]:  # a redirect page
            continue
        found = Attributes()
        found.feed(text)
        title = found.title.strip()
        if not re.search(r"[\u4e00-\u9fff]", title.split(" - ")[0]) or ENGLISH.search(title):
            english.append((path.relative_to(site).as_posix(), "title", title))
        english += [
            (path.relative_to(site).as_posix(), name, value)
            for name, value in found.shown
            if ENGLISH.search(value) and not re.search(r"[\u4e00-\u9fff]", value)
        ]
    assert english == [], english[:10]


def test_a_place_page_is_titled_by_its_place(page, site_url):
    page.goto(site_url + "/hunan/hengyang/")
    assert page.title() == "衡阳市 - 县域经济政策文库"
    assert page.locator("meta[property='og:title']").get_attribute("content") == "衡阳市"
    tips = page.evaluate(
        "() => Array.from(document.querySelectorAll('[title],[aria-label],[placeholder]'))"
        ".map(e => [e.title, e.getAttribute('aria-label'), e.getAttribute('placeholder')].join(' '))"
    )
    assert not [t for t in tips if ENGLISH.search(t) and not re.search(r"[\u4e00-\u9fff]", t)]


# --- a broken address ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/doc/{HENGNAN}/", "/wanted/", "/"])
def test_a_malformed_fragment_throws_nothing(page, site_url, path):
    """`#%E0%A4%A` is no escape decodeURIComponent reads: it threw "URI malformed" in highlight."""
    page.goto(f"{site_url}{path}#%E0%A4%A")
    page.locator(".md-search__input").wait_for(state="attached")
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")  # the page script has run
    page.evaluate("location.hash = '#%E0%A4%A%'")  # and on a change of fragment
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    assert page.js_errors == []
