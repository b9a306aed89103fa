from django.urls import path

from news import views

app_name = "news"

urlpatterns = [
    path("news/", views.ArticleListView.as_view(), name="article-list"),
    path("news/feed.atom", views.article_feed, name="article-feed"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
