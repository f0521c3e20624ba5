from datetime import timedelta
from decimal import Decimal

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from ...core import instalments

PLAN_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("done", "Done"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]


class AccountDunningPaymentPlan(models.Model):
    """An amicable payment plan (échéancier), legal_fr.md section 6.

    Accepted, it acknowledges the debt (C. civ. 2240: prescription restarts
    on its invoices); while it is kept, its invoices get no reminders; an
    instalment unpaid ``grace_days`` after its date breaches it (déchéance
    du terme): the balance is due at once and dunning resumes.
    """

    _name = "account.dunning.payment.plan"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Payment Plan"
    _order = "id desc"
    _check_company_auto = True

    # "/" until accepted, as Odoo numbers its documents: a translated
    # "New" would depend on the language of whoever confirms.
    name = fields.Char(default="/", readonly=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        "account_dunning_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        domain="[('dunning_open', '=', True), ('commercial_partner_id', '=', partner_id)]",
        check_company=True,
    )
    include_penalties = fields.Boolean(
        "Include penalties and indemnities",
        help="Bill the late-payment penalties and recovery indemnities accrued to the "
        "acceptance date and spread them with the invoices.",
    )
    penalty_move_id = fields.Many2one(
        "account.move", "Penalty invoice", readonly=True, copy=False, check_company=True
    )
    amount_principal = fields.Monetary(
        "Invoices due",
        compute="_compute_amount_principal",
        store=True,
        readonly=False,
        help="What the invoices still owed when the plan was made.",
    )
    amount_penalties = fields.Monetary("Penalties and indemnities", readonly=True, copy=False)
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)
    amount_paid = fields.Monetary(compute="_compute_allocation")
    amount_residual = fields.Monetary("Left to pay", compute="_compute_allocation")
    line_ids = fields.One2many(
        "account.dunning.payment.plan.line", "plan_id", "Instalments", copy=True
    )
    next_line_id = fields.Many2one(
        "account.dunning.payment.plan.line", "Next instalment", compute="_compute_allocation"
    )
    state = fields.Selection(
        PLAN_STATES, default="draft", required=True, index=True, tracking=True, copy=False
    )
    acceptance_date = fields.Date(
        tracking=True,
        copy=False,
        help="Day the customer accepted the plan: an acknowledgement of the debt "
        "(C. civ. 2240), from which prescription restarts.",
    )
    grace_days = fields.Integer(
        "Grace period (days)",
        default=5,
        help="An instalment still unpaid this many days after its date breaches the plan.",
    )
    penalty_treatment = fields.Selection(
        [
            ("frozen", "Frozen during the plan"),
            ("accrue", "Keep accruing on the balance"),
            ("waived", "Waived if the plan is kept"),
        ],
        default="frozen",
        required=True,
        help="What the plan says of late-payment penalties (legal_fr.md 6, item 4).",
    )
    requested_from_portal = fields.Boolean(readonly=True, copy=False)
    request_note = fields.Text("Customer's request", readonly=True, copy=False)
    breach_date = fields.Date(readonly=True, copy=False)
    note = fields.Html()

    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------

    @api.depends("move_ids", "state")
    def _compute_amount_principal(self):
        for plan in self:
            if plan.state == "draft":
                plan.amount_principal = sum(plan.move_ids.mapped("amount_residual_signed"))

    @api.depends("amount_principal", "amount_penalties")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = plan.amount_principal + plan.amount_penalties

    def _get_paid_amount(self):
        """What the customer paid since the plan, from the invoices' residuals
        (payments reconciled on them, as Odoo records them)."""
        self.ensure_one()
        if self.state == "draft":
            return Decimal(0)
        moves = self.move_ids | self.penalty_move_id
        left = sum(moves.mapped("amount_residual_signed"))
        paid = Decimal(str(self.amount_total)) - Decimal(str(left))
        return min(max(paid, Decimal(0)), Decimal(str(self.amount_total)))

    def _get_schedule(self):
        self.ensure_one()
        lines = self.line_ids.filtered("date").sorted(
            lambda line: (line.date, line.sequence, line.id or 0)
        )
        return lines, [(line.date, Decimal(str(line.amount))) for line in lines]

    def _get_allocation(self):
        """{instalment: (paid on it, left on it)}: payments spread in date order."""
        self.ensure_one()
        lines, schedule = self._get_schedule()
        allocation = instalments.allocate(schedule, self._get_paid_amount())
        return dict(zip(lines, allocation, strict=True))

    @api.depends(
        "line_ids.amount",
        "line_ids.date",
        "amount_total",
        "move_ids.amount_residual",
        "penalty_move_id.amount_residual",
        "state",
    )
    def _compute_allocation(self):
        for plan in self:
            paid = plan._get_paid_amount()
            plan.amount_paid = float(paid)
            plan.amount_residual = plan.amount_total - float(paid)
            plan.next_line_id = next(
                (line for line, (_on, left) in plan._get_allocation().items() if left > 0),
                False,
            )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_invoices(self):
        for plan in self:
            if not plan.move_ids:
                raise ValidationError(self.env._("A payment plan covers at least one invoice."))
            wrong = plan.move_ids.filtered(
                lambda m, plan=plan: (
                    m.move_type != "out_invoice"
                    or m.state != "posted"
                    or m.commercial_partner_id != plan.partner_id.commercial_partner_id
                    or m.company_id != plan.company_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A payment plan only covers posted invoices of %(customer)s: %(moves)s",
                        customer=plan.partner_id.display_name,
                        moves=", ".join(wrong.mapped("display_name")),
                    )
                )
            others = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "=", "active"),
                    ("move_ids", "in", plan.move_ids.ids),
                ]
            )
            if others:
                taken = plan.move_ids & others.move_ids
                raise ValidationError(
                    self.env._(
                        "%(moves)s already belong to the active payment plan %(plan)s.",
                        moves=", ".join(taken.mapped("display_name")),
                        plan=others[0].name,
                    )
                )

    def _check_schedule(self):
        for plan in self:
            _lines, schedule = plan._get_schedule()
            ordered = plan.line_ids.sorted(lambda line: (line.sequence, line.id))
            errors = instalments.schedule_errors(
                plan.amount_total, [(line.date, line.amount) for line in ordered]
            )
            if not schedule:
                raise ValidationError(self.env._("A payment plan has at least one instalment."))
            if "sum" in errors:
                raise ValidationError(
                    self.env._(
                        "The instalments add up to %(lines)s but the plan is for %(total)s: "
                        "they must match to the cent.",
                        lines=format_amount(
                            self.env, sum(plan.line_ids.mapped("amount")), plan.currency_id
                        ),
                        total=format_amount(self.env, plan.amount_total, plan.currency_id),
                    )
                )
            if "dates" in errors:
                raise ValidationError(
                    self.env._("Each instalment must fall after the previous one.")
                )
            if "amount" in errors:
                raise ValidationError(self.env._("Each instalment must be for a positive amount."))

    @api.constrains("state", "line_ids", "move_ids", "amount_total")
    def _check_active_plan(self):
        active = self.filtered(lambda p: p.state == "active")
        active._check_invoices()
        active._check_schedule()

    @api.constrains("grace_days")
    def _check_grace_days(self):
        if any(plan.grace_days < 0 for plan in self):
            raise ValidationError(self.env._("The grace period cannot be negative."))

    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------

    def _generate_lines(self, count, frequency, first_date):
        """Equal instalments; the last one absorbs the rounding."""
        self.ensure_one()
        try:
            schedule = instalments.split_schedule(self.amount_total, count, first_date, frequency)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Cannot split %(amount)s: %(error)s", amount=self.amount_total, error=error
                )
            ) from error
        self.line_ids = [Command.clear()] + [
            Command.create({"sequence": index, "date": day, "amount": float(amount)})
            for index, (day, amount) in enumerate(schedule, start=1)
        ]

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_confirm(self):
        """The customer accepted: the plan becomes active."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft payment plan can be confirmed."))
            plan._check_invoices()
            acceptance_date = plan.acceptance_date or fields.Date.context_today(plan)
            if plan.include_penalties and not plan.penalty_move_id:
                plan._bill_penalties(acceptance_date)
            plan._check_schedule()
            if plan.name in (False, "/"):
                plan.name = self.env["ir.sequence"].next_by_code("account.dunning.payment.plan")
            plan.write({"state": "active", "acceptance_date": acceptance_date})
            # C. civ. 2240: accepting a plan acknowledges the debt.
            plan.move_ids.sudo().write({"dunning_acknowledgement_date": acceptance_date})
            plan.message_post(
                body=self.env._(
                    "Payment plan accepted on %(date)s: %(count)s instalments, %(amount)s.",
                    date=format_date(self.env, acceptance_date),
                    count=len(plan.line_ids),
                    amount=format_amount(self.env, plan.amount_total, plan.currency_id),
                )
            )
        return True

    def _bill_penalties(self, until):
        """Add the penalties and indemnities to the plan, as an invoice (the
        plan covers it like its other invoices)."""
        self.ensure_one()
        # What was billed or waived to that day already stays where it is.
        unbilled = self.move_ids.filtered(
            lambda m: not m.dunning_penalty_billed_until or m.dunning_penalty_billed_until < until
        )
        invoice = unbilled._dunning_bill_penalties(until)
        if not invoice:
            return
        amount = invoice.amount_total
        self.write({"penalty_move_id": invoice.id, "amount_penalties": amount})
        if self.line_ids:
            # The last instalment carries the added penalties.
            last = self.line_ids.sorted(lambda line: (line.date, line.id))[-1]
            last.amount += amount

    def action_cancel(self):
        self.filtered(lambda p: p.state in ("draft", "active")).write({"state": "cancelled"})
        return True

    def action_refuse_request(self):
        for plan in self.filtered(lambda p: p.state == "draft"):
            plan.state = "cancelled"
            plan.message_post(body=self.env._("Request refused."))
        return True

    def action_print(self):
        return self.env.ref("account_dunning_fr.action_report_payment_plan").report_action(self)

    # ------------------------------------------------------------------
    # Daily follow-up, called by the dunning run
    # ------------------------------------------------------------------

    @api.model
    def _follow_up(self, company, today, partners=None):
        """Close paid plans, breach late ones, remind instalments."""
        domain = [("company_id", "=", company.id), ("state", "=", "active")]
        if partners:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        plans = self.search(domain)
        for plan in plans:
            _lines, schedule = plan._get_schedule()
            paid = plan._get_paid_amount()
            if paid >= Decimal(str(plan.amount_total)):
                plan.state = "done"
                plan.message_post(body=self.env._("Payment plan fully paid."))
                continue
            breach = instalments.first_breach(schedule, paid, today, plan.grace_days)
            if breach:
                plan._breach(breach, today)
        plans.filtered(lambda p: p.state == "active")._remind_instalments(today)
        return plans

    def _breach(self, instalment_date, today):
        """Déchéance du terme: the balance is due at once, dunning resumes."""
        self.ensure_one()
        self.write({"state": "breached", "breach_date": today})
        self.message_post(
            body=self.env._(
                "Instalment of %(date)s unpaid after %(days)s days of grace: the plan is "
                "breached, the balance of %(amount)s is due at once and dunning resumes.",
                date=format_date(self.env, instalment_date),
                days=self.grace_days,
                amount=format_amount(self.env, self.amount_residual, self.currency_id),
            )
        )
        self._alert_accountant(self.env._("Payment plan breached"), date_deadline=today)
        template = self.env.ref(
            "account_dunning_fr.mail_template_payment_plan_breached", raise_if_not_found=False
        )
        if template and self.partner_id.email:
            template.sudo().send_mail_batch(self.ids, force_send=False)

    def _remind_instalments(self, today, courtesy_days=3):
        """Courtesy email a few days before each instalment, reminder after."""
        Line = self.env["account.dunning.payment.plan.line"]
        courtesy, late = Line, Line
        for plan in self.filtered(lambda p: p.partner_id.email):
            for line in plan.line_ids:
                if line.amount_residual <= 0:
                    continue
                if not line.courtesy_sent_date and 0 <= (line.date - today).days <= courtesy_days:
                    courtesy |= line
                elif not line.reminder_sent_date and line.date < today:
                    late |= line
        for lines, xmlid, field_name in (
            (courtesy, "mail_template_instalment_courtesy", "courtesy_sent_date"),
            (late, "mail_template_instalment_reminder", "reminder_sent_date"),
        ):
            template = self.env.ref("account_dunning_fr." + xmlid, raise_if_not_found=False)
            if lines and template:
                template.sudo().send_mail_batch(lines.ids, force_send=False)
                lines.write({field_name: today})

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for plan in self:
            plan.access_url = "/my/payment_plans/%s" % plan.id

    @api.model
    def _create_portal_request(self, partner, moves, instalment_count, note=False):
        """A customer asks for a plan from the portal: a draft plan waits for
        an accountant to accept, adjust or refuse it."""
        partner = partner.commercial_partner_id
        planned = self.sudo().search([("state", "=", "active"), ("move_ids", "in", moves.ids)])
        moves = (moves - planned.move_ids).filtered(
            lambda m: m.commercial_partner_id == partner and m.dunning_open
        )
        if not moves:
            raise UserError(self.env._("Choose at least one of your unpaid invoices."))
        if not isinstance(instalment_count, int) or instalment_count < 1:
            raise UserError(self.env._("Choose a whole number of instalments."))
        count = min(instalment_count, instalments.MAX_INSTALMENTS)
        plan = self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": moves[0].company_id.id,
                "move_ids": [Command.set(moves.ids)],
                "requested_from_portal": True,
                "request_note": note or False,
            }
        )
        first = fields.Date.context_today(plan) + timedelta(days=30)
        plan._generate_lines(count, instalments.MONTHLY, first)
        plan._alert_accountant(
            self.env._("Payment plan requested by the customer"),
            note=Markup("<p>%s</p>") % (note or ""),
        )
        return plan

    def _alert_accountant(self, summary, **values):
        """An activity for the company's dunning responsible (never the
        portal user who asked, nor OdooBot running the night)."""
        self.ensure_one()
        user = self.company_id._get_dunning_responsible(self.partner_id)
        if user:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=user.id, **values
            )


class AccountDunningPaymentPlanLine(models.Model):
    _name = "account.dunning.payment.plan.line"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, sequence, id"

    plan_id = fields.Many2one(
        "account.dunning.payment.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary("Paid", compute="_compute_paid")
    amount_residual = fields.Monetary("Left to pay", compute="_compute_paid")
    state = fields.Selection(
        [("pending", "To come"), ("late", "Late"), ("partial", "Partly paid"), ("paid", "Paid")],
        compute="_compute_paid",
    )
    courtesy_sent_date = fields.Date(readonly=True, copy=False)
    reminder_sent_date = fields.Date(readonly=True, copy=False)

    @api.depends("plan_id.amount_paid", "amount", "date")
    def _compute_paid(self):
        allocation = {}
        for plan in self.plan_id:
            allocation.update(plan._get_allocation())
        today = fields.Date.context_today(self)
        for line in self:
            paid, left = allocation.get(line, (Decimal(0), Decimal(str(line.amount))))
            line.amount_paid = float(paid)
            line.amount_residual = float(left)
            if line.amount_residual <= 0:
                line.state = "paid"
            elif line.amount_paid > 0:
                line.state = "partial"
            elif line.date and line.date < today:
                line.state = "late"
            else:
                line.state = "pending"

    @api.depends("plan_id.name", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = "%s - %s" % (line.plan_id.name, format_date(self.env, line.date))
