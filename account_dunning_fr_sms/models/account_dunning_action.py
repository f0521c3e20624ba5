from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.models.dunning_proof import writing_proof


class AccountDunningAction(models.Model):
    _inherit = "account.dunning.action"

    send_sms = fields.Boolean("SMS", readonly=True)
    sms_text = fields.Text("SMS sent", readonly=True)

    @api.model
    def _cost_terms_sql(self):
        return [
            *super()._cost_terms_sql(),
            SQL("CASE WHEN act.send_sms THEN COALESCE(rc.dunning_cost_sms, 0) ELSE 0 END"),
        ]

    def _get_sms_number(self):
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        return commercial.mobile or commercial.phone

    def _get_unreachable_reasons(self):
        errors = super()._get_unreachable_reasons()
        if self.send_sms and not self._get_sms_number():
            errors.append(self.env._("The customer has no mobile number."))
        return errors

    def _deliver_channels(self):
        """Queue the SMS (sms.sms, sent by Odoo's SMS queue, never inline)."""
        super()._deliver_channels()
        actions = self.filtered("send_sms")
        if not actions:
            return True
        vals_list = []
        for level, group in actions.grouped("level_id").items():
            texts = self.env["mail.render.mixin"]._render_template(
                level.sms_body or "", self._name, group.ids, engine="inline_template"
            )
            for action in group:
                with writing_proof():
                    action.sms_text = texts[action.id]
                vals_list.append(
                    {
                        "number": action._get_sms_number(),
                        "partner_id": action.partner_id.id,
                        "body": texts[action.id],
                        "state": "outgoing",
                    }
                )
        self.env["sms.sms"].sudo().create(vals_list)
        return True
