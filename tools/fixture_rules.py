"""The rules every fixture source obeys, shared by the build and the tests.

    python tools/fixture_rules.py fixtures/source/components-1.yaml ...

prints every broken rule of the given sources (all of them when none is
given) and exits non-zero when there is one. The schema of each source is
described in fixtures/source/README.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "source"
LANGUAGES = ("nl", "fr", "en")
# A seed line ("000:524") or range ("000:524-558"), several joined by "; ".
SEED_REFERENCE = re.compile(
    r"^\d{3}:\d+(-\d+)?( \([^;]*\))?(; \d{3}:\d+(-\d+)?( \([^;]*\))?)*$"
)

# Allowed values, sorted so that messages list them in a stable order.
KINDS = (
    "api",
    "authentic_source",
    "component",
    "guideline",
    "infrastructure",
    "platform",
    "process",
    "service",
    "tender_specification",
)
LIFECYCLES = (
    "available",
    "concept",
    "deprecated",
    "in_development",
    "not_stated",
    "withdrawn",
)
ROLES = ("co_supporter", "developer", "initiator", "operator", "owner")
LINK_KINDS = ("api_specification", "documentation", "other", "source_code", "website")
MODELS = ("co-financed", "organic", "sponsorship")
FIGURE_UNITS = ("count", "eur", "eur_per_year", "percent")
EVENT_PRECISIONS = ("day", "minute", "month")


@cache
def glossary() -> dict:
    return yaml.safe_load((SOURCE / "glossary.yaml").read_text(encoding="utf-8"))


def text_problems(text: str, language: str) -> Iterator[str]:
    """What is wrong with one text in one language: talk about the sources,
    or a spelling the glossary forbids."""
    rules = glossary()
    for pattern in rules["source_talk"]:
        if found := re.search(pattern, text):
            yield f"talks about the sources: {found.group(0)!r}"
    for scope in ("all", language):
        for pattern, preferred in (rules["variants"].get(scope) or {}).items():
            if found := re.search(pattern, text):
                yield f"writes {found.group(0)!r}, use {preferred!r}"


def translated_problems(where: str, values, *, required: bool = True) -> Iterator[str]:
    if values is None and not required:
        return
    if not isinstance(values, dict):
        yield f"{where}: expected nl, fr and en texts"
        return
    for language in LANGUAGES:
        text = values.get(language)
        if not isinstance(text, str) or not text.strip():
            yield f"{where}: no {language} text"
            continue
        for problem in text_problems(text, language):
            yield f"{where} [{language}]: {problem}"


def reference_problems(where: str, value, *, required: bool = True) -> Iterator[str]:
    if not value and not required:
        return
    if not isinstance(value, str) or not SEED_REFERENCE.match(value):
        yield f"{where}: evidence must be seed lines like '000:524-525', got {value!r}"


def organisation_slugs() -> set[str]:
    """Organisations live in providers.yaml and any providers-*.yaml."""
    return {
        entry["slug"]
        for part in sorted(SOURCE.glob("providers*.yaml"))
        for entry in yaml.safe_load(part.read_text(encoding="utf-8")) or []
    }


def component_slugs() -> set[str]:
    return {
        entry["slug"]
        for part in sorted(SOURCE.glob("components-*.yaml"))
        for entry in yaml.safe_load(part.read_text(encoding="utf-8")) or []
    }


def load(name: str):
    return yaml.safe_load((SOURCE / name).read_text(encoding="utf-8"))


def component_problems(entry: dict) -> Iterator[str]:
    where = entry.get("slug", "?")
    for field in ("name", "summary", "description"):
        yield from translated_problems(f"{where}.{field}", entry.get(field))
    for language, summary in (entry.get("summary") or {}).items():
        if isinstance(summary, str) and len(summary) > 300:
            yield f"{where}.summary [{language}]: longer than 300 characters"
    if entry.get("kind") and entry["kind"] not in KINDS:
        yield f"{where}.kind: {entry['kind']!r} is not one of {KINDS}"
    if entry.get("lifecycle") and entry["lifecycle"] not in LIFECYCLES:
        yield f"{where}.lifecycle: {entry['lifecycle']!r} is not one of {LIFECYCLES}"
    block = entry.get("building_block")
    if block and block not in {
        b["slug"] for b in load("taxonomy.yaml")["building_blocks"]
    }:
        yield f"{where}.building_block: {block!r} is not in taxonomy.yaml"
    model = entry.get("collaboration_model")
    if model and model not in MODELS:
        yield f"{where}.collaboration_model: {model!r} is not one of {MODELS}"
    organisations = organisation_slugs()
    for number, role in enumerate(entry.get("organisations") or [], start=1):
        at = f"{where}.organisations[{number}]"
        if role.get("organisation") not in organisations:
            yield f"{at}: unknown organisation {role.get('organisation')!r}"
        if role.get("role") not in ROLES:
            yield f"{at}: role {role.get('role')!r} is not one of {ROLES}"
        if not isinstance(role.get("confirmed"), bool):
            yield f"{at}: confirmed must be true or false"
        yield from reference_problems(
            at, role.get("evidence"), required=role.get("confirmed") is True
        )
    for number, link in enumerate(entry.get("links") or [], start=1):
        at = f"{where}.links[{number}]"
        if link.get("kind") not in LINK_KINDS:
            yield f"{at}: kind {link.get('kind')!r} is not one of {LINK_KINDS}"
        if not str(link.get("url", "")).startswith(("https://", "http://")):
            yield f"{at}: url must be absolute"
        yield from reference_problems(at, link.get("evidence"))
    yield from reference_problems(where, entry.get("evidence"), required=False)


def reuse_case_problems(entry: dict) -> Iterator[str]:
    where = entry.get("slug", "?")
    for field in ("title", "summary"):
        yield from translated_problems(f"{where}.{field}", entry.get(field))
    yield from translated_problems(
        f"{where}.description", entry.get("description"), required=False
    )
    known_components, known_organisations = component_slugs(), organisation_slugs()
    if not entry.get("components"):
        yield f"{where}: no components"
    for slug in entry.get("components") or []:
        if slug not in known_components:
            yield f"{where}: unknown component {slug!r}"
    if not entry.get("organisations"):
        yield f"{where}: no reusing organisations"
    for slug in entry.get("organisations") or []:
        if slug not in known_organisations:
            yield f"{where}: unknown organisation {slug!r}"
    quote = entry.get("quote")
    if quote is not None:
        for key in ("text", "language", "speaker", "evidence"):
            if not quote.get(key):
                yield f"{where}.quote: no {key}"
        yield from reference_problems(f"{where}.quote", quote.get("evidence"))
    yield from reference_problems(where, entry.get("evidence"))


def figure_problems(entry: dict) -> Iterator[str]:
    where = entry.get("slug", "?")
    yield from translated_problems(f"{where}.label", entry.get("label"))
    yield from translated_problems(f"{where}.scope", entry.get("scope"), required=False)
    if not isinstance(entry.get("value"), int | float):
        yield f"{where}.value: a number, as the seed gives it"
    if entry.get("unit") not in FIGURE_UNITS:
        yield f"{where}.unit: {entry.get('unit')!r} is not one of {FIGURE_UNITS}"
    yield from reference_problems(where, entry.get("evidence"))


def event_problems(entry: dict) -> Iterator[str]:
    where = entry.get("slug", "?")
    for field in ("title", "description"):
        yield from translated_problems(f"{where}.{field}", entry.get(field))
    if entry.get("precision") not in EVENT_PRECISIONS:
        yield f"{where}.precision: {entry.get('precision')!r} not in {EVENT_PRECISIONS}"
    yield from reference_problems(where, entry.get("evidence"))


ARTICLE_KINDS = ("news", "story")


def news_problems(entry: dict) -> Iterator[str]:
    where = entry.get("slug", "?")
    for field in ("title", "summary", "body"):
        yield from translated_problems(f"{where}.{field}", entry.get(field))
    for language, summary in (entry.get("summary") or {}).items():
        if isinstance(summary, str) and len(summary) > 300:
            yield f"{where}.summary [{language}]: longer than 300 characters"
    if entry.get("kind") not in ARTICLE_KINDS:
        yield f"{where}.kind: {entry.get('kind')!r} is not one of {ARTICLE_KINDS}"
    known_components = component_slugs()
    for slug in entry.get("components") or []:
        if slug not in known_components:
            yield f"{where}: unknown component {slug!r}"
    known_cases = {case["slug"] for case in load("reuses.yaml") or []}
    for slug in entry.get("reuse_cases") or []:
        if slug not in known_cases:
            yield f"{where}: unknown reuse case {slug!r}"
    yield from reference_problems(where, entry.get("evidence"))


CHECKS = {
    "components-": component_problems,
    "reuses": reuse_case_problems,
    "figures": figure_problems,
    "events": event_problems,
    "news": news_problems,
}


def problems(path: Path) -> Iterator[str]:
    check = next(
        (c for prefix, c in CHECKS.items() if path.name.startswith(prefix)), None
    )
    if check is None:
        return
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        yield f"{path.name}: not valid YAML: {error}"
        return
    slugs = [entry.get("slug") for entry in entries]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        yield f"{path.name}: slug {slug!r} appears twice"
    for entry in entries:
        for problem in check(entry):
            yield f"{path.name}: {problem}"


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(SOURCE.glob("*.yaml"))
    found = [problem for path in paths for problem in problems(path)]
    print("\n".join(found) or "no problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
