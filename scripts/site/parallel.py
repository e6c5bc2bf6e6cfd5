"""MkDocs' build with its pages shared out over forked workers, one per core.

MkDocs reads every page (Markdown → HTML), then writes every page (the theme's templates), one
after the other in one process: at 10,000 documents, 22,000 pages and three quarters of a full
build, on one of the machine's cores, holding every page's HTML in memory until it writes the
first. Each page depends only on its own Markdown and on what the whole build shares (the
configuration, the file list, the pruned navigation, the hooks' tables), which is why an
incremental build may render a few pages alone (scripts/site/build.py). So here:

1. this process does what MkDocs' `build` does before it reads a page (mkdocs/commands/build.py,
   1.6): the `config` and `pre_build` events, cleaning site/ (a full build), the file list and
   its `files` event, the navigation; it copies the static files (an incremental build: those
   that changed) and renders the theme's templates (the sitemap, the 404 page) as that build
   does, before any page is written;
2. forked workers inherit all of it and take the pages a few at a time, largest first: each reads
   a page, writes it, and lets go of its HTML before the next (a worker holds one page, not all).
   A full build writes every page; an incremental one the pages that changed, among them the
   long lists (a browse page, a wanted page) that one new document changes;
3. then, as MkDocs ends its build: the `post_build` event (the feed, from the records each page
   left: scripts/site/search_index.py) and strict mode's count of the warnings, summed over the
   workers.

Left out: MkDocs' validation of links to anchors in other pages, which needs every page read in
one process and only logs (at its default `info` level); `python -m scripts check` and
linkchecker (tests/test_links.py) check every anchor of the built site.

The navigation names its pages with titles (mkdocs.yml), which a page shows without reading the
others; a page it names without one is read here first, so that every worker knows its title
(as an incremental build renders it again: scripts/site/build.py `untitled_nav_pages`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from ..speed.forked import ChildDied, map_unordered

PAGES_AT_ONCE = 16  # a worker's share at a time: few round trips, and the last ones small
log = logging.getLogger("mkdocs.commands.build")


def build_in_parallel(
    config,
    workers: int,
    untitled: set[str],
    done: Callable[[int], None] = lambda pages: None,
    only: set[str] | None = None,
) -> None:
    """MkDocs' `build(config)`, its pages read and written by `workers` forked processes; `done(n)`
    as each share of n pages is written. `only`: the pages to write (by src_uri), in a site/ that
    holds the others (a dirty build: the static files are copied when File.is_modified says so);
    None: a full build."""
    from mkdocs import utils
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    warnings = utils.CountHandler()
    warnings.setLevel(logging.WARNING)
    mkdocs_logger = logging.getLogger("mkdocs")
    if config.strict:
        mkdocs_logger.addHandler(warnings)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if only is None:
            utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for file in pages:
            if file.page is None:  # not in the navigation
                Page(None, file, config)
            if file.src_uri in untitled:
                mkdocs_build._populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=only is not None)
        for template in config.theme.static_templates:
            mkdocs_build._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)

        by_uri = {file.src_uri: file for file in pages}

        def read_and_write(share: list[str]) -> dict[int, int]:
            """The pages of one share, each read, written and let go; the warnings it logged, by
            level (strict mode counts them in this process, as if it had logged them)."""
            before = dict(warnings.counts)
            for uri in share:
                file = by_uri[uri]
                page = file.page
                if page.content is None:
                    mkdocs_build._populate_page(page, config, files)
                mkdocs_build._build_page(page, config, pages, nav, env)
                if file.src_uri not in untitled:  # the others' titles come from their Markdown
                    page.markdown = page.content = None
            return {
                level: count - before.get(level, 0)
                for level, count in warnings.counts.items()
                if count != before.get(level, 0)
            }

        batches = shares([file for file in pages if only is None or file.src_uri in only], workers)
        try:
            for index, logged in map_unordered(read_and_write, batches, workers):
                for level, count in logged.items():
                    warnings.counts[level] += count
                done(len(batches[index]))
        except ChildDied as died:
            held = ", ".join(f"docs/{uri}" for uri in died.item or [])
            raise RuntimeError(
                f"a process of the site build {died.how} while writing one of these pages: {held}; "
                "if the machine ran out of memory, build again with ARCHIVE_JOBS=1"
            ) from None
        config.plugins.on_post_build(config=config)
        if config.strict and (counts := warnings.get_counts()):
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")
    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            log.error(str(e))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        mkdocs_logger.removeHandler(warnings)


def shares(pages: list, workers: int) -> list[list[str]]:
    """The pages (by src_uri) in shares of PAGES_AT_ONCE, the largest first: the worker that takes
    the longest document does so at the start, not while the other one has nothing left to do.
    Smaller shares when there are few pages, four or more for each worker: the 30 long lists that
    one new document changes went in two shares, the 16 longest to one worker."""
    by_size = [
        file.src_uri
        for file in sorted(
            pages, key=lambda file: (-os.stat(file.abs_src_path).st_size, file.src_uri)
        )
    ]
    size = max(1, min(PAGES_AT_ONCE, len(by_size) // (4 * workers)))
    return [by_size[at : at + size] for at in range(0, len(by_size), size)]
