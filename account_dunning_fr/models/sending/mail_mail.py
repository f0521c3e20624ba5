from odoo import models

from ...core.delivery import address_refused


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # Before super(): it deletes the auto-deleted mails that failed so.
        refusal = failure_type and address_refused(failure_type, failure_reason)
        if refusal:
            self._dunning_mark_undelivered(
                refusal.reason or self.env._("the mail server refused the address")
            )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def _dunning_mark_undelivered(self, reason):
        """The reminders these mails carried did not reach the customer: a
        transient failure (4xx, a server down) never comes here."""
        action_ids = [
            mail.res_id for mail in self if mail.model == "account.dunning.action" and mail.res_id
        ]
        actions = self.env["account.dunning.action"].sudo().browse(action_ids).exists()
        actions.filtered(lambda a: a.state == "sent")._mark_undelivered(reason)
