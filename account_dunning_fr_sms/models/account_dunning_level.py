from odoo import api, fields, models


class AccountDunningLevel(models.Model):
    _inherit = "account.dunning.level"

    send_sms = fields.Boolean("SMS")
    sms_body = fields.Text(
        "SMS text",
        translate=True,
        help="Inline template rendered for each reminder ({{ object.amount_due }}...).",
    )

    @api.constrains("send_sms")
    def _check_sms_channel(self):
        self._check_channels()

    def _get_channels(self):
        channels = super()._get_channels()
        if self.send_sms:
            channels["sms"] = self.env._("SMS")
        return channels

    def _get_action_channel_values(self):
        return {**super()._get_action_channel_values(), "send_sms": self.send_sms}
