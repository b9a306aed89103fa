"""The pages about the ReUse programme itself."""

from django.views.generic import TemplateView

from programme.models import ProgrammeFigure


class AboutView(TemplateView):
    """What the programme is, and the results it measured, each with its
    source: quoted figures only, never mixed with the catalogue's counts."""

    template_name = "programme/about.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(figures=ProgrammeFigure.objects.all(), **kwargs)


class HowToReuseView(TemplateView):
    template_name = "programme/how_to_reuse.html"
