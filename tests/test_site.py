"""Integration: build a real site with MkDocs into a temporary folder and look at its pages."""

from __future__ import annotations

from bs4 import BeautifulSoup

from scripts.ingest.convert import convert_file
from scripts.pages.home_browse import NEWEST

from .conftest import own_source_files


def html(site, rel: str) -> BeautifulSoup:
    path = site / rel / "index.html" if not rel.endswith(".html") else site / rel
    assert path.exists(), f"{rel} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_source_has_a_page_with_its_title_and_card(site):
    for source in own_source_files():
        meta = convert_file(source).meta
        soup = html(site, f"doc/{meta['id']}")
        assert soup.h1.get_text(strip=True).startswith(meta["title"].replace("\u3000", " ")[:10])
        card = soup.select_one(".doc-card")
        assert card is not None, f"{meta['id']} has no metadata card"
        if meta.get("doc_number"):
            assert meta["doc_number"] in card.get_text()


def test_home_page_lists_every_document_and_speaks_chinese(site):
    soup = html(site, "")
    assert soup.html["lang"].startswith("zh")
    links = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("article a[href]")}
    # the home page lists the newest documents (NEWEST of them); the browse pages list them all
    metas = sorted(
        (convert_file(source).meta for source in own_source_files()),
        key=lambda meta: meta.get("date") or "",
        reverse=True,
    )
    cutoff = metas[min(NEWEST, len(metas)) - 1].get("date") or ""
    for meta in metas:
        if (meta.get("date") or "") > cutoff or len(
            metas
        ) <= NEWEST:  # ties at the cut may go either way
            assert meta["id"] in links


def test_no_page_of_the_site_has_an_empty_or_cut_title(site):
    """Every page a reader can land on has a title; a document's page (its <title> and its first
    heading) says at least four characters, and never an addressee line or a cut fragment. (A
    place's page is named by the place: 全国, 合肥市.)"""
    pages = sorted(site.rglob("*.html"))
    documents = [p for p in pages if p.relative_to(site).parts[0] == "doc"]
    assert len(documents) >= len(own_source_files())
    bad = []
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect of a moved address, not a page
        own = (soup.title.get_text(strip=True) if soup.title else "").split(" - ")[0].strip()
        h1 = soup.h1.get_text(strip=True).rstrip("¶") if soup.h1 else ""
        shortest = 4 if path in documents else 1
        for text in (own, h1) if path in documents else (own,):
            if len(text.strip()) < shortest or text.endswith(("：", ":")):
                bad.append(f"{path.relative_to(site)}: {text!r}")
    assert not bad, "\n".join(bad)
