from . import (
    test_core_penalties,
    test_core_semesters,
    test_ecb_rate_fetch,
    test_fixture_clock,
    test_payment_delay_report,
)
