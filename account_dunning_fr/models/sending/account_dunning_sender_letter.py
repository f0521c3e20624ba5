import logging

from odoo import api, models

from . import dunning_letters

_logger = logging.getLogger(__name__)

LETTER_REPORT = "account_dunning_fr.action_report_dunning_letter"


class AccountDunningSender(models.AbstractModel):
    """The letters of reminders: one failure is recorded, never fatal."""

    _inherit = "account.dunning.sender"

    @api.model
    def _generate_letters(self, actions):
        """Render each reminder's letter and attach it; a letter that fails
        to render is recorded on its reminder (the email went out) and the
        others go on. Returns the reminders whose letter failed."""
        report = self.env.ref(LETTER_REPORT)
        rendered = dunning_letters.render_together(actions, report)
        failed = actions.browse()
        for action in actions:
            try:
                with self.env.cr.savepoint():
                    content = rendered.get(action.id)
                    if content is None:
                        content, _type = report._render_qweb_pdf(report.report_name, action.ids)
                    self._attach_letter(action, content)
            except Exception as error:  # noqa: BLE001 - recorded on the reminder
                _logger.warning("Dunning letter of action %s failed: %s", action.id, error)
                action._write_sending_result(
                    {
                        "letter_pending": False,
                        "letter_error": self.env._("The letter could not be made: %s", error),
                    }
                )
                failed |= action
        return failed

    @api.model
    def _attach_letter(self, action, content):
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Reminder %(partner)s %(date)s.pdf")
                    % {
                        "partner": action.partner_id.display_name,
                        "date": action.date_sent or action.date,
                    },
                    "raw": content,
                    "res_model": action._name,
                    "res_id": action.id,
                    "mimetype": "application/pdf",
                }
            )
        )
        action._write_sending_result(
            {"letter_attachment_id": attachment.id, "letter_pending": False, "letter_error": False}
        )
