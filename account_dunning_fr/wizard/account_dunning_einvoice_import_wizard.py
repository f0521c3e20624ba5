from odoo import Command, fields, models
from odoo.exceptions import UserError


class AccountDunningEinvoiceImportWizard(models.TransientModel):
    """Import e-invoicing statuses: CDAR XML files, or zips of them, read as
    the company's; each file's outcome is shown, the refused ones with the
    reason, and all are kept on the import log."""

    _name = "account.dunning.einvoice.import.wizard"
    _description = "Import e-invoicing statuses"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "account_dunning_einvoice_wizard_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="CDAR files (XML or zip)",
    )
    import_ids = fields.Many2many(
        "account.dunning.einvoice.import",
        "account_dunning_einvoice_wizard_import_rel",
        "wizard_id",
        "import_id",
        string="Files read",
        readonly=True,
    )
    state = fields.Selection([("upload", "Upload"), ("done", "Done")], default="upload")
    refused_count = fields.Integer(compute="_compute_counts")
    status_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        for wizard in self:
            wizard.refused_count = len(wizard.import_ids.filtered(lambda i: i.state == "refused"))
            wizard.status_count = len(wizard.import_ids.status_ids)

    def action_import(self):
        self.ensure_one()
        if not self.attachment_ids:
            raise UserError(self.env._("Add one or more CDAR XML files, or a zip of them."))
        files = [(attachment.name, attachment.raw) for attachment in self.attachment_ids]
        imports = self.env["account.dunning.einvoice.import"]._import_files(
            self.company_id, files, "file"
        )
        # The log keeps its own copy of each file.
        uploaded = self.attachment_ids
        self.write({"import_ids": [Command.set(imports.ids)], "state": "done"})
        self.attachment_ids = [Command.clear()]
        uploaded.unlink()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "name": self.env._("Import e-invoicing statuses"),
            "view_mode": "form",
            "target": "new",
        }

    def action_view_statuses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_einvoice_status"
        )
        action["domain"] = [("id", "in", self.import_ids.status_ids.ids)]
        action["context"] = {}
        return action
