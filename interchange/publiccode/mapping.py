"""The catalogue's words in publiccode.yml's words, in one place.

Field names on the right are publiccode.yml's own (standard 0.4, the
`publiccode.schema.json` of SchemaStore); the export (`export.py`) and the
import (`importer.py`) read the same tables, so a document exported and
imported again says the same thing.

What publiccode.yml 0.4 cannot say is left out on export and left alone on
import: acronym, logo, government level, collaboration model, links of kind
"other", link titles, organisations that co-support or initiated a component.
"""

from __future__ import annotations

from catalogue.models import ComponentKind, LifecycleStatus, OrganisationRole

VERSION = "0.4"
# The versions whose keys this importer reads (the schema's list, without
# the unnumbered "0").
READABLE_VERSIONS = (
    *("0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0"),
    *("0.4", "0.4.0", "0.5", "0.5.0"),
)

# ISO 3166-1 alpha-2, upper case as the schema's pattern asks (^[A-Z]{2}$).
COUNTRY = "BE"
# publiccode.yml's language keys and the catalogue's content languages.
DESCRIPTION_LANGUAGES = ("nl", "fr", "en")
SHORT_DESCRIPTION_MAX = 150
LONG_DESCRIPTION_MIN = 150
LONG_DESCRIPTION_MAX = 10_000
GENERIC_NAME_MAX = 35
# Several organisations in one string (legal.mainCopyrightOwner...).
ORGANISATION_SEPARATOR = "; "

# lifecycle status -> developmentStatus; the first status of a value is the
# one an import gives (obsolete: deprecated, unless the component was
# already withdrawn).
DEVELOPMENT_STATUS = {
    LifecycleStatus.CONCEPT: "concept",
    LifecycleStatus.IN_DEVELOPMENT: "development",
    LifecycleStatus.AVAILABLE: "stable",
    LifecycleStatus.DEPRECATED: "obsolete",
    LifecycleStatus.WITHDRAWN: "obsolete",
}
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
LIFECYCLE_OF_STATUS = {
    "concept": LifecycleStatus.CONCEPT,
    "development": LifecycleStatus.IN_DEVELOPMENT,
    "beta": LifecycleStatus.IN_DEVELOPMENT,
    "stable": LifecycleStatus.AVAILABLE,
    "obsolete": LifecycleStatus.DEPRECATED,
}

# kind -> softwareType. Guidelines, tender specifications and business
# processes are not software: publiccode.yml does not describe them.
SOFTWARE_TYPE = {
    ComponentKind.API: "standalone/backend",
    ComponentKind.AUTHENTIC_SOURCE: "standalone/backend",
    ComponentKind.SERVICE: "standalone/web",
    ComponentKind.PLATFORM: "standalone/web",
    ComponentKind.COMPONENT: "library",
    ComponentKind.INFRASTRUCTURE: "standalone/other",
}
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
# softwareType -> kind on import, when the component's kind does not
# already give that softwareType.
KIND_OF_SOFTWARE_TYPE = {
    "standalone/mobile": ComponentKind.SERVICE,
    "standalone/iot": ComponentKind.INFRASTRUCTURE,
    "standalone/desktop": ComponentKind.COMPONENT,
    "standalone/web": ComponentKind.SERVICE,
    "standalone/backend": ComponentKind.API,
    "standalone/other": ComponentKind.INFRASTRUCTURE,
    "addon": ComponentKind.COMPONENT,
    "library": ComponentKind.COMPONENT,
    "configurationFiles": ComponentKind.COMPONENT,
}
# Every component of the catalogue is reached over the web.
PLATFORMS = ["web"]

# Building block (slug) -> categories. The first category of each block is
# its own: an import recognises the block by it.
BUILDING_BLOCK_CATEGORIES = {
    "request-declaration": ["data-collection", "digital-citizenship"],
    "payments": ["payment-gateway"],
    "payments-received": ["billing-and-invoicing"],
    "case-management": ["business-process-management", "workflow-management"],
    "reporting": ["business-intelligence", "data-visualization"],
    "archiving": ["document-management"],
    "communications": ["communications"],
    "data-flows": ["data-analytics"],
    "call-centre": ["call-center-management", "customer-service-and-support"],
    "support-services": ["erp"],
    "automated-data-treatments": ["predictive-analysis"],
    "supporting-software": ["productivity-suite"],
    "g-cloud-software": ["it-service-management"],
    "g-cloud-platform": ["cloud-management"],
    "g-cloud-infrastructure-services": ["it-management"],
    "g-cloud-infrastructure-foundation": ["network-management"],
}
BUILDING_BLOCK_OF_CATEGORY = {
    categories[0]: slug for slug, categories in BUILDING_BLOCK_CATEGORIES.items()
}
# A file whose categories name no block of the catalogue lands here.
FALLBACK_BUILDING_BLOCK = "supporting-software"
# Every category publiccode.yml knows (the schema's enumeration).
CATEGORIES = frozenset(
    [
        "accounting",
        "agile-project-management",
        "applicant-tracking",
        "application-development",
        "appointment-scheduling",
        "backup",
        "billing-and-invoicing",
        "blog",
        "budgeting",
        "business-intelligence",
        "business-process-management",
        "cad",
        "call-center-management",
        "cloud-management",
        "collaboration",
        "communications",
        "compliance-management",
        "contact-management",
        "content-management",
        "crm",
        "customer-service-and-support",
        "data-analytics",
        "data-collection",
        "data-visualization",
        "design",
        "design-system",
        "digital-asset-management",
        "digital-citizenship",
        "document-management",
        "donor-management",
        "e-commerce",
        "e-signature",
        "educational-content",
        "email-management",
        "email-marketing",
        "employee-management",
        "enterprise-project-management",
        "enterprise-social-networking",
        "erp",
        "event-management",
        "facility-management",
        "feedback-and-reviews-management",
        "financial-reporting",
        "fleet-management",
        "fundraising",
        "gamification",
        "geographic-information-systems",
        "grant-management",
        "graphic-design",
        "help-desk",
        "hr",
        "ide",
        "identity-management",
        "instant-messaging",
        "integrated-library-system",
        "inventory-management",
        "it-asset-management",
        "it-development",
        "it-management",
        "it-security",
        "it-service-management",
        "knowledge-management",
        "learning-management-system",
        "marketing",
        "mind-mapping",
        "mobile-marketing",
        "mobile-payment",
        "network-management",
        "office",
        "online-booking",
        "online-community",
        "payment-gateway",
        "payroll",
        "predictive-analysis",
        "procurement",
        "productivity-suite",
        "project-collaboration",
        "project-management",
        "property-management",
        "real-estate-management",
        "regulations-and-directives",
        "remote-support",
        "resource-management",
        "sales-management",
        "seo",
        "service-desk",
        "social-media-management",
        "survey",
        "talent-management",
        "task-management",
        "taxes-management",
        "test-management",
        "time-management",
        "time-tracking",
        "translation",
        "video-conferencing",
        "video-editing",
        "visitor-management",
        "voip",
        "warehouse-management",
        "web-collaboration",
        "web-conferencing",
        "website-builder",
        "whistleblowing",
        "workflow-management",
        "other",
    ]
)

# Policy domain (slug) <-> intendedAudience.scope.
DOMAIN_SCOPE = {
    "generic": "government",
    "social-security": "welfare",
    "health": "healthcare",
    "enterprises": "finance-and-economic-development",
    "citizens": "society",
}
DOMAIN_OF_SCOPE = {scope: slug for slug, scope in DOMAIN_SCOPE.items()}
FALLBACK_DOMAIN = "generic"
SCOPES = frozenset(
    [
        "agriculture",
        "culture",
        "defence",
        "education",
        "emergency-services",
        "employment",
        "energy",
        "environment",
        "finance-and-economic-development",
        "foreign-affairs",
        "government",
        "healthcare",
        "infrastructures",
        "justice",
        "local-authorities",
        "manufacturing",
        "research",
        "science-and-technology",
        "security",
        "society",
        "sport",
        "tourism",
        "transportation",
        "welfare",
    ]
)

# Organisation roles <-> the keys that name organisations.
OWNER_KEY = "legal.mainCopyrightOwner"
DEVELOPER_KEY = "legal.repoOwner"
OPERATOR_KEY = "maintenance.contacts.affiliation"
ROLE_OF_KEY = {
    OWNER_KEY: OrganisationRole.OWNER,
    DEVELOPER_KEY: OrganisationRole.DEVELOPER,
    OPERATOR_KEY: OrganisationRole.OPERATOR,
}
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
# Dependencies: under dependsOn.open unless the component they name is
# under a proprietary licence or an unknown one.
DEPENDENCY_KINDS = ("open", "proprietary", "hardware")

# Where a component's field comes from in a document: a model's refusal
# (Component.full_clean) is reported under the document's path.
FIELD_PATHS = {
    **{
        f"name_{code}": f"description.{code}.localisedName"
        for code in ("nl", "fr", "en")
    },
    **{
        f"summary_{code}": f"description.{code}.shortDescription"
        for code in ("nl", "fr", "en")
    },
    **{
        f"description_{code}": f"description.{code}.longDescription"
        for code in ("nl", "fr", "en")
    },
    "name": "name",
    "summary": "description",
    "description": "description",
    "licence": "legal.license",
    "kind": "softwareType",
    "lifecycle_status": "developmentStatus",
    "building_block": "categories",
    "domain": "intendedAudience.scope",
    "languages": "localisation.availableLanguages",
    "support_name": "maintenance.contacts",
    "support_email": "maintenance.contacts",
    "support_phone": "maintenance.contacts",
    "links": "url",
    "tags": "description",
}
