from odoo import models


class AccountDunningPaymentPlan(models.Model):
    _inherit = "account.dunning.payment.plan"

    def _get_next_instalment_payment(self):
        """(invoice, amount) to pay the next instalment online: on the oldest
        open invoice of the plan, in that invoice's currency, never more than
        it owes; (False, 0) when nothing is to pay.

        Plans count in the company's currency; the invoice's residual in that
        currency was converted at its date, so is the instalment back.
        """
        self.ensure_one()
        line = self.next_line_id
        if not line or self.state != "active":
            return False, 0.0
        invoice = self.move_ids.filtered(lambda m: m.amount_residual > 0).sorted(
            lambda m: (m.invoice_date_due, m.id)
        )[:1]
        if not invoice:
            return False, 0.0
        amount = self.currency_id._convert(
            line.amount_residual,
            invoice.currency_id,
            invoice.company_id,
            invoice.invoice_date or invoice.date,
        )
        return invoice, invoice.currency_id.round(min(amount, invoice.amount_residual))
