from odoo import models

# The mail server refused the customer's address: the reminder never left.
# A server down (mail_smtp) is retried by Odoo and says nothing of the address.
ADDRESS_FAILURES = ("mail_email_invalid", "mail_email_missing")


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # Before super(): it deletes the auto-deleted mails that failed so.
        if failure_type in ADDRESS_FAILURES:
            action_ids = [
                mail.res_id
                for mail in self
                if mail.model == "account.dunning.action" and mail.res_id
            ]
            actions = self.env["account.dunning.action"].sudo().browse(action_ids).exists()
            actions.filtered(lambda a: a.state == "sent")._mark_undelivered(
                failure_reason or self.env._("the mail server refused the address")
            )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
