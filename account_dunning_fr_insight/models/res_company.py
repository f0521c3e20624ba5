from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_score_consumers = fields.Boolean(
        "Score consumers",
        help="Scoring private individuals is profiling under the GDPR (art. 4(4), 21 "
        "and 22): turn it on only for a stated purpose, such as choosing a firmer "
        "dunning policy; their scores are then shown to accountants only.",
    )
    # The company's payer averages (account.dunning.payer.profile): what a
    # customer without history is expected to do.
    dunning_payer_prior_delay = fields.Float("Average payment delay (days)", readonly=True)
    dunning_payer_prior_share = fields.Float("Average share paid late", readonly=True)
    dunning_payer_prior_spread = fields.Float("Average spread of delays (days)", readonly=True)
    dunning_payer_size_slope = fields.Float(
        "Days later per doubling of the invoice amount",
        readonly=True,
        help="Learnt from the ledger by the daily run (0: no effect found).",
    )
    dunning_payer_reminder_lag = fields.Float(
        "Days from the last reminder to the payment",
        readonly=True,
        help="Median, learnt from the ledger by the daily run (0: not enough payments "
        "after a reminder).",
    )
    dunning_payer_date = fields.Date("Payer figures computed on", readonly=True)
    # The nightly refresh recomputes the customers changed since the last
    # one (account_dunning_payer_refresh.py); a full one learns the averages.
    dunning_payer_full_days = fields.Integer(
        "Full refresh of the payer figures every (days)",
        default=7,
        help="The other nights refresh only the customers whose invoices, payments, "
        "reminders or calls changed.",
    )
    dunning_payer_full_date = fields.Date("Last full refresh of the payer figures", readonly=True)
    dunning_payer_refreshed_at = fields.Datetime("Payer figures refreshed at", readonly=True)
    dunning_payer_refresh_start = fields.Datetime("Payer refresh started at", readonly=True)
    dunning_payer_refresh_cursor = fields.Integer("Payer refresh cursor", readonly=True)
