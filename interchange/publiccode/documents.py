"""publiccode.yml text in and out: a safe, bounded reader and a plain writer."""

from __future__ import annotations

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Far above any real publiccode.yml (a few KB), far below what would tie up
# a worker: checked before a byte is parsed.
MAX_BYTES = 512 * 1024
# Where a refusal that concerns the whole file is reported.
FILE_KEY = "publiccode.yml"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class Refused(ValidationError):
    """The document is refused; `message_dict` holds the messages by path
    (`description.en.shortDescription`)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)


class _Loader(yaml.SafeLoader):
    """YAML's plain data only, without aliases (a "billion laughs" file
    expands a few KB into gigabytes through them) or repeated keys, and
    with dates left as the strings publiccode.yml defines them as."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, _("aliases (*name) are not accepted"), event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    _("the key “%(key)s” appears twice") % {"key": key},
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Dumper(yaml.SafeDumper):
    """Never anchors and aliases: the reader above refuses them."""

    def ignore_aliases(self, data) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Descriptions in Markdown read best as literal blocks.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def refused(path: str, message: str) -> Refused:
    return Refused({path: [message]})


def parse(raw: bytes | str) -> dict:
    """The document in `raw`, or Refused: too large, not UTF-8, not YAML,
    or not a mapping."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) > MAX_BYTES:
        raise too_large()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(FILE_KEY, _("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise refused(FILE_KEY, _("The file contains a NUL character."))
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (
            _("line %(line)d, column %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        raise refused(
            FILE_KEY,
            _("This is not valid YAML (%(where)s): %(problem)s.")
            % {"where": where, "problem": error.problem or error.context},
        ) from None
    except (yaml.YAMLError, RecursionError):
        raise refused(FILE_KEY, _("This is not valid YAML.")) from None
    if not isinstance(document, dict):
        raise refused(
            FILE_KEY, _("A publiccode.yml file is a mapping of keys to values.")
        )
    return document


def too_large() -> Refused:
    return refused(
        FILE_KEY,
        _("The file is larger than %(size)d KB.") % {"size": MAX_BYTES // 1024},
    )


def dump(document: dict) -> str:
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
