from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from ...core import situation as core_situation
from ...tools import bulk

SITUATIONS = [
    ("plan_breached", "After a breached payment plan"),
    ("payment_not_received", "Payment announced, not received"),
    ("broken_promise", "Broken promise"),
    ("partial_payment", "Partial payment received"),
    ("habitual_late", "Habitual late payer"),
    ("first_lateness", "First lateness of a good payer"),
    ("standard", "Standard"),
]
# The stored situation of new reminders, with their column types.
SITUATION_COLUMNS = (
    ("situation", "varchar[]"),
    ("situation_date", "date[]"),
    ("situation_reference", "varchar[]"),
    ("situation_amount", "numeric[]"),
)


class AccountDunningAction(models.Model):
    """The customer's situation when its reminder is made, which chooses
    the reminder's wording: core/situation.py decides, the templates read
    ``situation`` and what it quotes."""

    _inherit = "account.dunning.action"

    situation = fields.Selection(
        SITUATIONS,
        readonly=True,
        help="What the wording of this reminder speaks of, decided when it was made.",
    )
    situation_date = fields.Date("Date quoted", readonly=True)
    situation_reference = fields.Char("Reference quoted", readonly=True)
    situation_amount = fields.Float("Amount quoted", readonly=True, digits=(16, 2))

    def _store_situations(self):
        """The situation of each new reminder, from a few queries for the
        batch, written in one statement."""
        if self:
            bulk.update_rows(self, SITUATION_COLUMNS, self._situation_rows())

    def _situation_rows(self):
        """{action id: its SITUATION_COLUMNS values} of new reminders."""
        facts = self._get_situation_facts()
        rows = {}
        for action in self:
            values = core_situation.situation_values(facts[action.id])
            amount = values["amount"]
            rows[action.id] = (
                values["situation"],
                values["date"],
                values["reference"],
                float(amount) if amount is not None else None,
            )
        return rows

    def _get_situation_facts(self):
        """{action id: core SituationFacts} of these reminders (one per customer)."""
        partner_ids = self.partner_id.commercial_partner_id.ids
        company = self.company_id[:1]
        today = self[:1].date or fields.Date.context_today(self)
        history = self._get_reminder_history(partner_ids, company, today)
        plans = self._get_breached_plans(partner_ids, company)
        promises = self._get_broken_promises(partner_ids, company)
        payer = self.env["res.partner"]._dunning_payer_facts(partner_ids, company)
        facts = {}
        for action in self:
            pid = action.partner_id.commercial_partner_id.id
            last_sent, recent = history.get(pid, (None, 0))
            facts[action.id] = core_situation.SituationFacts(
                today=today,
                last_reminder_on=last_sent,
                **plans.get(pid, {}),
                **action._get_announced_payment_facts(today),
                **promises.get(pid, {}),
                **action._get_partial_payment_facts(),
                **payer.get(pid, {}),
                reminders_last_12_months=recent,
            )
        return facts

    def _get_reminder_history(self, partner_ids, company, today):
        """{partner id: (last reminder sent before these, sent in the last 12 months)}."""
        self.flush_model(["state", "date_sent", "partner_id", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, MAX(date_sent), COUNT(*) FILTER (WHERE date_sent > %s)
                  FROM account_dunning_action
                 WHERE state = 'sent' AND company_id = %s AND partner_id = ANY(%s)
                   AND id != ALL(%s)
              GROUP BY partner_id
                """,
                today - timedelta(days=365),
                company.id,
                list(partner_ids),
                self.ids,
            )
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    @api.model
    def _get_breached_plans(self, partner_ids, company):
        """{partner id: plan facts} of the last breached plan of each customer."""
        plans = (
            self.env["account.dunning.payment.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partner_ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "breached"),
                ],
                order="breach_date",
            )
        )
        return {
            plan.partner_id.id: {"plan_breached_on": plan.breach_date, "plan_reference": plan.name}
            for plan in plans
        }

    @api.model
    def _get_broken_promises(self, partner_ids, company):
        """{partner id: promise facts} of the last broken promise of each customer."""
        calls = (
            self.env["account.dunning.call"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partner_ids),
                    ("company_id", "=", company.id),
                    ("promise_state", "=", "broken"),
                ],
                order="promise_date",
            )
        )
        return {
            call.partner_id.commercial_partner_id.id: {
                "promise_date": call.promise_date,
                "promise_amount": Decimal(str(call.promise_amount)),
                "promise_broken": True,
            }
            for call in calls
        }

    def _get_announced_payment_facts(self, today):
        """The latest payment announced on the listed invoices whose hold is
        over while they are still unpaid (account.move._dunning_announced_payment_missing)."""
        self.ensure_one()
        missing = self._get_invoice_lines().move_id._dunning_announced_payment_missing(today)
        if not missing:
            return {}
        move = missing.sorted("dunning_payment_announced_on")[-1]
        return {
            "payment_announced_on": move.dunning_payment_announced_on,
            "payment_date": move.dunning_payment_paid_on or None,
            "payment_reference": move.dunning_payment_announced_ref or None,
            "payment_hold_until": move.dunning_hold_until,
        }

    def _get_partial_payment_facts(self):
        self.ensure_one()
        partly = any(line.amount_residual < line.amount_total for line in self._get_invoice_lines())
        unmatched = sum(
            -line.amount_residual_company
            for line in self._get_credit_lines()
            if line.line_type == "payment"
        )
        return {"partially_paid": partly, "unmatched_payments": Decimal(str(unmatched))}

    def _get_situation_values(self):
        """What the templates quote: situation, date, reference, amount."""
        self.ensure_one()
        return {
            "situation": self.situation or "standard",
            "date": self.situation_date,
            "reference": self.situation_reference,
            "amount": self.situation_amount,
        }
