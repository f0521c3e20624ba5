from odoo import fields, models
from odoo.tools import SQL


class AccountDunningWorklist(models.Model):
    """The collector's list with each customer's payer risk: what is most at
    stake first."""

    _inherit = "account.dunning.worklist"
    _depends = {"account.dunning.payer.profile": ["risk_score", "partner_id", "company_id"]}

    risk_score = fields.Integer(
        "Payer risk", readonly=True, help="The customer's payer risk score (0 to 100)."
    )
    expected_loss = fields.Monetary(
        readonly=True,
        help="Overdue amount x payer risk score / 100: what is most at stake first.",
    )

    def _worklist_columns(self):
        return [
            *super()._worklist_columns(),
            SQL("COALESCE(profile.risk_score, 0) AS risk_score"),
            SQL(
                "COALESCE(overdue.amount, 0) * COALESCE(profile.risk_score, 0) / 100.0 "
                "AS expected_loss"
            ),
        ]

    def _worklist_joins(self):
        return [
            *super()._worklist_joins(),
            SQL(
                """LEFT JOIN account_dunning_payer_profile profile
                          ON profile.partner_id = todo.partner_id
                         AND profile.company_id = todo.company_id"""
            ),
        ]
