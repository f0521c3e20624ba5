import io
import zipfile

from odoo import api, fields, models
from odoo.exceptions import UserError

DUNNING_STATUSES = [
    ("ok", "Up to date"),
    ("overdue", "Overdue"),
    ("reminded", "Reminded"),
    ("formal_notice", "Formal notice"),
    ("payment_plan", "Payment plan"),
    ("dispute", "Dispute"),
    ("litigation", "Litigation"),
]

# Most serious first: the status a salesperson must see when several apply.
# A plan agreed supersedes the dunning level its invoices had reached.
STATUS_PRIORITY = ["payment_plan", "litigation", "formal_notice", "dispute", "reminded", "overdue"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "account.dunning.policy",
        "Dunning policy",
        company_dependent=True,
        help="Empty: the company's default policy for this customer's kind "
        "(company, individual or public buyer).",
    )
    dunning_contractual_rate = fields.Float(
        "Contractual penalty rate (%)",
        digits=(5, 2),
        company_dependent=True,
        help="Rate agreed with this customer; empty: the policy's, the company's "
        "or the legal default (ECB + 10 points).",
    )
    dunning_public_buyer = fields.Boolean(
        "Public buyer",
        help="State, local authority, public hospital or other public "
        "purchaser: the public dunning policy and the public-procurement "
        "rules apply.",
    )
    dunning_regime = fields.Selection(
        [("b2b", "Business (B2B)"), ("b2c", "Consumer (B2C)"), ("public", "Public buyer")],
        compute="_compute_dunning_regime",
        string="Customer kind",
    )
    dunning_status = fields.Selection(
        DUNNING_STATUSES,
        compute="_compute_dunning_status",
        search="_search_dunning_status",
        string="Payment status",
    )
    dunning_level_id = fields.Many2one(
        "account.dunning.level", compute="_compute_dunning_status", string="Dunning level"
    )
    overdue_amount = fields.Monetary(
        compute="_compute_dunning_status", currency_field="dunning_currency_id"
    )
    dunning_currency_id = fields.Many2one("res.currency", compute="_compute_dunning_status")
    dunning_action_count = fields.Integer(compute="_compute_dunning_action_count")

    @api.depends("is_company", "dunning_public_buyer", "commercial_partner_id")
    def _compute_dunning_regime(self):
        for partner in self:
            commercial = partner.commercial_partner_id or partner
            if commercial.dunning_public_buyer:
                partner.dunning_regime = "public"
            elif commercial.is_company:
                partner.dunning_regime = "b2b"
            else:
                partner.dunning_regime = "b2c"

    def _get_dunning_policy(self, company=None):
        """The policy that applies to this customer in ``company``."""
        self.ensure_one()
        company = company or self.env.company
        commercial = (self.commercial_partner_id or self).with_company(company)
        if commercial.dunning_policy_id:
            return commercial.dunning_policy_id
        return (
            self.env["account.dunning.policy"]
            ._get_default_policies(company)
            .get(commercial.dunning_regime, self.env["account.dunning.policy"])
        )

    def _get_dunning_facts(self, company):
        """Per commercial partner id: (overdue amount, worst level id, flags).

        One query for the whole recordset: statuses are shown on lists and
        kanbans of thousands of partners. Read with SQL so that salespeople
        without accounting rights see the status without reading invoices.
        """
        commercial_ids = tuple({(p.commercial_partner_id or p).id for p in self if p.id})
        if not commercial_ids:
            return {}
        self.env.flush_all()
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            """
            SELECT m.commercial_partner_id,
                   SUM(CASE WHEN aml.date_maturity < %(today)s
                            THEN aml.amount_residual ELSE 0 END),
                   BOOL_OR(aml.date_maturity < %(today)s),
                   BOOL_OR(m.dunning_excluded AND m.dunning_exclusion_reason = 'dispute'),
                   BOOL_OR(lvl.litigation),
                   BOOL_OR(lvl.formal_notice),
                   BOOL_OR(lvl.delay_days >= 0),
                   (ARRAY_AGG(lvl.id ORDER BY lvl.delay_days DESC NULLS LAST))[1]
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
         LEFT JOIN account_dunning_level lvl ON lvl.id = m.dunning_level_id
             WHERE m.commercial_partner_id IN %(partners)s
               AND m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type = 'out_invoice'
               AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
               AND acc.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual > 0
          GROUP BY m.commercial_partner_id
            """,
            {"today": today, "partners": commercial_ids, "company": company.id},
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.depends_context("company")
    def _compute_dunning_status(self):
        company = self.env.company
        facts = self._get_dunning_facts(company)
        plan_partner_ids = self._get_payment_plan_partner_ids(company)
        Level = self.env["account.dunning.level"].sudo()
        for partner in self:
            commercial_id = (partner.commercial_partner_id or partner).id
            row = facts.get(commercial_id)
            partner.dunning_currency_id = company.currency_id
            if not row:
                partner.dunning_status = "ok"
                partner.dunning_level_id = False
                partner.overdue_amount = 0.0
                continue
            amount, overdue, dispute, litigation, formal, reminded, level_id = row
            flags = {
                "litigation": litigation,
                "formal_notice": formal,
                "payment_plan": commercial_id in plan_partner_ids,
                "dispute": dispute,
                "reminded": reminded and overdue,
                "overdue": overdue,
            }
            partner.dunning_status = next((s for s in STATUS_PRIORITY if flags[s]), "ok")
            partner.dunning_level_id = Level.browse(level_id) if level_id else False
            partner.overdue_amount = amount

    def _get_payment_plan_partner_ids(self, company):
        """Commercial partners under an active payment plan."""
        commercial_ids = tuple({(p.commercial_partner_id or p).id for p in self if p.id})
        if not commercial_ids:
            return set()
        self.env.cr.execute(
            """
            SELECT DISTINCT partner_id FROM account_dunning_payment_plan
             WHERE state = 'active' AND company_id = %s AND partner_id IN %s
            """,
            [company.id, commercial_ids],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _search_dunning_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the payment status."))
        values = {value} if isinstance(value, str) or value is False else set(value)
        candidates = self.with_context(active_test=False).search(
            [("id", "in", self._get_partners_with_open_invoices(self.env.company))]
        )
        matching = {p.id for p in candidates if p.dunning_status in values}
        if "ok" in values:
            # Everyone without open invoices is up to date.
            positive = operator in ("=", "in")
            not_ok = {p.id for p in candidates} - matching
            return [("id", "not in" if positive else "in", list(not_ok))]
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", list(matching))]

    def _get_partners_with_open_invoices(self, company):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT p.id
              FROM account_move m
              JOIN res_partner p ON p.commercial_partner_id = m.commercial_partner_id
             WHERE m.company_id = %s AND m.state = 'posted' AND m.move_type = 'out_invoice'
               AND m.payment_state NOT IN ('paid', 'in_payment', 'reversed')
            """,
            [company.id],
        )
        return [r[0] for r in self.env.cr.fetchall()]

    def _compute_dunning_action_count(self):
        counts = {}
        if self.env["account.dunning.action"].has_access("read"):
            groups = self.env["account.dunning.action"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
            counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.dunning_action_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_dunning_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning_fr.action_account_dunning_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_dunning_send_reminder(self):
        """Run the dunning now for these customers only."""
        partners = self.commercial_partner_id
        run = self.env["account.dunning.run"]._run_manual(self.env.company, partners=partners)
        if not run.action_ids:
            raise UserError(
                self.env._(
                    "No reminder is due today for %(partners)s: nothing is overdue "
                    "enough for the next level, the invoices are excluded, or the "
                    "customer was reminded too recently.",
                    partners=", ".join(partners.mapped("display_name")),
                )
            )
        return run.action_view_actions()

    def _get_open_invoices(self, company=None, overdue_only=False):
        """The posted customer invoices this customer still owes."""
        domain = [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", (company or self.env.company).id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "not in", ("paid", "in_payment", "reversed")),
        ]
        if overdue_only:
            domain.append(("invoice_date_due", "<", fields.Date.context_today(self)))
        return self.env["account.move"].search(domain, order="invoice_date_due, id")

    def _get_litigation_file_data(self):
        """What an order for payment needs (CPC 1407): each open invoice with
        its principal, penalties (with their computation) and indemnity, the
        totals, and every reminder sent."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        invoices = partner._get_open_invoices(company)
        figures = invoices._get_dunning_figures()
        rows = []
        for invoice in invoices:
            values = figures[invoice.id]
            rows.append(
                {
                    "invoice": invoice,
                    "principal": invoice.amount_residual_signed,
                    "interest": float(values["interest"]),
                    "indemnity": float(values["indemnity"]),
                    "days_late": values["days_late"],
                    "warning": values["warning"],
                    "segments": [s for result in values["results"] for s in result.segments],
                }
            )
        actions = self.env["account.dunning.action"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
            ],
            order="date, id",
        )
        return {
            "partner": partner,
            "company": company,
            "currency": company.currency_id,
            "rows": rows,
            "total_principal": sum(r["principal"] for r in rows),
            "total_interest": sum(r["interest"] for r in rows),
            "total_indemnity": sum(r["indemnity"] for r in rows),
            "actions": actions,
            "notices": actions.filtered("formal_notice"),
        }

    def action_print_litigation_file(self):
        """Download the litigation file: one zip an injonction de payer needs."""
        attachment = self.commercial_partner_id._make_litigation_file()
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def _make_litigation_file(self):
        """A zip of the statement and penalties table (litigation file), the
        open invoices, and every letter sent (reminders, formal notices),
        attached to the customer."""
        self.ensure_one()
        Report = self.env["ir.actions.report"]
        documents = []

        def add(name, content, report_type="pdf"):
            extension = "pdf" if report_type in ("qweb-pdf", "pdf") else "html"
            documents.append(("%s.%s" % (name, extension), content))

        content, report_type = Report._render_qweb_pdf(
            "account_dunning_fr.action_report_litigation_file", self.ids
        )
        add("00 " + self.env._("Litigation file"), content, report_type)
        invoices = self._get_open_invoices()
        for invoice in invoices:
            content, report_type = Report._render_qweb_pdf("account.account_invoices", invoice.ids)
            add("10 " + invoice.name.replace("/", "-"), content, report_type)
        actions = self.env["account.dunning.action"].search(
            [
                ("partner_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "sent"),
                ("letter_attachment_id", "!=", False),
            ],
            order="date, id",
        )
        for action in actions:
            add(
                "20 %s %s" % (action.date, action.level_id.name),
                action.letter_attachment_id.raw,
                "pdf" if action.letter_attachment_id.mimetype == "application/pdf" else "html",
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in documents:
                archive.writestr(name, content)
        return self.env["ir.attachment"].create(
            {
                "name": self.env._("Litigation file - %s.zip", self.name),
                "raw": buffer.getvalue(),
                "mimetype": "application/zip",
                "res_model": "res.partner",
                "res_id": self.id,
            }
        )
