from . import (
    test_account_move_legal,
    test_concurrency,
    test_core_instalments,
    test_core_levels,
    test_core_penalties,
    test_core_prescription,
    test_dunning_action,
    test_dunning_policy,
    test_dunning_run,
    test_payment_plan,
    test_penalty_wizard,
    test_res_partner,
)
