"""The results fixtures (张伟 qualified on the demo's open plan, his decision, his certificate)
and the fresh rate-limit cache, shared with tests/certificates."""

from tests.certificates.conftest import (  # noqa: F401  (fixtures)
    _fresh_cache,
    certificate,
    city_officer,
    decided,
    demo,
    open_plan,
    secretary,
    zhang,
)
