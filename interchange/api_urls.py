"""The catalogue in open formats: paths under /api/v1/."""

from interchange.dcat import urls as dcat
from interchange.publiccode import urls as publiccode
from interchange.tabular import urls as tabular

urlpatterns = publiccode.api_patterns + dcat.api_patterns + tabular.api_patterns
