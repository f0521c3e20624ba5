from datetime import timedelta

from odoo import models
from odoo.tools import format_date

from odoo.addons.l10n_fr_payment_delay.core.semesters import semester_label, semester_start


class AccountDunningAlertMixin(models.AbstractModel):
    """What a dunning run tells the accountants, as activities: missing
    rates, late bank statements, a failed batch, legal deadlines. Each goes
    to a real accountant (res.company._get_dunning_responsible), once while
    it is open."""

    _name = "account.dunning.alert.mixin"
    _description = "Dunning alerts"

    def _schedule_alerts(self, records, summary_by_record, note_by_record=None):
        """One activity per record and summary, never twice while open; none
        when the company has no accountant to give it to (logged instead)."""
        if not records:
            return
        existing = self.env["mail.activity"].search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )
        open_keys = {(act.res_id, act.summary) for act in existing}
        model_id = self.env["ir.model"]._get_id(records._name)
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        vals_list, responsible = [], {}
        for record in records:
            if (record.id, summary_by_record[record.id]) in open_keys:
                continue
            partner = "commercial_partner_id" in record and record.commercial_partner_id
            # One look-up per customer: the fallback is a search of the users.
            if partner not in responsible:
                responsible[partner] = self.company_id._get_dunning_responsible(partner or None)
            user = responsible[partner]
            if not user:
                self._append_log_lines(
                    [
                        self.env._(
                            "No accountant to alert: %(summary)s",
                            summary=summary_by_record[record.id],
                        )
                    ]
                )
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": todo_type.id,
                    "summary": summary_by_record[record.id],
                    "note": (note_by_record or {}).get(record.id, False),
                    "user_id": user.id,
                    "date_deadline": self.date,
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    def _alert_once_per_company(self, summary, note=False):
        """One open activity for the company on its runs, whatever the day."""
        self.ensure_one()
        runs = self.search([("company_id", "=", self.company_id.id)])
        already = self.env["mail.activity"].search_count(
            [("res_model", "=", self._name), ("res_id", "in", runs.ids), ("summary", "=", summary)]
        )
        if not already:
            self._schedule_alerts(self, {self.id: summary}, {self.id: note} if note else None)

    def _alert_bank_statements(self, reason):
        self._alert_once_per_company(
            self.env._("Bank statements late: automatic reminders held"), reason
        )

    def _record_batch_failure(self, error):
        """A batch that failed as a whole: on the run's log, and an activity."""
        self.ensure_one()
        message = self.env._("A batch failed and was rolled back: %s", error)
        self._append_log_lines([message])
        self._alert_once_per_company(self.env._("Dunning run failed"), message)

    def _check_missing_rates(self):
        """A semester begun without its rates: the ECB rate is asked of the
        ECB feed at once when it is on; the legal interest rate, which only
        an arrêté publishes, is asked of an accountant, one activity per
        semester, on the first run that needs it. Until then penalties stop
        at the last known semester (core/penalties.py)."""
        self.ensure_one()
        if not self.company_id._dunning_french_law():
            return
        start, label = semester_start(self.date), semester_label(self.date)
        EcbRate = self.env["account.dunning.ecb.rate"].sudo()
        missing = []
        if not EcbRate.search_count([("semester_start", "=", start)]):
            if EcbRate._auto_fetch_enabled():
                self.env.ref("l10n_fr_payment_delay.ir_cron_ecb_rate_fetch")._trigger()
                self._append_log_lines(
                    [self.env._("ECB rate of %s missing: asked of the ECB Data Portal.", label)]
                )
            else:
                missing.append(self.env._("ECB rate of %s missing", label))
        if not (
            self.env["account.dunning.legal.rate"]
            .sudo()
            .search_count([("semester_start", "=", start)])
        ):
            missing.append(self.env._("Legal interest rate of %s missing", label))
        for summary in missing:
            self._append_log_lines(
                [
                    self.env._(
                        "%(summary)s: penalties are computed up to the end of the previous "
                        "semester until it is entered in Accounting > Configuration > Dunning.",
                        summary=summary,
                    )
                ]
            )
            self._alert_once_per_company(summary)

    def _raise_legal_alerts(self):
        """Activities for prescription soon, terms beyond the legal maximum
        and formal notices still without an acknowledgement of receipt."""
        self.ensure_one()
        company = self.company_id
        if not company._dunning_french_law():
            return
        Move = self.env["account.move"]
        open_invoice_domain = [("company_id", "=", company.id), ("dunning_open", "=", True)]
        horizon = self.date + timedelta(days=company.dunning_prescription_alert_days)
        expiring = Move.search([*open_invoice_domain, ("prescription_date", "<=", horizon)])
        self._schedule_alerts(
            expiring,
            {
                move.id: self.env._(
                    "Prescription on %s", format_date(self.env, move.prescription_date)
                )
                for move in expiring
            },
        )
        exceeded = Move.search([*open_invoice_domain, ("legal_term_exceeded", "=", True)])
        self._schedule_alerts(
            exceeded,
            {move.id: self.env._("Payment term beyond the legal maximum") for move in exceeded},
        )
        notice_limit = self.date - timedelta(days=company.dunning_notice_receipt_alert_days)
        unreceived = self.env["account.dunning.action"].search(
            [
                ("company_id", "=", company.id),
                ("formal_notice", "=", True),
                ("state", "=", "sent"),
                ("receipt_date", "=", False),
                ("date_sent", "<=", notice_limit),
            ]
        )
        self._schedule_alerts(
            unreceived,
            {
                action.id: self.env._("Formal notice without acknowledgement of receipt")
                for action in unreceived
            },
        )
        # Litigation files: an activity before each procedural deadline.
        self.env["account.dunning.litigation.file"]._raise_deadline_alerts(self.date, company)
