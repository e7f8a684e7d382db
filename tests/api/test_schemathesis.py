"""A schema-driven fuzzer against the served document, with a real token: every operation,
generated valid and invalid input, no server error and no answer that breaks the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f

pytestmark = [pytest.mark.parametrize("app", ["sqlite"], indirect=True),
              pytest.mark.config(API_RATE_LIMIT="1000000 per minute")]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
EXAMPLES = 20


def test_every_operation_survives_the_fuzzer(app, make_caller, world, figure):
    for status in ("submitted", "confirmed", "shipped"):
        f.order(world.a.buyer, [(world.products["cement"], 3)], status=status, commit=True)
    caller = make_caller()  # every seller scope
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    headers = {"Authorization": f"Bearer {caller.token}"}
    calls, failures, statuses = [0], [], {}

    def fuzz(operation, mode):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            calls[0] += 1
            try:
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            except Exception as exc:  # noqa: BLE001 - every failure is reported at the end
                failures.append((operation.label, str(exc)[:600]))
                raise

        return run

    for operation, mode in [(o, m) for o in operations for m in GenerationMode]:
        run = fuzz(operation, mode)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collected with its operation
            if not failures or failures[-1][0] != operation.label:
                failures.append((operation.label, repr(exc)[:400]))
    figure(f"schemathesis: {len(operations)} operations, {calls[0]} calls (valid and invalid "
           f"input), answers {dict(sorted(statuses.items()))}, failures {len(failures)}")
    assert len(operations) >= 30
    assert not failures, failures[:5]
