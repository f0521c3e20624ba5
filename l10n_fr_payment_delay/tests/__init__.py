from . import (
    test_core_penalties,
    test_core_semesters,
    test_ecb_rate_fetch,
    test_payment_delay_report,
)
