import base64
from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from ..core import payment_delay, penalties
from ..core.payment_delay import LABELS
from .l10n_fr_payment_delay_xlsx import write_workbook

# Per side: the invoice type, the credit note type, and the sign that makes
# what the company is owed (customers) or owes (suppliers) positive.
SIDES = {
    "customer": ("out_invoice", "out_refund", 1),
    "supplier": ("in_invoice", "in_refund", -1),
}
PARTNER_ACCOUNT_TYPES = ("asset_receivable", "liability_payable")
# What the queries read, written to the database first: the moves whole,
# since a dunning add-on's dispute flag joins the columns read.
FLUSHED_MODELS = ("account.move", "account.move.line", "account.partial.reconcile")


class L10nFrPaymentDelayReport(models.TransientModel):
    """Payment-delay tables of the rapport de gestion (C. com. L441-14,
    D441-6, annexe 4-1; legal_fr_addendum.md section 1): Table I (unpaid at
    closing, past due) or Table II (paid late during the fiscal year), for
    invoices received and issued, as a PDF or an XLSX workbook."""

    _name = "l10n_fr.payment.delay.report"
    _description = "Payment-delay tables (D441-6)"

    company_id = fields.Many2one(
        "res.company",
        "Reporting company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_to = fields.Date(
        "Closing date",
        required=True,
        default=lambda self: self._default_date_to(),
        help="Closing date of the fiscal year.",
    )
    date_from = fields.Date(
        "Fiscal year start",
        compute="_compute_date_from",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    side = fields.Selection(
        [
            ("customer", "Invoices issued (customers)"),
            ("supplier", "Invoices received (suppliers)"),
        ],
        default="customer",
        required=True,
        help="The half read by the table methods; the printed report shows both.",
    )
    table_type = fields.Selection(
        [
            ("1", "Table I: invoices unpaid at closing, past due (D441-6 I)"),
            ("2", "Table II: invoices paid late during the fiscal year (D441-6 II)"),
        ],
        "Table",
        default="1",
        required=True,
    )
    tax_basis = fields.Selection(
        [("untaxed", "Tax excluded (HT)"), ("total", "Tax included (TTC)")],
        "Amounts",
        default="total",
        required=True,
        help="D441-6 III: the report says whether amounts are HT or TTC; the percentages "
        "use the same basis for purchases and turnover.",
    )
    credit_note_mode = fields.Selection(
        [
            ("net", "Deducted in their bracket"),
            ("separate", "Reported apart"),
            ("excluded", "Left out"),
        ],
        "Open credit notes",
        default="net",
        required=True,
        help="No text says how credit notes are counted (practice only): the choice is "
        "printed as a footnote.",
    )
    exclusion_comment = fields.Text(
        "Comment on excluded invoices",
        help="D441-6 IV: when disputed invoices are left out of the table, say so in a "
        "comment, with their number and amount.",
    )

    @api.model
    def _default_date_to(self):
        today = fields.Date.context_today(self)
        return self.env.company.compute_fiscalyear_dates(today)["date_to"]

    @api.depends("date_to", "company_id")
    def _compute_date_from(self):
        for wizard in self:
            if wizard.date_to and wizard.company_id:
                dates = wizard.company_id.compute_fiscalyear_dates(wizard.date_to)
                wizard.date_from = dates["date_from"]
            else:
                wizard.date_from = wizard.date_from or False

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The fiscal year must start before its closing date.")
                )

    def _check_company_allowed(self):
        """The figures are read in SQL: only from the companies the user
        works in (DESIGN rule 5)."""
        if self.company_id not in self.env.companies:
            raise AccessError(
                self.env._("You can only report on the companies you are working in.")
            )

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def _flush(self):
        for model in FLUSHED_MODELS:
            self.env[model].flush_model()

    def _disputed_sql(self):
        """Disputed invoices (D441-6 IV), a boolean column of ``m``."""
        return SQL("(%s) IS TRUE", self.env["account.move"]._l10n_fr_payment_delay_disputed_sql())

    def _amount_on_basis(self, amount, untaxed, total):
        """``amount`` (incl. tax) on the chosen basis: HT keeps the invoice's
        untaxed / total ratio."""
        amount = Decimal(str(amount))
        if self.tax_basis == "untaxed" and total:
            amount = amount * abs(Decimal(str(untaxed))) / abs(Decimal(str(total)))
        return payment_delay.round_cent(amount)

    def _read_open_at_closing(self, side):
        """Invoices and credit notes of ``side`` open at the closing date, in
        one query: residual at closing = the receivable / payable lines'
        balance less their reconciliations dated (max_date) by the closing
        date; later ones do not count. The due date is the earliest maturity
        still open at closing."""
        self._flush()
        invoice_type, refund_type, _sign = SIDES[side]
        return self.env.execute_query(
            SQL(
                """
                WITH lines AS (
                    SELECT aml.move_id, aml.date_maturity,
                           aml.balance
                           - COALESCE((SELECT SUM(pr.amount) FROM account_partial_reconcile pr
                                        WHERE pr.debit_move_id = aml.id
                                          AND pr.max_date <= %(date_to)s), 0)
                           + COALESCE((SELECT SUM(pr.amount) FROM account_partial_reconcile pr
                                        WHERE pr.credit_move_id = aml.id
                                          AND pr.max_date <= %(date_to)s), 0) AS residual
                      FROM account_move_line aml
                      JOIN account_move m ON m.id = aml.move_id
                      JOIN account_account acc ON acc.id = aml.account_id
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type IN %(types)s
                       AND m.invoice_date <= %(date_to)s
                       AND acc.account_type IN %(account_types)s
                )
                SELECT m.id, m.move_type, m.invoice_payment_term_id, SUM(l.residual),
                       COALESCE(MIN(l.date_maturity) FILTER (WHERE ROUND(l.residual, 2) != 0),
                                m.invoice_date_due, m.invoice_date),
                       m.amount_untaxed_signed, m.amount_total_signed,
                       %(disputed)s
                  FROM lines l
                  JOIN account_move m ON m.id = l.move_id
              GROUP BY m.id
                HAVING ROUND(SUM(l.residual), 2) != 0
              ORDER BY m.id
                """,
                date_to=self.date_to,
                company=self.company_id.id,
                types=(invoice_type, refund_type),
                account_types=PARTNER_ACCOUNT_TYPES,
                disputed=self._disputed_sql(),
            )
        )

    def _read_paid_in_year(self, side):
        """Invoices of ``side`` fully paid at the closing date whose last
        reconciliation falls in the fiscal year, in one query; days late =
        the latest of (payment date - maturity) over its instalments."""
        self._flush()
        invoice_type, _refund_type, _sign = SIDES[side]
        return self.env.execute_query(
            SQL(
                """
                WITH lines AS (
                    SELECT aml.move_id, aml.date_maturity, ABS(aml.balance) AS amount,
                           pay.paid, pay.paid_on
                      FROM account_move_line aml
                      JOIN account_move m ON m.id = aml.move_id
                      JOIN account_account acc ON acc.id = aml.account_id
                 LEFT JOIN LATERAL (
                        SELECT SUM(pr.amount) AS paid, MAX(pr.max_date) AS paid_on
                          FROM account_partial_reconcile pr
                         WHERE (pr.debit_move_id = aml.id OR pr.credit_move_id = aml.id)
                           AND pr.max_date <= %(date_to)s
                       ) pay ON TRUE
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type = %(type)s
                       AND m.payment_state != 'reversed'
                       AND acc.account_type IN %(account_types)s
                )
                SELECT m.id, m.invoice_payment_term_id,
                       MAX(l.paid_on - COALESCE(l.date_maturity, m.invoice_date_due)),
                       m.amount_untaxed_signed, m.amount_total_signed,
                       %(disputed)s
                  FROM lines l
                  JOIN account_move m ON m.id = l.move_id
              GROUP BY m.id
                HAVING ROUND(SUM(l.amount) - SUM(COALESCE(l.paid, 0)), 2) = 0
                   AND MAX(l.paid_on) BETWEEN %(date_from)s AND %(date_to)s
              ORDER BY m.id
                """,
                date_from=self.date_from,
                date_to=self.date_to,
                company=self.company_id.id,
                type=invoice_type,
                account_types=PARTNER_ACCOUNT_TYPES,
                disputed=self._disputed_sql(),
            )
        )

    def _read_year_totals(self, side):
        """Invoices less credit notes of ``side`` posted in the fiscal year
        (purchases / turnover, on the chosen basis), and the number and
        amount of the invoices alone (Table II)."""
        self._flush()
        invoice_type, refund_type, sign = SIDES[side]
        amount = SQL(
            "m.amount_untaxed_signed" if self.tax_basis == "untaxed" else "m.amount_total_signed"
        )
        [(net, invoice_count, invoice_amount)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(%(amount)s), 0),
                       COUNT(*) FILTER (WHERE m.move_type = %(invoice_type)s),
                       COALESCE(SUM(%(amount)s) FILTER (WHERE m.move_type = %(invoice_type)s), 0)
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN %(types)s
                   AND m.date BETWEEN %(date_from)s AND %(date_to)s
                """,
                amount=amount,
                invoice_type=invoice_type,
                types=(invoice_type, refund_type),
                company=self.company_id.id,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        return (
            payment_delay.round_cent(sign * net),
            invoice_count,
            payment_delay.round_cent(sign * invoice_amount),
        )

    @staticmethod
    def _add_invoice(items, excluded, term_ids, term_id, days_late, amount, dispute):
        """Count one invoice: in (B) when disputed (D441-6 IV), else in its
        bracket of (A); its payment term goes to (C). True when it has none
        (the legal term applies)."""
        if term_id:
            term_ids.add(term_id)
        if dispute:
            excluded["count"] += 1
            excluded["amount"] += amount
        else:
            items.append((days_late, amount, True))
        return not term_id

    def _tally_open_at_closing(self, side, items, excluded, credit_notes, term_ids):
        """Table I: count the documents of ``side`` open at closing into
        ``items`` (A), ``excluded`` (B), ``term_ids`` (C) and, for the credit
        notes, ``credit_notes`` (and (A) in "net" mode). True when an
        invoice has no payment term (the legal term applies)."""
        invoice_type, _refund_type, sign = SIDES[side]
        without_term = False
        rows = self._read_open_at_closing(side)
        for _id, move_type, term_id, residual, due, untaxed, total, dispute in rows:
            amount = self._amount_on_basis(sign * residual, untaxed, total)
            days_late = (self.date_to - due).days
            if move_type != invoice_type:
                if self.credit_note_mode == "excluded":
                    continue
                credit_notes["count"] += 1
                credit_notes["amount"] += -amount
                if self.credit_note_mode == "net":
                    items.append((days_late, amount, False))
                continue
            without_term = (
                self._add_invoice(items, excluded, term_ids, term_id, days_late, amount, dispute)
                or without_term
            )
        return without_term

    def _tally_paid_in_year(self, side, items, excluded, term_ids):
        """Table II: count the invoices of ``side`` paid in the fiscal year
        into ``items`` (A), ``excluded`` (B), ``term_ids`` (C). True when one
        has no payment term (the legal term applies)."""
        without_term = False
        for _id, term_id, days_late, untaxed, total, dispute in self._read_paid_in_year(side):
            amount = payment_delay.round_cent(
                abs(untaxed if self.tax_basis == "untaxed" else total)
            )
            without_term = (
                self._add_invoice(
                    items, excluded, term_ids, term_id, days_late or 0, amount, dispute
                )
                or without_term
            )
        return without_term

    def _get_table(self, side=None):
        """The table of ``side`` (default: the wizard's): the (A) brackets,
        the (B) disputed invoices left out, the (C) reference terms.

        {"brackets": [{"key", "count", "amount", "percent"(, "count_percent")}
        x 6: "0", "1-30", "31-60", "61-90", "91+", "total"], "excluded":
        {"count", "amount"}, "credit_notes": {"count", "amount"},
        "reference_terms": str, "denominator": float, ...}
        """
        self.ensure_one()
        self._check_company_allowed()
        side = side or self.side
        net, invoice_count, invoice_amount = self._read_year_totals(side)
        items, term_ids = [], set()
        excluded = {"count": 0, "amount": Decimal(0)}
        credit_notes = {"count": 0, "amount": Decimal(0)}
        if self.table_type == "1":
            without_term = self._tally_open_at_closing(
                side, items, excluded, credit_notes, term_ids
            )
            brackets = payment_delay.build_brackets(items, net)
            denominator, count_denominator = net, None
        else:
            without_term = self._tally_paid_in_year(side, items, excluded, term_ids)
            brackets = payment_delay.build_brackets(items, invoice_amount, invoice_count)
            denominator, count_denominator = invoice_amount, invoice_count
        terms = self.env["account.payment.term"].browse(sorted(term_ids))
        terms = terms.with_context(lang=self._report_lang())
        return {
            "side": side,
            "brackets": brackets,
            "excluded": {"count": excluded["count"], "amount": float(excluded["amount"])},
            "credit_notes": {
                "count": credit_notes["count"],
                "amount": float(credit_notes["amount"]),
            },
            "reference_terms": payment_delay.reference_terms(
                set(terms.mapped("name")), without_term
            ),
            "denominator": float(denominator),
            "count_denominator": count_denominator,
        }

    # ------------------------------------------------------------------
    # Supplier self-check: what we owe on our own late bills
    # ------------------------------------------------------------------

    def _get_late_supplier_bills(self, today=None):
        """Posted vendor bills still unpaid ``today`` (default: today) past
        their due date, with the L441-10 II penalties and the D441-5
        indemnity the company owes its suppliers. A semester whose ECB rate
        is not published yet shows as pending, never as 0 %. No DGCCRF fine
        is ever computed (legal_fr_addendum.md, developer note 6)."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        bills = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "in_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", today),
            ],
            order="invoice_date_due, id",
        )
        ecb_rate_for = self.env["account.dunning.ecb.rate"]._get_rate_function()
        legal_rate_for = self.env["account.dunning.legal.rate"]._get_rate_function()
        payable = bills.line_ids.filtered(lambda line: line.account_type == "liability_payable")
        payments = defaultdict(list)
        for partial in payable.matched_debit_ids:
            if partial.max_date <= today:
                payments[partial.credit_move_id.move_id.id].append(
                    (partial.max_date, Decimal(str(partial.amount)))
                )
        lines_by_bill = payable.grouped("move_id")
        Move = self.env["account.move"]
        result = []
        for bill in bills:
            lines = lines_by_bill.get(bill, payable.browse())
            due = min(lines.mapped("date_maturity") or [bill.invoice_date_due])
            if due >= today:
                continue
            # What is known is owed now; a semester without its rate yet is
            # shown as pending, never as 0 % (core/penalties.py).
            interest = penalties.late_interest(
                "b2b",
                Decimal(str(abs(bill.amount_total_signed))),
                due,
                today,
                ecb_rate_for,
                legal_rate_for,
                payments=payments[bill.id],
            )
            result.append(
                {
                    "bill": bill,
                    "due_date": due,
                    "days_late": (today - due).days,
                    "residual": abs(bill.amount_residual_signed),
                    "interest": float(interest.due),
                    "pending": ", ".join(interest.pending) or False,
                    "pending_label": Move._late_payment_pending_note(interest.pending),
                    "indemnity": float(penalties.recovery_indemnity("b2b", due, None, today)),
                }
            )
        return result

    # ------------------------------------------------------------------
    # Printing
    # ------------------------------------------------------------------

    def _report_lang(self):
        """French when it is installed: the tables go into the French
        rapport de gestion, under the model's French labels."""
        if self.env["res.lang"]._lang_get("fr_FR"):
            return "fr_FR"
        return self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _get_report_data(self, today=None):
        """Everything the PDF and the XLSX print: both halves (suppliers
        first, as in the model), the labels, the footnotes, the late bills."""
        self.ensure_one()
        report = self.with_context(lang=self._report_lang())
        basis = LABELS["basis"][self.tax_basis]
        table = self.table_type
        halves = [report._report_half(side, basis) for side in ("supplier", "customer")]
        today = today or fields.Date.context_today(self)
        late_bills = report._get_late_supplier_bills(today)
        footnotes = report._report_footnotes(basis)
        return {
            "wizard": report,
            "company": self.company_id,
            "labels": LABELS,
            "title": LABELS["title_%s" % table],
            "unverified": table == "2",
            "basis": basis,
            "columns": [LABELS["columns"][key] for key in (*payment_delay.BRACKET_KEYS, "total")],
            "halves": halves,
            "footnotes": footnotes,
            "comment": self.exclusion_comment or "",
            "late_bills": late_bills,
            "period": "%s - %s / %s - %s"
            % (
                self.company_id.name,
                format_date(report.env, self.date_from),
                format_date(report.env, self.date_to),
                basis,
            ),
            **report._late_bills_labels(today),
            "today": today,
            "format": payment_delay.format_fr,
        }

    def _report_half(self, side, basis):
        """The half of ``side``: its table and the rows printed from it,
        which Table II completes with the share of the invoices' number."""
        _ = self.env._
        table = self.table_type
        data = self._get_table(side)
        by_key = data["brackets"]
        rows = [(LABELS["count_%s" % table], "count", "count")]
        rows.append((LABELS["amount_%s" % table].format(basis=basis), "amount", "amount"))
        if table == "2":
            rows.append((LABELS["count_percent_2_%s" % side], "count_percent", "percent"))
        rows.append(
            (LABELS["percent_%s_%s" % (table, side)].format(basis=basis), "percent", "percent")
        )
        return {
            "side": side,
            "title": LABELS["half_%s_%s" % (table, side)],
            "table": data,
            "credit_label": _("Open credit notes reported apart (number, amount)"),
            "rows": [
                {"label": label, "kind": kind, "values": [b[field] for b in by_key]}
                for label, field, kind in rows
            ],
        }

    def _report_footnotes(self, basis):
        """The footnotes under the tables: the basis, and the choices no
        text makes (the "0 jour" column, the open credit notes)."""
        _ = self.env._
        footnotes = [
            _(
                "Amounts %(basis)s, in %(currency)s (D441-6 III).",
                basis=basis,
                currency=self.company_id.currency_id.name,
            ),
        ]
        if self.table_type == "1":
            footnotes.append(
                _(
                    "Column « 0 jour (indicatif) »: invoices unpaid at the closing date whose "
                    "term has not passed yet (a practice, no text defines it); it is not part "
                    "of the total."
                )
            )
            footnotes.append(
                {
                    "net": _(
                        "Open credit notes are deducted, as negative amounts, in the "
                        "bracket of their own due date (no official rule)."
                    ),
                    "separate": _(
                        "Open credit notes are left out of (A) and reported apart "
                        "(no official rule)."
                    ),
                    "excluded": _(
                        "Open credit notes are left out of the table (no official rule)."
                    ),
                }[self.credit_note_mode]
            )
        else:
            footnotes.append(
                _(
                    "Column « 0 jour (indicatif) »: invoices paid in the fiscal year by their "
                    "due date; it is not part of the total."
                )
            )
        return footnotes

    def _late_bills_labels(self, today):
        """The sheet name, headers, title and note of the late supplier
        bills, which are no part of the published tables."""
        _ = self.env._
        return {
            "late_bills_sheet": _("Late supplier bills"),
            "late_bills_headers": [
                _("Bill"),
                _("Supplier"),
                _("Supplier reference"),
                _("Due on"),
                _("Days past due"),
                _("Open amount"),
                _("Late-payment penalties owed"),
                _("Recovery indemnity owed"),
            ],
            "late_bills_pending_header": _("Penalties pending"),
            "late_bills_title": _(
                "Late supplier bills at %(date)s: what we owe (C. com. L441-10)",
                date=format_date(self.env, today),
            ),
            "late_bills_note": _(
                "Self-check, not part of the published tables: vendor bills still unpaid past "
                "their due date. Penalties at the ECB rate of each semester + 10 points "
                "(L441-10 II) unless the supplier's terms say otherwise, on the amount incl. "
                "tax; 40 EUR recovery indemnity per bill (D441-5)."
            ),
        }

    def _check_exclusion_comment(self, data):
        if not (self.exclusion_comment or "").strip() and any(
            half["table"]["excluded"]["count"] for half in data["halves"]
        ):
            raise UserError(
                self.env._(
                    "Disputed invoices are left out of the table: D441-6 IV requires a "
                    "comment saying so. Fill in the comment on excluded invoices."
                )
            )

    def action_print_pdf(self):
        self.ensure_one()
        self._check_exclusion_comment(self._get_report_data())
        return self.env.ref("l10n_fr_payment_delay.action_report_payment_delay").report_action(self)

    def _make_xlsx(self, today=None):
        self.ensure_one()
        data = self._get_report_data(today)
        self._check_exclusion_comment(data)
        content = write_workbook(data)
        return self.env["ir.attachment"].create(
            {
                "name": "D441-6 %s %s.xlsx" % (self.company_id.name, self.date_to),
                "datas": base64.b64encode(content),
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def action_export_xlsx(self):
        attachment = self._make_xlsx()
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def action_open_late_supplier_bills(self):
        self.ensure_one()
        bills = self.env["account.move"].browse(
            [row["bill"].id for row in self._get_late_supplier_bills()]
        )
        return {
            "name": self.env._("Late supplier bills"),
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("account.view_in_invoice_bill_tree").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", bills.ids)],
            "context": {"default_move_type": "in_invoice", "create": False},
        }
