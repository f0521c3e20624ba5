import io
import zipfile
from collections import defaultdict

from odoo import fields, models

from ...core import balance
from ...core.claim import claim_totals


class ResPartner(models.Model):
    """The customer's litigation file: what an order for payment needs."""

    _inherit = "res.partner"

    def _get_litigation_file_data(self):
        """What an order for payment needs (CPC 1407): each open invoice with
        its principal, penalties (with their computation, less what was billed
        or waived) and indemnity, the customer's unallocated credits set
        against them (C. civ. 1342-10), the totals (claim_totals(), as a
        reminder's), and every reminder sent."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        today = fields.Date.context_today(self)
        lines = self.env["account.move.line"]._dunning_read_open_lines(
            company, today, partner_ids=partner.ids
        )
        rows = self._litigation_invoice_rows(lines, today)
        credit_rows = [
            {
                "move": self.env["account.move"].browse(line.move_id),
                "date": line.date,
                "amount": -line.residual,
            }
            for line in lines
            if line.residual < 0
        ]
        totals = claim_totals(
            [(r["principal"], r["interest"], r["indemnity"], r["invoice"].id) for r in rows],
            [-r["amount"] for r in credit_rows],
            same_currency=True,
        )
        actions = self.env["account.dunning.action"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
            ],
            order="date_sent, id",
        )
        return {
            "partner": partner,
            "company": company,
            "currency": company.currency_id,
            "rows": rows,
            "credits": credit_rows,
            "total_principal": totals["amount_invoices"],
            "total_credits": totals["amount_credits"],
            "total_due": totals["amount_due"],
            "total_interest": totals["amount_penalties"],
            "total_indemnity": totals["amount_indemnities"],
            "total_claimed": totals["amount_claimed"],
            "actions": actions,
            "notices": actions.filtered("formal_notice"),
        }

    def _litigation_invoice_rows(self, lines, today):
        """A row per open invoice of the open receivable ``lines``, oldest
        due first, with its figures net of the credits set against it."""
        debts, credits = self.env["account.move.line"]._dunning_debts_and_credits(lines)
        allocation, _left = balance.allocate(debts, credits)
        invoices = self.env["account.move"].browse(
            dict.fromkeys(line.move_id for line in lines if line.claimable)
        )
        figures = invoices._get_dunning_figures(today, allocation)
        principal = defaultdict(float)
        for line in lines:
            if line.claimable:
                principal[line.move_id] += line.residual
        return [
            {
                "invoice": invoice,
                "principal": principal[invoice.id],
                "interest": float(figures[invoice.id]["interest"]),
                "indemnity": float(figures[invoice.id]["indemnity"]),
                "days_late": figures[invoice.id]["days_late"],
                "warning": figures[invoice.id]["warning"],
                "pending": invoice._late_payment_pending_note(figures[invoice.id]["pending"]),
                "segments": [s for r in figures[invoice.id]["results"] for s in r.segments],
            }
            for invoice in invoices.sorted(lambda m: (m.invoice_date_due, m.id))
        ]

    def action_print_litigation_file(self):
        """Download the litigation file: one zip an injonction de payer needs."""
        attachment = self.commercial_partner_id._make_litigation_file()
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def action_open_litigation_court_file(self):
        """The customer's open court file (account.dunning.litigation.file),
        made as a draft when there is none."""
        self.ensure_one()
        return (
            self.env["account.dunning.litigation.file"]
            ._get_or_create(self.commercial_partner_id)
            .get_formview_action()
        )

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
            order="date_sent, id",
        )
        for action in actions:
            add(
                "20 %s %s" % (action.date_sent, action.level_id.name),
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
