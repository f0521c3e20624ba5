from . import (
    account_dunning_call_wizard,
    account_dunning_einvoice_import_wizard,
    account_dunning_exclude_wizard,
    account_dunning_payment_plan_wizard,
    account_dunning_penalty_wizard,
)
