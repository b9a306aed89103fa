"""What the importer refuses, key by key, with the key's path in each message.

The project's own rules, written here (the official JSON schema is only
read by the conformance tests): the keys publiccode.yml requires, the type
of every key the catalogue reads, its known values (categories, statuses,
scopes) and the limits of the catalogue's fields.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from interchange.publiccode import mapping
from interchange.publiccode.documents import Refused

URL_MAX = 500
# An SPDX licence expression: identifiers (LicenseRef- ones too) joined by
# AND, OR, WITH, in parentheses or not.
SPDX_EXPRESSION = re.compile(
    r"^\(*[A-Za-z0-9][A-Za-z0-9.+-]*\)*"
    r"(\s+(AND|OR|WITH)\s+\(*[A-Za-z0-9][A-Za-z0-9.+-]*\)*)*$"
)
LICENCE_MAX = 64
NAME_MAX = 200
CONTACT_MAX = {"name": 200, "phone": 40}
_check_url = URLValidator(schemes=["http", "https"])
_check_email = EmailValidator()


def _type_name(kind: type) -> str:
    return {
        str: _("a text"),
        bool: _("true or false"),
        list: _("a list"),
        dict: _("a mapping of keys to values"),
    }[kind]


class Checker:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, path: str, message: str) -> None:
        self.errors[path].append(message)

    def get(self, mapping_: dict, key: str, path: str, kind: type, *, required=False):
        """The value of `key` when it has the right type, else None (and a
        message when it is missing but required, or of another type)."""
        full = f"{path}.{key}" if path else key
        if key not in mapping_ or mapping_[key] is None:
            if required:
                self.add(full, _("This key is required."))
            return None
        value = mapping_[key]
        # bool is an int in Python, and neither is text.
        if not isinstance(value, kind) or (
            kind is not bool and isinstance(value, bool)
        ):
            self.add(full, _("Give %(type)s.") % {"type": _type_name(kind)})
            return None
        if kind is str and not value.strip():
            if required:
                self.add(full, _("This key is required."))
            return None
        return value

    def text(self, mapping_, key, path, *, required=False, max_length=None):
        value = self.get(mapping_, key, path, str, required=required)
        full = f"{path}.{key}" if path else key
        if value is not None and max_length and len(value) > max_length:
            self.add(
                full,
                _("At most %(max)d characters (this one has %(length)d).")
                % {"max": max_length, "length": len(value)},
            )
        return value

    def url(self, mapping_, key, path, *, required=False) -> str | None:
        value = self.text(mapping_, key, path, required=required, max_length=URL_MAX)
        if value is not None:
            try:
                _check_url(value)
            except ValidationError:
                self.add(f"{path}.{key}" if path else key, _("Give a web address."))
        return value

    def texts(self, mapping_, key, path, *, required=False) -> list[str]:
        """A list of texts."""
        items = self.get(mapping_, key, path, list, required=required) or []
        full = f"{path}.{key}" if path else key
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.add(
                    f"{full}[{index}]", _("Give %(type)s.") % {"type": _("a text")}
                )
        return [item for item in items if isinstance(item, str)]

    def choices(self, mapping_, key, path, known, *, required=False) -> list[str]:
        items = self.texts(mapping_, key, path, required=required)
        full = f"{path}.{key}" if path else key
        for index, item in enumerate(items):
            if item not in known:
                self.add(
                    f"{full}[{index}]",
                    _("“%(value)s” is not a value publiccode.yml knows here.")
                    % {"value": item},
                )
        return items

    def choice(self, mapping_, key, path, known, *, required=False):
        value = self.get(mapping_, key, path, str, required=required)
        if value is not None and value not in known:
            self.add(
                f"{path}.{key}" if path else key,
                _("Use one of: %(values)s.") % {"values": ", ".join(known)},
            )
            return None
        return value

    def mappings(self, mapping_, key, path) -> list[tuple[str, dict]]:
        """A list of mappings, each with its path."""
        items = self.get(mapping_, key, path, list) or []
        full = f"{path}.{key}" if path else key
        found = []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                found.append((f"{full}[{index}]", item))
            else:
                self.add(
                    f"{full}[{index}]", _("Give %(type)s.") % {"type": _type_name(dict)}
                )
        return found


def _unstorable_texts(value, path: str = ""):
    """Paths of the texts PostgreSQL cannot store: with a NUL character or
    a lone surrogate, both of which YAML's escapes can write."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield path
        else:
            if "\x00" in value:
                yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_texts(item, f"{path}[{index}]")


def validate(document: dict) -> None:
    """Refused, with every message at once, unless `document` is a
    publiccode.yml the catalogue can take."""
    check = Checker()
    for path in _unstorable_texts(document):
        check.add(path, _("This text contains a NUL character or invalid Unicode."))
    check.choice(
        document, "publiccodeYmlVersion", "", mapping.READABLE_VERSIONS, required=True
    )
    check.text(document, "name", "", required=True, max_length=NAME_MAX)
    check.url(document, "url", "", required=True)
    check.url(document, "landingURL", "")
    check.texts(document, "platforms", "", required=True)
    check.choices(document, "categories", "", mapping.CATEGORIES)
    check.choice(
        document, "developmentStatus", "", mapping.DEVELOPMENT_STATUSES, required=True
    )
    check.choice(document, "softwareType", "", mapping.SOFTWARE_TYPES, required=True)
    _validate_description(check, document)
    _validate_legal(check, document)
    _validate_maintenance(check, document)
    _validate_localisation(check, document)
    audience = check.get(document, "intendedAudience", "", dict) or {}
    for index, country in enumerate(
        check.texts(audience, "countries", "intendedAudience")
    ):
        if not re.fullmatch(r"[A-Za-z]{2}", country):
            check.add(
                f"intendedAudience.countries[{index}]",
                _("Give a two-letter country code (ISO 3166-1)."),
            )
    check.choices(audience, "scope", "intendedAudience", mapping.SCOPES)
    depends_on = check.get(document, "dependsOn", "", dict) or {}
    for kind in mapping.DEPENDENCY_KINDS:
        for path, dependency in check.mappings(depends_on, kind, "dependsOn"):
            check.text(dependency, "name", path, required=True, max_length=NAME_MAX)
            check.get(dependency, "optional", path, bool)
    if check.errors:
        raise Refused(dict(check.errors))


def _validate_description(check: Checker, document: dict) -> None:
    descriptions = check.get(document, "description", "", dict, required=True)
    if descriptions is None:
        return
    ours = 0
    for language, texts in descriptions.items():
        path = f"description.{language}"
        if not isinstance(texts, dict):
            check.add(path, _("Give %(type)s.") % {"type": _type_name(dict)})
            continue
        ours += str(language).split("-")[0].lower() in mapping.DESCRIPTION_LANGUAGES
        check.text(texts, "localisedName", path, max_length=NAME_MAX)
        check.text(texts, "genericName", path, max_length=mapping.GENERIC_NAME_MAX)
        check.text(
            texts,
            "shortDescription",
            path,
            required=True,
            max_length=mapping.SHORT_DESCRIPTION_MAX,
        )
        long = check.text(
            texts, "longDescription", path, max_length=mapping.LONG_DESCRIPTION_MAX
        )
        if long is not None and len(long) < mapping.LONG_DESCRIPTION_MIN:
            check.add(
                f"{path}.longDescription",
                _("At least %(min)d characters (this one has %(length)d).")
                % {"min": mapping.LONG_DESCRIPTION_MIN, "length": len(long)},
            )
        check.url(texts, "documentation", path)
        check.url(texts, "apiDocumentation", path)
        for key in ("features", "screenshots", "videos", "awards"):
            check.texts(texts, key, path)
    if not ours and not check.errors.get("description"):
        check.add(
            "description",
            _("Describe the software in Dutch (nl), French (fr) or English (en)."),
        )


def _validate_legal(check: Checker, document: dict) -> None:
    legal = check.get(document, "legal", "", dict, required=True)
    if legal is None:
        return
    licence = check.text(
        legal, "license", "legal", required=True, max_length=LICENCE_MAX
    )
    if licence is not None and not SPDX_EXPRESSION.match(licence):
        check.add("legal.license", _("Give an SPDX licence identifier or expression."))
    for key in ("mainCopyrightOwner", "repoOwner", "authorsFile"):
        check.text(legal, key, "legal")


def _validate_maintenance(check: Checker, document: dict) -> None:
    maintenance = check.get(document, "maintenance", "", dict, required=True)
    if maintenance is None:
        return
    kind = check.choice(
        maintenance, "type", "maintenance", mapping.MAINTENANCE_TYPES, required=True
    )
    contacts = check.mappings(maintenance, "contacts", "maintenance")
    if kind in ("internal", "contract") and not contacts:
        check.add(
            "maintenance.contacts",
            _("Internal or contracted maintenance needs at least one contact."),
        )
    for path, contact in contacts:
        check.text(contact, "name", path, required=True, max_length=CONTACT_MAX["name"])
        check.text(contact, "phone", path, max_length=CONTACT_MAX["phone"])
        check.text(contact, "affiliation", path)
        email = check.text(contact, "email", path, max_length=254)
        if email is not None:
            try:
                _check_email(email)
            except ValidationError:
                check.add(f"{path}.email", _("Give an e-mail address."))
    for path, contractor in check.mappings(maintenance, "contractors", "maintenance"):
        check.text(contractor, "name", path, required=True)
        check.text(contractor, "until", path, required=True)


def _validate_localisation(check: Checker, document: dict) -> None:
    localisation = check.get(document, "localisation", "", dict, required=True)
    if localisation is None:
        return
    check.get(localisation, "localisationReady", "localisation", bool, required=True)
    check.texts(localisation, "availableLanguages", "localisation", required=True)
