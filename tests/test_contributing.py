"""What a maintainer reads and what CI runs: CONTRIBUTING.md (Chinese and English), the pull
request template, the GitHub Actions workflow and the Makefile's test target."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from scripts.__main__ import COMMANDS, get_parser
from scripts.ingest.sidecar import OVERRIDES, SCHEMA

from .conftest import ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
WORKFLOW_PATH = ROOT / ".github" / "workflows" / "ci.yml"


def halves() -> tuple[str, str]:
    chinese, english = CONTRIBUTING.split("\n## English\n")
    assert "\n## 中文\n" in chinese
    return chinese, english


@pytest.mark.parametrize("half", [0, 1], ids=["中文", "English"])
def test_contributing_documents_every_sidecar_key_in_both_languages(half):
    text = halves()[half]
    for key in [*SCHEMA, *OVERRIDES]:
        assert re.search(rf"^\| `{key}` \|", text, re.MULTILINE), (
            f"sidecar key {key!r} is not in the table"
        )


@pytest.mark.parametrize("half", [0, 1], ids=["中文", "English"])
def test_contributing_walks_from_raw_file_to_pull_request(half):
    text = halves()[half]
    steps = [
        "make test",
        "python -m scripts add",
        "overrides:",
        "python -m scripts build",
        "make serve",
        "python -m scripts check",
        "git push",
        "python -m scripts review origin/main",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions), "the steps are out of order"
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > (800 if half == 0 else 20)


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "docs/about/contribute.md"])
def test_every_command_in_the_guides_parses(guide):
    parser = get_parser()
    text = (ROOT / guide).read_text(encoding="utf-8")
    assert "python -m scripts add" in text and "make test" in text
    for line in re.findall(r"python -m scripts ([^`\n，。；（）,;#]+)", text):
        line = line.split("#")[0].replace("\\", "").strip()
        args = shlex.split(line)
        if args[0] == "…" or args[0] not in COMMANDS:
            assert args[0] == "…", f"unknown command in {guide}: {line}"
            continue
        if (len(args) == 1 and args[0] in ("add", "review")) or "--help" in args:
            continue  # a command named in prose, or its help
        try:
            parser.parse_args(args)
        except SystemExit:
            pytest.fail(f"{guide} shows a command that does not parse: python -m scripts {line}")


def test_pull_request_template_asks_for_what_ci_checks():
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for needle in ("python -m scripts add", "make test", "python -m scripts review", "published/"):
        assert needle in template


# the GitHub Actions workflow ------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW_PATH.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflow_runs_on_pull_requests_and_on_main(workflow):
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]


def test_test_job_runs_make_test_after_checkout(workflow):
    job = workflow["jobs"]["test"]
    assert "make test" in runs(job)
    assert uses(job)[0] == "actions/checkout"
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # review needs the base branch
    # Debian, so that `make test` installs Debian's chromium as on a maintainer's machine
    assert re.search(r"bookworm|trixie|debian", job["container"])
    assert any(
        "scripts review --strict" in run and "GITHUB_STEP_SUMMARY" in run for run in runs(job)
    )


def test_publish_job_builds_and_deploys_site_from_main_only(workflow):
    job = workflow["jobs"]["publish"]
    assert job["needs"] == "test"
    assert "refs/heads/main" in job["if"] and "push" in job["if"]
    assert job["permissions"]["pages"] == "write" and job["permissions"]["id-token"] == "write"
    steps = [step.get("run") or step["uses"].split("@")[0] for step in job["steps"]]
    order = [
        steps.index(s)
        for s in (
            "actions/checkout",
            "make site",
            "actions/upload-pages-artifact",
            "actions/deploy-pages",
        )
    ]
    assert order == sorted(order)
    upload = next(
        step
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"].rstrip("/") == "site"
    assert job["environment"]["name"] == "github-pages"


def test_workflow_actions_are_pinned_and_make_targets_exist(workflow):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, job in workflow["jobs"].items():
        assert job["runs-on"].startswith("ubuntu-"), name
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
            for target in re.findall(r"\bmake (\w+)", step.get("run", "")):
                assert re.search(rf"^{target}:", makefile, re.MULTILINE), (
                    f"make {target} has no rule"
                )
    text = WORKFLOW_PATH.read_text(encoding="utf-8")
    assert text.count("${{") == text.count("}}")
    assert "\t" not in text


def test_make_test_runs_check_before_pytest():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    lines = [line.strip() for line in recipe.splitlines()]
    check = next(i for i, line in enumerate(lines) if line.endswith("-m scripts check"))
    pytest_line = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert check < pytest_line
