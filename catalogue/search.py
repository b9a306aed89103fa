"""Catalogue search: what a component's document holds, and how a query is
understood before PostgreSQL runs it.

A query becomes one tsquery, run in the three languages' configurations
(stemmed, unaccented) and the simple one (names, acronyms). Each typed word
becomes a clause of alternatives, and the clauses must all match:

- the word itself, as a prefix ("archiv" finds "archivering");
- its equivalents in the thesaurus (`catalogue/thesaurus.yaml`), in every
  language ("login" also looks for "aanmelden" and "connexion");
- when the catalogue never uses the word, the closest word it does use
  ("signture" finds "signature") or the two words it is made of ("mydia"
  finds "My DIA");
- two typed words that the catalogue writes as one ("e box", "my dia").

The words the catalogue uses are kept in `SearchWord`, one row per word, so
that these lookups are two indexed queries, whatever the catalogue's size.
"""

from __future__ import annotations

import dataclasses
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache, lru_cache
from pathlib import Path

import yaml
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Value
from django.db.models.functions import Coalesce

# Text search configurations created in migration 0003: one per language,
# each unaccenting before stemming.
SEARCH_CONFIGURATIONS = {
    "nl": "portal_nl",
    "fr": "portal_fr",
    "en": "portal_en",
}
SIMPLE_SEARCH_CONFIGURATION = "portal_simple"
LANGUAGE_CODES = tuple(SEARCH_CONFIGURATIONS)
# Longer queries are cut: nobody types more, and each word costs a term.
MAX_SEARCH_WORDS = 8
# No word of any language is longer; a longer one is noise, and trigram
# matching costs grow with it.
MAX_WORD_LENGTH = 40
# What the search box accepts at all (the form and the API say so).
MAX_QUERY_LENGTH = 200
# How alike a typed word and a catalogue word must be (pg_trgm similarity)
# for the one to stand in for the other: "bakup" and "backup" are 0.44,
# "limoza" and "limosa" 0.4. Only words no component uses are corrected.
TYPO_SIMILARITY = 0.3
# How alike a component's name must be to what was typed (pg_trgm word
# similarity) to be suggested when a search finds nothing, and among how
# many such names, the first the names' trigram index finds, the closest
# are suggested: comparing every name took 1.2 s at 100,000 components.
CLOSE_NAME_SIMILARITY = 0.2
CLOSE_NAMES_COMPARED = 100
# How many catalogue words may stand in for one misspelt word: "ehealtbocks"
# is nearest to "ehealth", then to "ehealthbox".
CORRECTIONS = 2
THESAURUS = Path(__file__).with_name("thesaurus.yaml")
# A search ranks at most this many components that contain its words, and
# this many whose names look like them (typos): the cost of a search stays
# bounded at 100,000 components (ranking reads each candidate's vector).
RANKED_BY_WORDS = 200
RANKED_BY_NAME = 50
# Matches are counted up to this number; past it, "more than 250". The
# query that finds the candidates finds up to one more than this many each
# way, so that it counts them too (ComponentQuerySet.search_candidates).
# Finding one costs most for a misspelt word, whose query carries the
# corrections and their synonyms in four dictionaries; at 100,000
# components, counting such a word's matches up to 1,000 took 66 ms.
MATCH_COUNT_CAP = RANKED_BY_WORDS + RANKED_BY_NAME


def _normalised(text: str) -> str:
    # Whatever reaches here, only the first MAX_QUERY_LENGTH characters count.
    decomposed = unicodedata.normalize("NFKD", text[:MAX_QUERY_LENGTH].lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def hyphenated_parts(text: str) -> dict[str, tuple[str, ...]]:
    """Typed words written with a hyphen or an apostrophe, joined as
    search_words() gives them, with their parts: {"email": ("e", "mail")}."""
    return {
        "".join(parts): tuple(parts)
        for token in re.findall(r"\w+(?:[-'’.]\w+)+", _normalised(text))
        for parts in [re.split(r"[-'’.]", token)]
    }


def search_words(text: str) -> list[str]:
    """The words of a query, lower-cased, without accents or tsquery syntax.

    "e-Box" gives ["ebox"]: hyphens inside names are dropped rather than
    split, so "ebox" and "e-box" find the same thing.
    """
    joined = re.sub(r"(?<=\w)[-'’.](?=\w)", "", _normalised(text))
    words = re.findall(r"\w+", joined)[:MAX_SEARCH_WORDS]
    return [word[:MAX_WORD_LENGTH] for word in words]


def interleave(fields: list) -> list:
    """Fields (names or expressions) separated by spaces, for Concat()."""
    parts: list = []
    for field in fields:
        parts += [
            Coalesce(field, Value(""), output_field=models.TextField()),
            Value(" "),
        ]
    return parts[:-1]


def search_document() -> SearchVector:
    """What a component search looks at, and how much each part weighs."""
    document = SearchVector("acronym", config=SIMPLE_SEARCH_CONFIGURATION, weight="A")
    for language, config in SEARCH_CONFIGURATIONS.items():
        document += SearchVector(f"name_{language}", config=config, weight="A")
        document += SearchVector(
            f"name_{language}", config=SIMPLE_SEARCH_CONFIGURATION, weight="A"
        )
        document += SearchVector(f"summary_{language}", config=config, weight="B")
        document += SearchVector(f"description_{language}", config=config, weight="C")
    document += SearchVector(
        "related_terms", config=SIMPLE_SEARCH_CONFIGURATION, weight="B"
    )
    return document


@dataclass(frozen=True)
class Concept:
    """One thesaurus entry: its terms in all languages, each as its words."""

    name: str
    terms: tuple[tuple[str, ...], ...]


@cache
def thesaurus() -> tuple[Concept, ...]:
    entries = yaml.safe_load(THESAURUS.read_text(encoding="utf-8")) or []
    concepts = []
    for entry in entries:
        terms = {
            tuple(search_words(term))
            for language in LANGUAGE_CODES
            for term in entry.get(language) or []
        }
        concepts.append(
            Concept(name=entry["concept"], terms=tuple(sorted(t for t in terms if t)))
        )
    return tuple(concepts)


@cache
def _concepts_by_term() -> dict[tuple[str, ...], tuple[Concept, ...]]:
    found: dict[tuple[str, ...], list[Concept]] = {}
    for concept in thesaurus():
        for term in concept.terms:
            found.setdefault(term, []).append(concept)
    return {term: tuple(concepts) for term, concepts in found.items()}


def thesaurus_words() -> set[str]:
    return {word for concept in thesaurus() for term in concept.terms for word in term}


@dataclass(frozen=True)
class Vocabulary:
    """What the catalogue knows about the typed words, from `SearchWord`."""

    known: frozenset[str]  # typed words some catalogue word starts with
    closest: dict[str, list[str]]  # unknown typed word -> most similar words
    exact: frozenset[str]  # catalogue words among the candidate compounds
    # The tsquery look_up() was given to stem, stemmed (_written_once).
    stemmed: str = ""

    @classmethod
    def every_word_known(cls, words: list[str]) -> Vocabulary:
        """What look_up() finds when the catalogue knows every word and
        writes no two of them as one."""
        return cls(known=frozenset(words), closest={}, exact=frozenset())

    @classmethod
    def look_up(cls, words: list[str], *, stemming: str = "") -> Vocabulary:
        from catalogue.models import SearchWord  # noqa: PLC0415 (models import this)

        table = connection.ops.quote_name(SearchWord._meta.db_table)
        # One statement for the typed words and the compounds, the same for
        # any number of words, planned once per connection: the words reach
        # it through subqueries, hidden from the planner, which would
        # otherwise plan every search for its own words (and take longer to
        # plan than to run); its constants are written in for the same
        # reason. At 100,000 components it costs the database a fifth of
        # what one SELECT per word (each with its word as a constant) and one
        # for the compounds did, in one round trip less. A typed word is
        # found by the prefix index through a range (a LIKE pattern must be
        # a constant to use it), and by the trigram index.
        # The similar words are looked for only when no catalogue word starts
        # with the typed one (_word_clause reads them only then): at 100,000
        # components that search takes 2-7 ms per word. The compounds'
        # rows come last, with no answer to "known". Every row carries the
        # stems of `stemming` (computed once: its subquery reads no row).
        statement = f"""
            SELECT typed.word, typed.known,
                   CASE WHEN typed.known THEN ARRAY[]::text[]
                   ELSE ARRAY(SELECT word FROM {table}
                              WHERE word %% typed.word
                                AND similarity(word, typed.word) >= {TYPO_SIMILARITY}
                              ORDER BY similarity(word, typed.word) DESC, word
                              LIMIT {CORRECTIONS})
                   END,
                   ({STEMS})
            FROM (
                SELECT typed.word, EXISTS (
                    SELECT 1 FROM {table}
                    WHERE word ~>=~ typed.word
                      AND word ~<~ (typed.word || U&'\\+10FFFF')
                ) AS known
                FROM unnest(ARRAY(SELECT unnest(%s::text[]))) AS typed (word)
            ) AS typed
            UNION ALL
            SELECT word, NULL, NULL, NULL FROM {table}
            WHERE word = ANY(ARRAY(SELECT unnest(%s::text[])))
        """  # noqa: S608 (the table name is ours, the words are parameters)
        with connection.cursor() as cursor:
            cursor.execute(
                statement,
                [
                    stemming,
                    STEMMING_CONFIGURATIONS,
                    words,
                    sorted(_compound_candidates(words)),
                ],
            )
            rows = cursor.fetchall()
        return cls(
            known=frozenset(word for word, is_known, _closest, _ in rows if is_known),
            closest={word: close for word, _, close, _ in rows if close},
            exact=frozenset(word for word, is_known, _, _ in rows if is_known is None),
            # The typed words' rows come first, and there is one per word.
            stemmed=_written_once(rows[0][3]),
        )


def _compound_candidates(words: list[str]) -> set[str]:
    """Parts a word could be made of ("my" + "dia"), and pairs of typed words
    the catalogue might write as one ("e" + "box")."""
    candidates = {a + b for a, b in zip(words, words[1:], strict=False)}
    for word in words:
        for cut in range(2, len(word) - 1):
            candidates |= {word[:cut], word[cut:]}
    return candidates


def _term(words: tuple[str, ...], *, prefix: bool = False) -> str:
    suffix = ":*" if prefix else ""
    if len(words) == 1:
        return words[0] + suffix
    return "(" + " <-> ".join(words) + ")"


def _synonyms(term: tuple[str, ...]) -> list[str]:
    return [
        _term(other)
        for concept in _concepts_by_term().get(term, ())
        for other in concept.terms
        if other != term
    ]


def _word_clause(
    word: str, vocabulary: Vocabulary, parts: tuple[str, ...] | None = None
) -> list[str]:
    alternatives = [_term((word,), prefix=True), *_synonyms((word,))]
    if parts:
        # "e-mail" as typed: the documents hold its parts too.
        alternatives.append(_term(parts))
    if word in vocabulary.known:
        return alternatives
    for close in vocabulary.closest.get(word, []):
        alternatives += [_term((close,)), *_synonyms((close,))]
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in vocabulary.exact and tail in vocabulary.exact:
            alternatives.append(_term((head, tail)))
    return alternatives


def _longest_thesaurus_term(words: list[str], start: int) -> tuple[str, ...] | None:
    for end in range(len(words), start + 1, -1):
        if tuple(words[start:end]) in _concepts_by_term():
            return tuple(words[start:end])
    return None


def _either(alternatives: list[str]) -> str:
    unique = list(dict.fromkeys(alternatives))
    return unique[0] if len(unique) == 1 else "(" + " | ".join(unique) + ")"


@dataclass(frozen=True)
class SearchCandidates:
    """The components a search ranks: at most RANKED_BY_WORDS found by their
    words and RANKED_BY_NAME by their names; and how many components match,
    counted up to MATCH_COUNT_CAP + 1."""

    ids: frozenset[int]
    matches: int
    # What each of them holds, by id, when asked (search_candidates' values).
    values: dict[int, dict] = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class UnderstoodQuery:
    words: list[str]
    clauses: list[str]  # one per typed word or phrase, in tsquery syntax
    match_all: bool  # False when no component has every word: any will do
    # Some typed word begins no word of the catalogue: a typo, perhaps.
    has_unknown_word: bool
    # The same query as the dictionaries stem it: what search vectors are
    # matched against (see _stemmed), written in lexemes.
    matching: str

    @property
    def tsquery(self) -> str:
        """Raw tsquery syntax, for SearchQuery(search_type="raw")."""
        return (" & " if self.match_all else " | ").join(self.clauses)


def understand(text: str) -> UnderstoodQuery | None:
    """The query as PostgreSQL will run it, or None when nothing is left.

    A search page asks for the same query once for the results and once per
    facet: the answer is kept for a minute in the process, so that its
    lookups run once. A word the catalogue has just started to use is
    corrected towards at most a minute later.
    """
    return _understand(text, int(time.monotonic() // UNDERSTANDING_SECONDS))


# How long an understood query is reused in a process.
UNDERSTANDING_SECONDS = 60


@lru_cache(maxsize=1024)
def _understand(text: str, period: int) -> UnderstoodQuery | None:
    words = search_words(text)
    if not words:
        return None
    hyphenated = hyphenated_parts(text)
    # The query as it reads when the catalogue knows every word typed, and
    # joins none of them into one: stemmed by the vocabulary's statement,
    # one round trip less for most searches. Otherwise stemmed again.
    if_known = _clauses(words, Vocabulary.every_word_known(words), hyphenated)
    vocabulary = Vocabulary.look_up(words, stemming=" & ".join(if_known))
    clauses = _clauses(words, vocabulary, hyphenated)
    if clauses == if_known:
        every_word = vocabulary.stemmed
    else:
        every_word = _stemmed(" & ".join(clauses))
    match_all = len(clauses) == 1 or _anything_matches(every_word)
    return UnderstoodQuery(
        words=words,
        clauses=clauses,
        match_all=match_all,
        has_unknown_word=any(word not in vocabulary.known for word in words),
        matching=every_word if match_all else _stemmed(" | ".join(clauses)),
    )


def _clauses(
    words: list[str], vocabulary: Vocabulary, hyphenated: dict[str, tuple[str, ...]]
) -> list[str]:
    """One clause per typed word or phrase, in tsquery syntax."""
    clauses: list[str] = []
    position = 0
    while position < len(words):
        phrase = _longest_thesaurus_term(words, position)
        if phrase is not None:
            # "signature electronique": one clause for the whole phrase.
            clauses.append(_either([_term(phrase, prefix=True), *_synonyms(phrase)]))
            position += len(phrase)
            continue
        word = words[position]
        clause = _either(_word_clause(word, vocabulary, hyphenated.get(word)))
        following = words[position + 1] if position + 1 < len(words) else None
        if following and word + following in vocabulary.exact:
            # "e box": the catalogue writes it as one word.
            second = _either(
                _word_clause(following, vocabulary, hyphenated.get(following))
            )
            joined = _term((word + following,), prefix=True)
            clauses.append(_either([f"({clause} & {second})", joined]))
            position += 2
            continue
        clauses.append(clause)
        position += 1
    return clauses


# One alternative that is a single lexeme, and whether it is a prefix:
# 'servic':* or 'betalingen'.
LEXEME = re.compile(r"'((?:[^']|'')+)'(:\*)?")
# What PostgreSQL writes a tsquery with: lexemes (a prefix's :*, weights),
# operators, parentheses.
TSQUERY_TOKEN = re.compile(r"'(?:[^']|'')*'(?::[*A-D]+)?|<\d*-?>|[()&|!]")


# Each search configuration's stems of a tsquery (the first parameter), each
# distinct form once; the second parameter is STEMMING_CONFIGURATIONS.
STEMS = (
    "SELECT array_agg(DISTINCT to_tsquery(configuration::regconfig, %s)::text)"
    " FROM unnest(%s::text[]) AS configuration"
)
STEMMING_CONFIGURATIONS = [*SEARCH_CONFIGURATIONS.values(), SIMPLE_SEARCH_CONFIGURATION]


def _stemmed(tsquery: str) -> str:
    """`tsquery` as each language's dictionary stems it (_written_once)."""
    with connection.cursor() as cursor:
        cursor.execute(STEMS, [tsquery, STEMMING_CONFIGURATIONS])
        (forms,) = cursor.fetchone()
    return _written_once(forms)


def _written_once(forms: list[str] | None) -> str:
    """A tsquery's forms, as the dictionaries stem it (STEMS), as one: in
    lexemes, each distinct alternative once and none that another's prefix
    covers.

    Written out by the four dictionaries, "gezondheidsgegevens" is
    'gezondheidsgegeven':* three times, then 'gezondheidsgegevens':*. The
    planner takes each copy for another term: at 100,000 components it
    estimated 39% matched instead of 13%, read the table instead of the
    index and took 68 ms instead of 5. This matches the same components.
    """
    forms = sorted(form for form in forms or [] if form)
    if not forms:
        return ""
    # In parentheses: a form's own operators bind it, whatever they are.
    written = " | ".join(f"( {form} )" for form in forms)
    tokens = TSQUERY_TOKEN.findall(written)
    if "".join(tokens) != written.replace(" ", ""):
        # Something this reader does not know: the query as it is.
        return written
    either = _Level.read(iter(tokens))
    return " | ".join(f"( {alternative} )" for alternative in either.operands)


@dataclass
class _Level:
    """The operands of one level of a tsquery (the whole of it, or what one
    pair of parentheses holds) and the operators between them. Where they
    are all "|", the alternatives of the levels it holds that are all "|"
    too are its own, and each is kept once, unless another's prefix covers
    it: "betaling" was 24 alternatives, 'paiement' and 'payment' four times
    each; the planner expected half the components to match, and at 10,000
    of them found its first 251 in 24 ms, not through the words' index."""

    operands: list
    operators: list[str]

    @classmethod
    def read(cls, tokens: Iterator[str]) -> _Level:
        operands: list = []
        operators: list[str] = []
        operand: list = []
        for token in tokens:
            if token == ")":
                break
            if token in ("&", "|") or token.startswith("<"):
                operands.append(cls._joined(operand))
                operators.append(token)
                operand = []
            else:
                operand.append(cls.read(tokens) if token == "(" else token)
        operands.append(cls._joined(operand))
        level = cls(operands, operators)
        if all(operator == "|" for operator in operators):
            level.operands = _once(level._alternatives())
            level.operators = ["|"] * (len(level.operands) - 1)
        return level

    @staticmethod
    def _joined(parts: list) -> str | _Level:
        # A level alone (in parentheses), or text: a lexeme, "!" before one.
        if len(parts) == 1:
            return parts[0]
        return " ".join(_Level._written(part) for part in parts)

    def _alternatives(self) -> list[str]:
        alternatives = []
        for operand in self.operands:
            if isinstance(operand, _Level) and set(operand.operators) <= {"|"}:
                alternatives += operand._alternatives()
            else:
                alternatives.append(str(operand))
        return alternatives

    def __str__(self) -> str:
        parts = [self._written(self.operands[0])]
        for operator, operand in zip(self.operators, self.operands[1:], strict=True):
            parts += [operator, self._written(operand)]
        return " ".join(parts)

    @staticmethod
    def _written(operand: str | _Level) -> str:
        return f"( {operand} )" if isinstance(operand, _Level) else operand


def _once(alternatives: list[str]) -> list[str]:
    """Each alternative once, without those a prefix among them covers."""
    prefixes = {
        match[1]
        for alternative in alternatives
        if (match := LEXEME.fullmatch(alternative)) and match[2]
    }
    return [
        alternative
        for alternative in dict.fromkeys(alternatives)
        if not (
            (match := LEXEME.fullmatch(alternative))
            and any(
                match[1].startswith(prefix) and (match[1] != prefix or not match[2])
                for prefix in prefixes
            )
        )
    ]


class IsAnyOf(models.Lookup):
    """`expression = ANY(...)`, the values in one array parameter.

    `pk__in` writes, adapts and sends a parameter per value, and the
    database plans each: at 100,000 components, the 200 candidates of a
    search added 0.95 ms to each query that reads them (the results, the
    facet counts), one array 0.43 ms.

    The array is read by a subquery, so that the planner does not see how
    many values it holds. Given the array itself, it planned each search's
    page of results anew: a plan for the few candidates of this search
    looked cheaper than the one plan for any number, and planning cost more
    than running (0.3 of the 0.6 ms the database spent on the page, at
    100,000 components). Now a connection plans the query once, after the
    five executions PostgreSQL plans for their values.
    """

    # Used as an expression, filter(IsAnyOf(F("pk"), ids)), never registered.
    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Cast to the column's type: psycopg sends an empty list untyped,
        # which unnest() cannot take.
        values = f"%s::{self.lhs.output_field.cast_db_type(connection)}[]"
        return f"{lhs} = ANY(ARRAY(SELECT unnest({values})))", (
            *lhs_params,
            sorted(self.rhs),
        )


class StemmedQuery(SearchQuery):
    """A query already in lexemes (UnderstoodQuery.matching), cast to a
    tsquery as it is: no dictionary reads it again."""

    template = "%(expressions)s::tsquery"


# How many published components the first look at a query of several words
# reads: words that one component in fifty holds together are met there
# 98% of the time, for about 2 ms at 100,000 components. Half as many missed
# two common words of the bench's catalogue, whose look through the index
# then took 166 ms.
SAMPLED_FOR_EVERY_WORD = 200


def _anything_matches(stemmed: str) -> bool:
    """Whether some published component holds every part of the query (as
    _stemmed writes it): if none does, a long query in someone's own words
    is answered by the components that hold most of it, best first.

    Two looks, each bounded. Common words held together are met in the
    first few components; words held apart, or a rare one, are found by the
    words index. Left to PostgreSQL, one statement read the whole table for
    common words no component holds together ("websites" and a rare word:
    845 ms at 100,000 components, 18 ms through the index), or, once
    prepared, the index's every match of common words held together ("data
    service": 149 ms, against 0.1 ms for the first components)."""
    from catalogue.models import Component, PublicationState  # noqa: PLC0415

    table = connection.ops.quote_name(Component._meta.db_table)
    # In the order of their ids, read through its index: a table scan would
    # first read the places rows left empty at a table's start
    # (through_indexes).
    first_components = f"""
        SELECT EXISTS (
            SELECT 1 FROM (
                SELECT search_vector FROM {table}
                WHERE publication_state = %s
                ORDER BY id LIMIT {SAMPLED_FOR_EVERY_WORD}
            ) AS first_components
            WHERE search_vector @@ %s::tsquery
        )
    """  # noqa: S608 (the table name is ours, the rest are parameters)
    with connection.cursor() as cursor:
        cursor.execute(first_components, [PublicationState.PUBLISHED, stemmed])
        if cursor.fetchone()[0]:
            return True
    by_the_words_index = f"""
        SELECT EXISTS (
            SELECT 1 FROM {table}
            WHERE publication_state = %s AND search_vector @@ %s::tsquery
        )
    """  # noqa: S608 (the table name is ours, the rest are parameters)
    with planned_with({"enable_seqscan": "off", "enable_indexscan": "off"}) as cursor:
        cursor.execute(by_the_words_index, [PublicationState.PUBLISHED, stemmed])
        return cursor.fetchone()[0]


@contextmanager
def planned_with(
    settings: dict[str, str], *, using: str = DEFAULT_DB_ALIAS
) -> Iterator[CursorWrapper]:
    """A cursor whose statements are planned with these PostgreSQL
    settings, which apply to them only."""
    database = connections[using]
    inside_a_transaction = database.in_atomic_block
    # No savepoint: a failed query fails a surrounding transaction anyway.
    with (
        transaction.atomic(using=using, savepoint=False),
        database.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)),
            [value for setting in settings.items() for value in setting],
        )
        yield cursor
        if inside_a_transaction:
            # Set for the transaction, they would last until its end: back
            # to the session's values, all in one statement.
            cursor.execute(
                "SELECT set_config(name, reset_val, true) FROM pg_settings"
                " WHERE name = ANY(%s)",
                [list(settings)],
            )


def read_with(queryset: models.QuerySet, settings: dict[str, str]) -> list:
    """The rows of `queryset`, read with these PostgreSQL settings, which
    apply to this query only."""
    with planned_with(settings, using=queryset.db):
        return list(queryset)


def through_indexes(queryset: models.QuerySet) -> list:
    """The rows of `queryset`, the planner told not to read the whole table.

    A search's candidates are its first few hundred matches. For a common
    word, PostgreSQL expects to meet them at the start of a table scan; but
    where a table's rows were all rewritten (a catalogue load, the related
    terms refreshed), the places they left stay empty at its start: at
    100,000 components, a scan read 195 MB of empty pages before the first
    match (66 ms, against 1 ms through an index).

    Each search is also planned for its own words. The connection prepares
    a statement it runs often, and after five searches PostgreSQL may keep
    one plan for every query, planned without the words: it reads the whole
    words index for each, which for a word in half the catalogue built a
    list of 45,549 matches to keep the first 251 (76 ms at 100,000
    components, against 9 ms planned for that word). Planning costs the
    database 0.1-0.3 ms a search.
    """
    return read_with(
        queryset, {"enable_seqscan": "off", "plan_cache_mode": "force_custom_plan"}
    )


def thesaurus_suggestions(text: str, *, limit: int = 6) -> list[str]:
    """Thesaurus terms close to what was typed, for a search that found
    nothing: other words for the same thing, in the three languages."""
    words = search_words(text)
    terms = {" ".join(term): term for concept in thesaurus() for term in concept.terms}
    matched = {
        match
        for word in words
        for match in get_close_matches(word, list(terms), n=2, cutoff=0.75)
    }
    suggestions = [
        " ".join(other)
        for concept in thesaurus()
        if any(" ".join(term) in matched for term in concept.terms)
        for other in concept.terms
    ]
    return [s for s in dict.fromkeys(suggestions) if s not in words][:limit]
