"""Before our side of the benchmark is measured (run inside `odoo shell`, see
scripts/bench.sh): every customer with an open receivable finds its policy
and levels, although the add-on was installed after the data.

A process of its own: it reads every customer with its policy (56,940 at
scale 30), which raised the measured process's peak RSS by 195 MB before the
night even started (ru_maxrss is the process's peak, never lowered).
"""

env = env  # noqa: F821 - provided by `odoo shell`


def check_policies():
    """Installed after the data exists, the add-on must still give every
    customer with an open receivable a policy that has levels."""
    company = env.company
    groups = env["account.move.line"]._read_group(
        [
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("parent_state", "=", "posted"),
            ("company_id", "=", company.id),
        ],
        ["partner_id"],
    )
    partners = env["res.partner"].union(*(partner for (partner,) in groups))
    policies = partners._get_dunning_policies(company)
    missing = [p for p, policy in policies.items() if not policy or not policy.level_ids]
    kinds = {}
    for policy in policies.values():
        kinds[policy.regime] = kinds.get(policy.regime, 0) + 1
    print(
        f"policies: {len(partners)} customers with an open receivable, "
        f"{len(partners) - len(missing)} with a policy that has levels {kinds}"
    )
    if missing or not company.dunning_active:
        raise SystemExit(
            f"{len(missing)} customers without a policy, dunning_active={company.dunning_active}"
        )


check_policies()
