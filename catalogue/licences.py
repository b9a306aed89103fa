"""The licences a supplier chooses from: SPDX identifiers of the licences
public-sector software in Belgium and the EU is published under."""

from django.utils.translation import gettext_lazy as _

LICENCES = [
    ("EUPL-1.2", "European Union Public Licence 1.2"),
    ("Apache-2.0", "Apache License 2.0"),
    ("MIT", "MIT License"),
    ("BSD-2-Clause", "BSD 2-Clause License"),
    ("BSD-3-Clause", "BSD 3-Clause License"),
    ("MPL-2.0", "Mozilla Public License 2.0"),
    ("GPL-2.0-or-later", "GNU General Public License 2.0 or later"),
    ("GPL-3.0-or-later", "GNU General Public License 3.0 or later"),
    ("LGPL-2.1-or-later", "GNU Lesser General Public License 2.1 or later"),
    ("LGPL-3.0-or-later", "GNU Lesser General Public License 3.0 or later"),
    ("AGPL-3.0-or-later", "GNU Affero General Public License 3.0 or later"),
    ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
    ("CC0-1.0", "Creative Commons Zero 1.0"),
    ("LicenseRef-proprietary", _("Proprietary: reuse by agreement")),
]
