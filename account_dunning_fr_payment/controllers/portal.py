from urllib.parse import urlencode

from odoo.addons.account_dunning_fr.controllers.portal import DunningPortal
from odoo.addons.payment import utils as payment_utils


class DunningPaymentPortal(DunningPortal):
    def _get_instalment_payment_url(self, plan):
        """/payment/pay for the next instalment of the plan."""
        invoice, amount = plan._get_next_instalment_payment()
        if not invoice:
            return False
        token = payment_utils.generate_access_token(
            invoice.partner_id.id, amount, invoice.currency_id.id
        )
        return "/payment/pay?" + urlencode(
            {"amount": amount, "invoice_id": invoice.id, "access_token": token}
        )
