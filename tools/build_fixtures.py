"""Build fixtures/catalogue.json from the seed component list and our texts.

    python tools/build_fixtures.py [path/to/component-sources.csv]

Inputs:
- the seed component list (`../shared/data/component-sources.csv`): one row
  per component the seed documents name, each citing its seed line;
- `fixtures/source/*.yaml`: the names, summaries and descriptions written for
  the portal in NL, FR and EN, plus providers, networks, events and reuses.

Output: a Django fixture with natural keys (slugs), loadable with
`manage.py load_catalogue` (creates what is missing, never overwrites edits)
or `manage.py loaddata` (overwrites). Run it again after editing a source;
the output is deterministic, so its diff shows exactly what changed.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import yaml
from django.utils.text import slugify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_rules import problems  # noqa: E402  (run as a script, not a package)

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "source"
OUTPUT = ROOT / "fixtures" / "catalogue.json"
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "component-sources.csv"

CATALOGUE_FITS = {"ict-reuse-url", "g-cloud", "reuse-ecosystem"}
LANGUAGES = ("nl", "fr", "en")
# Fixed so that the generated file is the same on every run.
SEEDED_AT = "2026-11-25T00:00:00Z"

KINDS = {
    "api": "api",
    "component": "component",
    "service": "service",
    "platform": "platform",
    "authentic-source": "authentic_source",
    "infrastructure": "infrastructure",
}
DOMAINS = {
    "generic": "generic",
    "social security": "social-security",
    "health": "health",
    "enterprises": "enterprises",
    "citizens": "citizens",
}
# Labels as the seed list writes them; a row naming several blocks is placed
# under the first one it names.
BUILDING_BLOCK_LABELS = {
    "Request / declaration": "request-declaration",
    "Payments (received)": "payments-received",
    "Payments received": "payments-received",
    "Payments": "payments",
    "Case management": "case-management",
    "Reporting": "reporting",
    "Archiving": "archiving",
    "Communications": "communications",
    "Data flows": "data-flows",
    "Call center": "call-centre",
    "Support services": "support-services",
    "Automated data treatments": "automated-data-treatments",
    "Supporting software": "supporting-software",
    "G-Cloud: Software": "g-cloud-software",
    "G-Cloud: Platform": "g-cloud-platform",
    "G-Cloud: Infrastructure - services": "g-cloud-infrastructure-services",
    "G-Cloud: Infrastructure - foundation": "g-cloud-infrastructure-foundation",
}
# The seed list leaves these rows without a block; placed editorially, by what
# the component is (portals are websites, an extranet is network infrastructure).
EDITORIAL_BUILDING_BLOCKS = {
    "ehealth-portal": "supporting-software",
    "social-security-portal": "supporting-software",
    "myhealth-mijngezondheid": "supporting-software",
    "extranet-social-security": "g-cloud-infrastructure-foundation",
    "vidis": "data-flows",
}
# A status the seed list does not give is "not stated", never assumed; a
# system said to be live in 2021 only (a campaign) is not assumed live today.
LIFECYCLE = {
    "": "not_stated",
    "service": "available",
    "live": "available",
    "live (2021)": "not_stated",
    "in productie": "available",
    "preparation": "concept",
    "planned": "concept",
    "research / candidate for reuse catalogue": "concept",
    "construction": "in_development",
    "in ontwikkeling": "in_development",
    "in development (concept + validation code, continued 2022)": "in_development",
    "extensive test set-up delivered 2021; roi model available": "in_development",
}
LEVELS = {
    "federal": "federal",
    "interfederal": "interfederal",
    "EU / federal": "federal",
    "Flemish": "regional",
    "Walloon": "regional",
    "Brussels": "regional",
}
# The seed list's provider column, and its provider guesses that are not
# marked uncertain, mapped to provider slugs; used for components whose
# source names no `organisations`. A value missing here stops the build:
# nothing is guessed.
PROVIDERS = {
    "Smals": "smals",
    "Smals Research": "smals",
    "Smals; FOD BOSA DG DT": "smals",
    "Smals (platform); RSZ (BDAP project)": "smals",
    "eHealth-platform": "ehealth-platform",
    "FOD Economie (initiator); NTT (delivery)": "fod-economie",
    "FPS Economy": "fod-economie",
    "CSAM (FOD BOSA)": "fod-bosa",
    "FOD BOSA": "fod-bosa",
    "RSZ (NSSO)": "rsz",
    "KSZ-CBSS": "ksz",
    "FPS Interior (Directorate for Institutions and Population)": (
        "fod-binnenlandse-zaken"
    ),
    "FOD Binnenlandse Zaken; FOD Financiën; Regie der Gebouwen; Smals": (
        "fod-binnenlandse-zaken"
    ),
    "FOD Financiën; FOD BOSA; eHealth-platform; KSZ; Smals": "fod-financien",
    "FOD Sociale Zekerheid; KSZ": "fod-sociale-zekerheid",
    "All public social-security institutions and FPS Social Security": (
        "fod-sociale-zekerheid"
    ),
    "Belnet (operator)": "belnet",
    "Seaters (private firm)": "seaters",
    "FAGG (AFMPS)": "fagg",
    "RIZIV (INAMI)": "riziv",
    "Recip-e": "recip-e",
    "Vitalink": "vazg",
    "RSW": "rsw",
    "RSB": "abrumet",
    "CoZo": "cozo",
}
PROVIDER_GUESSES = {
    "RSZ (NSSO) - background knowledge": "rsz",
    "RSZ and social-security institutions - background knowledge": "rsz",
    "RSZ (NSSO), social-security declaration (background)": "rsz",
    "KSZ-CBSS / Smals - background knowledge": "ksz",
    "Flemish Agency Care and Health (VAZG) - background knowledge": "vazg",
    "FAGG and RIZIV - background knowledge": "fagg",
    "Belgian eHealth (KMEHR) standard - background": "ehealth-platform",
}
PROVIDER_GUESS_PREFIXES = {
    "Smals, for the Interministerial Conference Public Health": "smals",
    "Smals, coupled with software of private company Doctr": "smals",
    "Smals with Sopra Steria": "smals",
    "FOD BOSA federal address service": "fod-bosa",
    "eHealth-platform (Common Base Registry": "ehealth-platform",
}
# Guesses that name no single organisation, or only assume: left empty.
UNCONFIRMED_GUESS_MARKERS = ("uncertain", "unknown", "assumed", "community of")


def translated(field: str, values: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not (values or {}).get(lang)]
    if missing:
        raise SystemExit(f"{field}: no text in {', '.join(missing)}")
    return {f"{field}_{lang}": values[lang].strip() for lang in LANGUAGES}


def optional_translated(field: str, values: dict[str, str] | None) -> dict[str, str]:
    return {
        f"{field}_{lang}": ((values or {}).get(lang) or "").strip()
        for lang in LANGUAGES
    }


def building_block_for(row: dict[str, str]) -> str:
    label = row["building_block"]
    if not label:
        return EDITORIAL_BUILDING_BLOCKS[row["slug"]]
    found = [
        (label.index(text), -len(text), slug)
        for text, slug in BUILDING_BLOCK_LABELS.items()
        if text in label
    ]
    if not found:
        raise SystemExit(f"{row['slug']}: unknown building block {label!r}")
    return min(found)[2]


def seed_list_organisations(row: dict[str, str]) -> list[dict]:
    """The seed list's provider as an organisation role: confirmed when the
    list names it from a seed, unconfirmed when it is a guess."""
    cited = f"{row['seed_file'][:3]}:{row['seed_line']}"
    if row["provider"]:
        evidence = row["provider_source"].split(" (")[0] or cited
        return [
            {
                "organisation": PROVIDERS[row["provider"]],
                "role": "operator",
                "confirmed": True,
                "evidence": evidence,
            }
        ]
    guess = row["provider_guess"]
    if not guess or any(
        marker in guess.lower() for marker in UNCONFIRMED_GUESS_MARKERS
    ):
        return []
    slug = PROVIDER_GUESSES.get(guess) or next(
        (
            slug
            for prefix, slug in PROVIDER_GUESS_PREFIXES.items()
            if guess.startswith(prefix)
        ),
        None,
    )
    if slug is None:
        raise SystemExit(f"{row['slug']}: provider guess not mapped: {guess!r}")
    return [
        {"organisation": slug, "role": "operator", "confirmed": False, "evidence": ""}
    ]


def seed_reference(row: dict[str, str], evidence: str) -> str:
    cited = f"{row['seed_file'][:3]}:{row['seed_line']}"
    return "; ".join(dict.fromkeys([cited, *filter(None, evidence.split("; "))]))


def stamped(fields: dict) -> dict:
    return {**fields, "created_at": SEEDED_AT, "updated_at": SEEDED_AT}


def load_yaml(name: str):
    return yaml.safe_load((SOURCE / name).read_text(encoding="utf-8"))


def taxonomy_objects() -> list[dict]:
    taxonomy = load_yaml("taxonomy.yaml")
    objects = []
    for position, domain in enumerate(taxonomy["domains"], start=1):
        fields = {"slug": domain["slug"], "position": position}
        fields |= translated("name", domain["name"])
        fields |= translated("description", domain["description"])
        objects.append({"model": "catalogue.domain", "fields": fields})
    for block in taxonomy["building_blocks"]:
        fields = {k: block[k] for k in ("slug", "family", "position")}
        fields |= translated("name", block["name"])
        fields |= translated("description", block["description"])
        objects.append({"model": "catalogue.buildingblock", "fields": fields})
    for model in taxonomy["collaboration_models"]:
        fields = {"slug": model["slug"], "position": model["position"]}
        fields |= translated("name", model["name"])
        fields |= translated("definition", model["definition"])
        objects.append({"model": "catalogue.collaborationmodel", "fields": fields})
    return objects


def provider_objects() -> list[dict]:
    objects = []
    sources = sorted(SOURCE.glob("providers*.yaml"))
    for provider in (
        p for path in sources for p in yaml.safe_load(path.read_text(encoding="utf-8"))
    ):
        fields = {
            "slug": provider["slug"],
            "kind": provider["kind"],
            "website_url": provider.get("website_url") or "",
        }
        fields |= translated("name", provider["name"])
        fields |= translated("description", provider["description"])
        # Not every organisation goes by an acronym, and some only in one language.
        acronyms = provider.get("acronym") or {}
        fields |= optional_translated("acronym", acronyms)
        objects.append({"model": "catalogue.provider", "fields": stamped(fields)})
    return objects


def component_objects(rows: list[dict[str, str]]) -> list[dict]:
    texts = {}
    for part in sorted(SOURCE.glob("components-*.yaml")):
        for entry in yaml.safe_load(part.read_text(encoding="utf-8")):
            texts[entry["slug"]] = entry
    missing = [row["slug"] for row in rows if row["slug"] not in texts]
    if missing:
        raise SystemExit(f"no texts for: {', '.join(missing)}")

    tags: dict[str, dict] = {}
    components, roles, links, dependencies = [], [], [], []
    known_slugs = {row["slug"] for row in rows}
    for row in rows:
        text = texts[row["slug"]]
        component_tags = []
        for tag in text.get("tags") or []:
            tag_slug = slugify(tag["en"])
            tags.setdefault(tag_slug, tag)
            component_tags.append([tag_slug])
        # An explicit empty list means that no seed names an organisation.
        organisations = (
            text["organisations"]
            if "organisations" in text
            else seed_list_organisations(row)
        )
        lead = next((o["organisation"] for o in organisations if o["confirmed"]), None)
        lifecycle = (
            text.get("lifecycle")
            or LIFECYCLE[row["status"].split(" (G-Cloud")[0].lower()]
        )
        fields = {
            "slug": row["slug"],
            "acronym": (text.get("acronym") or "").strip(),
            "kind": text.get("kind") or KINDS[row["kind"]],
            "building_block": [text.get("building_block") or building_block_for(row)],
            "domain": [DOMAINS[row["domain"]]],
            "provider": [lead] if lead else None,
            "government_level": LEVELS[row["level"]],
            "lifecycle_status": lifecycle,
            "collaboration_model": [text["collaboration_model"]]
            if text.get("collaboration_model")
            else None,
            "licence": (text.get("licence") or "").strip(),
            "publication_state": "published",
            "published_at": SEEDED_AT,
            "source_reference": seed_reference(row, text.get("evidence") or ""),
            "tags": sorted(component_tags),
        }
        fields |= translated("name", text["name"])
        fields |= translated("summary", text["summary"])
        fields |= translated("description", text["description"])
        components.append({"model": "catalogue.component", "fields": stamped(fields)})
        for position, role in enumerate(organisations):
            roles.append(
                {
                    "model": "catalogue.componentorganisation",
                    "fields": {
                        "component": [row["slug"]],
                        "organisation": [role["organisation"]],
                        "role": role["role"],
                        "confirmed": role["confirmed"],
                        "source_reference": role.get("evidence") or "",
                        "position": position,
                    },
                }
            )
        website = text.get("website_url")
        component_links = [
            *([{"kind": "website", "url": website}] if website else []),
            *(text.get("links") or []),
        ]
        for link in {link["url"]: link for link in component_links}.values():
            links.append(
                {
                    "model": "catalogue.componentlink",
                    "fields": {
                        "component": [row["slug"]],
                        "kind": link["kind"],
                        "url": link["url"],
                        "title": link.get("title") or "",
                        "language": link.get("language") or "",
                    },
                }
            )
        for target in text.get("depends_on") or []:
            if target not in known_slugs or target == row["slug"]:
                raise SystemExit(f"{row['slug']}: depends on unknown {target!r}")
            dependencies.append(
                {
                    "model": "catalogue.componentdependency",
                    "fields": {
                        "component": [row["slug"]],
                        "depends_on": [target],
                        "note": "",
                    },
                }
            )
    tag_objects = [
        {"model": "catalogue.tag", "fields": {"slug": slug, **translated("name", tag)}}
        for slug, tag in sorted(tags.items())
    ]
    return tag_objects + components + roles + links + dependencies


def reuse_case_objects() -> list[dict]:
    objects = []
    for case in load_yaml("reuses.yaml") or []:
        quote = case.get("quote") or {}
        fields = {
            "slug": case["slug"],
            "components": sorted([slug] for slug in case["components"]),
            "organisations": sorted([slug] for slug in case["organisations"]),
            "year": case.get("year"),
            "quote": (quote.get("text") or "").strip(),
            "quote_language": quote.get("language") or "",
            "quote_speaker": quote.get("speaker") or "",
            "quote_organisation": [quote["organisation"]]
            if quote.get("organisation")
            else None,
            "publication_state": "published",
            "published_at": SEEDED_AT,
            "source_reference": case["evidence"],
        }
        fields |= translated("title", case["title"])
        fields |= translated("summary", case["summary"])
        fields |= optional_translated("description", case.get("description"))
        objects.append({"model": "catalogue.reusecase", "fields": stamped(fields)})
    return objects


def figure_objects() -> list[dict]:
    objects = []
    for position, figure in enumerate(load_yaml("figures.yaml") or [], start=1):
        fields = {
            "slug": figure["slug"],
            "value": str(figure["value"]),
            "unit": figure["unit"],
            "year": figure.get("year"),
            "source_reference": figure["evidence"],
            "position": position,
        }
        fields |= translated("label", figure["label"])
        fields |= optional_translated("scope", figure.get("scope"))
        objects.append({"model": "programme.programmefigure", "fields": fields})
    return objects


def network_objects() -> list[dict]:
    objects, memberships = [], []
    for network in load_yaml("networks.yaml"):
        fields = {
            "slug": network["slug"],
            "domain": [network["domain"]],
            "coordinator": [network["coordinator"]]
            if network.get("coordinator")
            else None,
            "components": sorted([slug] for slug in network.get("components") or []),
            "publication_state": "published",
            "source_reference": network.get("evidence") or "",
        }
        fields |= translated("name", network["name"])
        fields |= translated("description", network["description"])
        objects.append({"model": "networks.network", "fields": stamped(fields)})
        for member in network.get("members") or []:
            memberships.append(
                {
                    "model": "networks.membership",
                    "fields": {
                        "network": [network["slug"]],
                        "organisation": [member["provider"]],
                        "person_name": "",
                        "role": member.get("role") or "member",
                    },
                }
            )
    events = []
    for event in load_yaml("events.yaml") or []:
        fields = {
            "slug": event["slug"],
            "network": [event["network"]],
            "kind": event["kind"],
            "starts_at": event["starts_at"],
            "precision": event["precision"],
            "location": event.get("location") or "",
            "recording_url": event.get("recording_url") or "",
            "source_reference": event.get("evidence") or "",
        }
        fields |= translated("title", event["title"])
        fields |= translated("description", event["description"])
        events.append({"model": "networks.event", "fields": stamped(fields)})
    return objects + memberships + events


def news_objects() -> list[dict]:
    objects = []
    for article in load_yaml("news.yaml") or []:
        fields = {
            "slug": article["slug"],
            "kind": article["kind"],
            "components": sorted([slug] for slug in article.get("components") or []),
            "reuse_cases": sorted([slug] for slug in article.get("reuse_cases") or []),
            "publication_state": "published",
            "published_at": SEEDED_AT,
            "source_reference": article["evidence"],
        }
        fields |= translated("title", article["title"])
        fields |= translated("summary", article["summary"])
        fields |= translated("body", article["body"])
        objects.append({"model": "news.article", "fields": stamped(fields)})
    return objects


def main(argv: list[str]) -> int:
    csv_path = Path(argv[0]) if argv else DEFAULT_CSV
    with csv_path.open(encoding="utf-8") as source:
        rows = [
            row
            for row in csv.DictReader(source)
            if row["catalogue_fit"] in CATALOGUE_FITS
        ]
    broken = [
        problem for path in sorted(SOURCE.glob("*.yaml")) for problem in problems(path)
    ]
    if broken:
        raise SystemExit("\n".join(["The sources break their rules:", *broken]))
    objects = (
        taxonomy_objects()
        + provider_objects()
        + component_objects(rows)
        + reuse_case_objects()
        + network_objects()
        + figure_objects()
        + news_objects()
    )
    OUTPUT.write_text(
        json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{OUTPUT.relative_to(ROOT)}: {len(objects)} objects, {len(rows)} components")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
