"""Reference endpoints: what the portal's pages cost is read against them.

L2: Django with the portal's middleware and nothing else.
L3: L2 plus one query and a small template.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.models import Component


def l2(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def l3(request: HttpRequest) -> HttpResponse:
    components = Component.objects.published().only("slug", "name_nl", "summary_nl")
    return render(request, "bench/l3.html", {"components": components[:25]})
