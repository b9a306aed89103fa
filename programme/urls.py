from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("about/", views.AboutView.as_view(), name="about"),
    path("about/how-to-reuse/", views.HowToReuseView.as_view(), name="how-to-reuse"),
]
