from odoo import fields, models


class AccountDunningEinvoiceKeyShow(models.AbstractModel):
    """The e-invoicing API key, shown once in a dialog and never stored in
    clear (as Odoo shows a user's API key: res.users.apikeys.show)."""

    _name = "account.dunning.einvoice.key.show"
    _description = "E-invoicing API key, shown once"

    # The form's onchange needs an id to return the key given in the context.
    id = fields.Id()
    key = fields.Char(readonly=True)
    endpoint = fields.Char(readonly=True)
