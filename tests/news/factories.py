from itertools import count

from django.utils import timezone

from news.models import Article, ArticleKind
from publishing.models import PublicationState

_sequence = count(1)


def make_article(**overrides) -> Article:
    """A published news item unless told otherwise."""
    n = next(_sequence)
    components = overrides.pop("components", [])
    reuse_cases = overrides.pop("reuse_cases", [])
    fields = {
        "slug": f"article-{n}",
        "kind": ArticleKind.NEWS,
        "title_nl": f"Bericht {n}",
        "title_fr": f"Nouvelle {n}",
        "title_en": f"News {n}",
        "summary_nl": f"Samenvatting {n}",
        "summary_fr": f"Résumé {n}",
        "summary_en": f"Summary {n}",
        "body_en": f"Body **{n}**",
        "publication_state": PublicationState.PUBLISHED,
    }
    fields.update(overrides)
    if fields["publication_state"] == PublicationState.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    article = Article.objects.create(**fields)
    article.components.set(components)
    article.reuse_cases.set(reuse_cases)
    return article
