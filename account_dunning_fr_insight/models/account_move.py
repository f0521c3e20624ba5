from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_expected_payment_date = fields.Date(
        "Expected payment",
        compute="_compute_dunning_expected_payment_date",
        help="When this open invoice is expected to be paid: its due date plus the "
        "customer's expected delay, never before today; a promise to pay or a "
        "payment plan gives its own date.",
    )

    @api.depends_context("company")
    def _compute_dunning_expected_payment_date(self):
        """In bulk, per company: the latest expected date of the invoice's
        open instalments (account.dunning.cash.forecast._get_expected_receipts)."""
        today = fields.Date.context_today(self)
        found = {}
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        Forecast = self.env["account.dunning.cash.forecast"]
        for company, moves in invoices.grouped("company_id").items():
            partner_ids = set(moves.commercial_partner_id.ids)
            for receipt in Forecast._get_expected_receipts(company, today, partner_ids):
                if receipt.move_id in found:
                    found[receipt.move_id] = max(found[receipt.move_id], receipt.date)
                else:
                    found[receipt.move_id] = receipt.date
        for move in self:
            move.dunning_expected_payment_date = found.get(move.id, False)
