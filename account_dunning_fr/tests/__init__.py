from . import (
    test_account_move_legal,
    test_bank_guard,
    test_concurrency,
    test_core_balance,
    test_core_instalments,
    test_core_levels,
    test_core_penalties,
    test_core_prescription,
    test_dunning_action,
    test_dunning_night,
    test_dunning_policy,
    test_dunning_proof,
    test_dunning_run,
    test_open_receivable,
    test_payment_plan,
    test_penalties_claimed_once,
    test_penalty_wizard,
    test_recipients_and_access,
    test_regime_and_country,
    test_reports,
    test_res_partner,
    test_ui_tour,
)

# isort: split
from . import test_core_court, test_litigation_file
