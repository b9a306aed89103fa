"""Search that forgives: typos, hyphens, accents, three languages, acronyms."""

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from catalogue import models as catalogue_models
from catalogue.models import Component, PublicationState, _tsquery
from catalogue.search import (
    SAMPLED_FOR_EVERY_WORD,
    StemmedQuery,
    Vocabulary,
    _stemmed,
    _understand,
    through_indexes,
    understand,
)
from tests.plans import plan_without

pytestmark = pytest.mark.usefixtures("seeded_catalogue")


@pytest.fixture(autouse=True)
def _db(db):
    return db


def ranked(text: str) -> list[str]:
    results = Component.objects.published().search(text).order_by("-relevance", "slug")
    return list(results.values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("ehelthbox", "ehealthbox"),
        ("ebox", "e-box-elektronische-mailbox"),
        ("e-box", "e-box-elektronische-mailbox"),
        ("E-Box", "e-box-elektronische-mailbox"),
        ("CSAM", "csam"),
        ("csam", "csam"),
        ("DmfA", "dmfa-multifunctional-declaration"),
        ("procesbeheer", "procesbeheer"),
    ],
)
def test_the_expected_component_comes_first(typed, expected_first):
    assert ranked(typed)[0] == expected_first


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("archivage", "archivemanager"),  # French
        ("archivering", "archivemanager"),  # Dutch
        ("archiving", "archivemanager"),  # English
        ("handtekening", "sepiadocumentsigner"),  # Dutch, through its tags
        ("Smals", "eacademy"),  # provider name
        ("archiv", "archivemanager"),  # as you type: prefix of a word
        ("guideline", "rest-style-guide"),  # its kind, in English
        ("richtlijn", "rest-style-guide"),  # in Dutch
        ("ligne directrice", "rest-style-guide"),  # in French
        ("NTT", "ucc-voice-im"),  # an organisation that is not the lead one
    ],
)
def test_words_in_any_language_find_the_component(typed, expected):
    assert expected in ranked(typed)


def test_accents_do_not_matter():
    with_accents = set(ranked("sécurité sociale"))

    assert with_accents
    assert set(ranked("securite sociale")) == with_accents
    assert set(ranked("SECURITE SOCIALE")) == with_accents


def test_query_syntax_is_taken_as_plain_words():
    for typed in ["csam & | ! :*", "'); DROP TABLE x; --", "<script>", "((("]:
        Component.objects.published().search(typed).count()  # no error
    assert ranked("csam & | !")[0] == "csam"


def test_an_empty_query_finds_nothing():
    assert ranked("   ") == []
    assert ranked("!!!") == []


def test_unpublished_components_are_never_found():
    Component.objects.filter(slug="csam").update(
        publication_state=PublicationState.DRAFT
    )

    assert "csam" not in ranked("CSAM")


def test_a_misspelt_word_is_read_as_the_closest_word_the_catalogue_uses():
    assert ranked("ehealtbocks")[0] == "ehealthbox"
    assert ranked("signture electronique")[0] == "sepiadocumentsigner"
    assert ranked("bakup")[0] == "backup-as-a-service"


def test_words_the_catalogue_uses_are_not_stood_in_for_by_a_name_like_them():
    # "Vaccination codes database" holds no "ibm"; its name merely looks
    # like what was typed. It came first before names were compared only
    # for words the catalogue never uses.
    found = ranked("ibm database")

    assert found[0] == "blue-stack-db"
    assert "vaccination-codes-database" not in found
    # A misspelt name is still found by its likeness.
    assert ranked("ehelthbox")[0] == "ehealthbox"


def test_only_a_word_the_catalogue_never_uses_is_compared_with_its_words():
    vocabulary = Vocabulary.look_up(["signature", "signture"])

    assert vocabulary.known == {"signature"}
    assert "signture" not in vocabulary.known
    assert "signature" in vocabulary.closest["signture"]
    assert "signature" not in vocabulary.closest


def test_a_typed_word_is_known_when_a_catalogue_word_starts_with_it_literally():
    # "_" and "%" are wildcards to LIKE: "sig%" once passed for known.
    vocabulary = Vocabulary.look_up(["signat", "s_gnature", "sig%"])

    assert vocabulary.known == {"signat"}
    assert "signature" in vocabulary.closest["s_gnature"]


def test_a_connection_plans_the_lookup_of_the_typed_words_once():
    # Planned anew for each search's own words, the lookup cost the
    # database five times what it does, at 100,000 components. psycopg
    # prepares a statement at its fifth execution; PostgreSQL then plans
    # five for their values before it weighs one plan for all.
    for typed in ["signature", "signture", "e box", "portal", "betaling"] * 3:
        Vocabulary.look_up(typed.split())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%typed.known%"],
        )

        assert cursor.fetchone()[0] > 0


def test_closest_names_suggest_something_when_nothing_matches():
    suggestions = Component.objects.published().closest_names("ehealtbocks")

    assert "ehealthbox" in [c.slug for c in suggestions]
    # The typo tolerance is for this query only.
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert cursor.fetchone() == ("0.6",)


def test_closest_names_are_chosen_among_a_bounded_number_of_names(monkeypatch):
    # Compared with every name, a word no name holds took 1.2 s at 100,000
    # components.
    monkeypatch.setattr(catalogue_models, "CLOSE_NAMES_COMPARED", 1)

    assert len(Component.objects.published().closest_names("ehealtbocks")) == 1


def plan_of(sql: str, params) -> str:
    return plan_without(sql, "seqscan", "indexscan", params=params)


@pytest.mark.parametrize(
    ("typed", "stemmed"),
    [
        # Three dictionaries stem it alike, the fourth keeps it whole: one
        # prefix covers both.
        ("services", "( 'servic':* )"),
        ("gezondheidsgegevens", "( 'gezondheidsgegeven':* )"),
        # With its synonyms, each dictionary's alternatives in one list:
        # 'paiement' and 'payment' came four times each, 'betalingen' twice
        # where 'betal':* covers it.
        (
            "betaling",
            "( 'betal':* ) | ( 'paiement' ) | ( 'payment' ) | ( 'pai' )"
            " | ( 'paiements' ) | ( 'payments' )",
        ),
    ],
)
def test_the_words_are_matched_once_per_stem(typed, stemmed):
    # The planner takes every copy of a term for another one: four copies
    # made it expect three times the matches, and read the whole table.
    understood = understand(typed)

    assert understood.matching == stemmed
    # The same components as every dictionary's own query finds.
    published = Component.objects.published()
    by_stems = published.filter(search_vector=StemmedQuery(understood.matching))
    by_dictionaries = published.filter(search_vector=_tsquery(understood.tsquery))
    assert set(by_stems) == set(by_dictionaries)


@pytest.mark.parametrize(
    ("typed", "statements"),
    [
        # Known words: stemmed by the statement that looks them up.
        ("procesbeheer", 1),
        ("betaling", 1),  # with its synonyms
        ("e-box", 1),  # with its parts
        # A typo, read as the words it is close to: stemmed once more.
        ("signture", 2),
        # Two words, and whether one component holds both.
        ("procesbeheer betaling", 2),
    ],
)
def test_a_query_of_known_words_is_stemmed_as_its_words_are_looked_up(
    typed, statements
):
    _understand.cache_clear()
    with CaptureQueriesContext(connection) as understanding:
        understood = understand(typed)

    assert len(understanding.captured_queries) == statements
    assert understood.match_all
    assert understood.matching == _stemmed(" & ".join(understood.clauses))


@pytest.mark.parametrize(
    ("typed", "held_together", "looks"),
    [
        # Common words held together are met among the first components.
        ("ehealthbox csam", True, 1),
        # Words no component holds together: then the words index says so.
        ("csam betaling", False, 2),
    ],
)
def test_whether_one_component_holds_every_word_is_asked_in_bounded_looks(
    typed, held_together, looks
):
    _understand.cache_clear()
    with CaptureQueriesContext(connection) as understanding:
        understood = understand(typed)

    assert understood.match_all is held_together
    asked = [
        query["sql"]
        for query in understanding.captured_queries
        if "search_vector @@" in query["sql"]
    ]
    assert len(asked) == looks
    # The first look reads a bounded number of components, whatever their
    # words, through an index.
    assert f"LIMIT {SAMPLED_FOR_EVERY_WORD}" in asked[0]
    assert "Seq Scan" not in plan_without(asked[0])


def test_a_weight_in_the_query_is_kept_when_its_repeats_are_removed():
    # The reader of the dictionaries' queries keeps what it does not drop.
    alternatives = _stemmed("betaling:A | betalingen:A").split(" | ")

    assert sorted(alternatives) == [
        "( 'betal':A )",
        "( 'betaling':A )",
        "( 'betalingen':A )",
    ]


def test_the_ranked_candidates_are_sent_as_one_array_whatever_their_number():
    with CaptureQueriesContext(connection) as queries:
        found = ranked("beheer")

    assert len(found) > 1
    ranking = queries.captured_queries[-1]["sql"]
    assert '"catalogue_component"."id" = ANY(' in ranking
    assert " IN (" not in ranking


def test_candidates_are_read_through_indexes_and_the_planner_is_reset_after():
    # plan_cache_mode: once the connection has prepared the statement,
    # PostgreSQL may otherwise keep one plan made without the words for
    # every search, which for a common word reads every match.
    planner_during = Component.objects.annotate(
        seq_scans=RawSQL("current_setting('enable_seqscan')", []),
        plans=RawSQL("current_setting('plan_cache_mode')", []),
    ).values_list("seq_scans", "plans")[:1]

    assert through_indexes(planner_during) == [("off", "force_custom_plan")]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)


@pytest.mark.parametrize(
    ("typed", "names_compared"),
    [
        ("ehelthbox", True),
        ("login", True),  # only the thesaurus knows it
        ("ehealthbox", False),
        ("signture electronique", True),
        ("mydia", True),
        ("my dia", False),
    ],
)
def test_search_can_use_its_indexes_instead_of_scanning_the_table(
    typed, names_compared
):
    # The search conditions alone: with 105 rows the planner would rather
    # read the small partial index of published rows, a choice it reverses
    # once the table is large.
    with CaptureQueriesContext(connection) as understanding:
        query = Component.objects.candidate_rows(typed)
    sql, params = query.query.sql_with_params()
    plan = plan_of(sql, params)

    assert "catalogue_component_search_idx" in plan
    # Names are compared with what was typed only when a typed word is
    # one the catalogue never uses (a typo): known words are found by
    # the words index, and comparing names cost 26 ms for one rare word
    # at 100,000 components.
    assert ("catalogue_component_names_trgm" in plan) == names_compared
    assert "Seq Scan on catalogue_component" not in plan
    # Looking the typed words up among the catalogue's words: indexes too.
    assert understanding.captured_queries
    for lookup in understanding.captured_queries:
        word_plan = plan_of(lookup["sql"].replace("%", "%%"), [])
        assert "Seq Scan on catalogue_searchword" not in word_plan, word_plan


def test_an_overlong_query_gets_a_clear_answer_on_the_page_and_the_api(client):
    typed = "signature " * 30

    page = client.get("/en/catalogue/", {"q": typed})
    api = client.get("/api/v1/components/", {"q": typed})

    assert page.status_code == 200
    assert "at most 200 characters" in page.content.decode()
    assert api.status_code == 400
    assert "at most 200 characters" in str(api.json()["errors"]["q"])


@pytest.mark.parametrize("typed", ["archivering", "archivring"])
def test_a_queryset_of_some_components_finds_its_candidates_among_those_only(typed):
    # The catalogue's query (every published component's) is compiled once
    # per process, with a word known or not: a queryset of other components
    # must get its own.
    archive = Component.objects.get(slug="archivemanager")
    catalogue = Component.objects.for_cards().search_candidates(typed)
    others = (
        Component.objects.published().exclude(pk=archive.pk).search_candidates(typed)
    )
    Component.objects.filter(pk=archive.pk).update(
        publication_state=PublicationState.SUBMITTED
    )
    unpublished_too = Component.objects.all().search_candidates(typed)
    published_now = Component.objects.published().search_candidates(typed)

    assert archive.pk in catalogue.ids
    assert others.ids == catalogue.ids - {archive.pk}
    assert unpublished_too.ids == catalogue.ids
    assert published_now.ids == others.ids
