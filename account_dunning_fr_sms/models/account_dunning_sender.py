from odoo import api, models

from odoo.addons.account_dunning_fr.models.reminder.dunning_proof import writing_proof


class AccountDunningSender(models.AbstractModel):
    """The SMS channel of the sending pipeline."""

    _inherit = "account.dunning.sender"

    @api.model
    def _get_unreachable_reasons(self, action):
        errors = super()._get_unreachable_reasons(action)
        if action.send_sms and not action._get_sms_number():
            errors.append(self.env._("The customer has no mobile number."))
        return errors

    @api.model
    def _deliver_channels(self, actions):
        """Queue the SMS (sms.sms, sent by Odoo's SMS queue, never inline)."""
        super()._deliver_channels(actions)
        actions = actions.filtered("send_sms")
        if not actions:
            return True
        vals_list = []
        for level, group in actions.grouped("level_id").items():
            texts = self.env["mail.render.mixin"]._render_template(
                level.sms_body or "", actions._name, group.ids, engine="inline_template"
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
