"""Schemathesis fuzzes every operation of the live schema on a real server:
no 5xx, and every answer, errors included, as the schema describes it."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

# A schema cannot say how many pages a list has: ?page=999 is schema-valid,
# yet the API rightly answers it with a 400 naming `page`.
NOT_CHECKED = [positive_data_acceptance]


def test_every_operation_conforms_to_the_schema(portal_url):
    schema = schemathesis.openapi.from_url(f"{portal_url}/api/v1/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def conforms(case):
            case.call_and_validate(excluded_checks=NOT_CHECKED)

        try:
            conforms()
        except (Exception, BaseExceptionGroup) as failure:  # reported below
            failures[operation.label] = str(failure)[:2000]

    assert len(operations) >= 17
    assert not failures, "\n\n".join(
        f"{label}: {text}" for label, text in failures.items()
    )
