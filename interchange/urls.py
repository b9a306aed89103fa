"""The catalogue in open formats: pages (under the language prefix)."""

from interchange.dcat import urls as dcat
from interchange.publiccode import urls as publiccode
from interchange.tabular import urls as tabular

app_name = "interchange"

urlpatterns = publiccode.page_patterns + dcat.page_patterns + tabular.page_patterns
