"""The public news pages and feed: published entries only."""

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from news.models import Article, ArticleKind
from reuse_portal.page_cache import cached_for_everyone


@method_decorator(cached_for_everyone, name="dispatch")
class ArticleListView(ListView):
    queryset = Article.objects.for_listing()
    paginate_by = 10

    def get_queryset(self) -> QuerySet[Article]:
        # An unknown kind shows everything rather than an empty page.
        kind = self.request.GET.get("kind")
        queryset = super().get_queryset()
        return queryset.filter(kind=kind) if kind in ArticleKind.values else queryset

    def get_context_data(self, **kwargs) -> dict:
        kind = self.request.GET.get("kind")
        return super().get_context_data(
            kinds=ArticleKind.choices,
            chosen_kind=kind if kind in ArticleKind.values else "",
            **kwargs,
        )


@method_decorator(cached_for_everyone, name="dispatch")
class ArticleDetailView(DetailView):
    queryset = Article.objects.for_detail()


class ArticleFeed(Feed):
    """The latest published news and success stories, as Atom."""

    feed_type = Atom1Feed
    title = _("ReUse: news and success stories")
    subtitle = _("What is new in the reuse of Belgian public-sector software.")
    link = reverse_lazy("news:article-list")

    def feed_url(self) -> str:
        return reverse("news:article-feed")

    def items(self) -> QuerySet[Article]:
        return Article.objects.for_listing()[:30]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_kind_display())]


article_feed = cached_for_everyone(ArticleFeed())
