from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ...core import court

# Days before a procedural deadline when the dunning responsible gets an
# activity: two weeks leave time to instruct a commissaire de justice.
DEADLINE_ALERT_DAYS = 14

ROUTES = [
    (court.INJONCTION, "Order for payment (injonction de payer)"),
    (court.PETITES_CREANCES, "Small claims (petites créances)"),
    (court.INCONTESTEES, "Uncontested commercial claims (L126, to be checked)"),
    (court.ASSIGNATION, "Summons (assignation)"),
]
JURISDICTIONS = [
    ("tc", "Commercial court (tribunal de commerce)"),
    ("tj", "Judicial court (tribunal judiciaire)"),
    ("jcp", "Protection judge (juge des contentieux de la protection)"),
]
STATES = [
    ("draft", "Draft"),
    ("filed", "Filed"),
    ("ordered", "Order issued"),
    ("served", "Served"),
    ("opposed", "Opposed"),
    ("enforceable", "Enforceable"),
    ("closed", "Closed"),
]
# Pending deadlines: (field, label), the events that end them are in
# _pending_deadlines.
DEADLINES = [
    ("deadline_signification", "Serve the order"),
    ("deadline_opposition", "End of the opposition period"),
    ("date_enforcement_from", "Enforcement possible"),
    ("deadline_petites_creances", "End of the small claims procedure"),
    ("deadline_l126_contest", "End of the period to contest (L126)"),
    ("date_l126_pv_from", "Report of non-contestation possible (L126)"),
    ("deadline_l126_signification", "Serve the enforceable report (L126)"),
]
# Events in the order they happen: each date must not precede the ones before.
DATE_ORDER = [
    ("date_filed", "date_ordonnance"),
    ("date_ordonnance", "date_signification"),
    ("date_signification", "date_opposition"),
    ("date_signification", "date_enforceable"),
    ("date_commandement", "date_l126_pv"),
    ("date_l126_pv", "date_enforceable"),
]
# Which dates belong to which route.
ROUTE_DATES = {
    "date_ordonnance": court.INJONCTION,
    "date_opposition": court.INJONCTION,
    "date_invitation": court.PETITES_CREANCES,
    "date_commandement": court.INCONTESTEES,
    "date_l126_pv": court.INCONTESTEES,
    "date_assignation": court.ASSIGNATION,
}


class AccountDunningLitigationFile(models.Model):
    """One customer's court file: the route chosen, the procedural dates and
    the deadlines they set (core/court.py), the claim and its exhibits."""

    _name = "account.dunning.litigation.file"
    _description = "Litigation file"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_deadline asc nulls last, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    debtor_regime = fields.Selection(related="partner_id.dunning_regime", string="Debtor")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    route = fields.Selection(ROUTES, required=True, default=court.INJONCTION, tracking=True)
    jurisdiction = fields.Selection(
        JURISDICTIONS,
        tracking=True,
        help="CPC 1406: the court of the place where the debtor lives (public order); "
        "the commercial court for claims between merchants.",
    )
    contractual = fields.Boolean(
        "Contractual or statutory claim",
        default=True,
        help="CPC 1405 and CPCE L125-1: the claim has a contractual cause or results "
        "from a statutory obligation, for a determined amount.",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('company_id', '=', company_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
    )
    state = fields.Selection(STATES, compute="_compute_state", store=True, tracking=True)
    date_filed = fields.Date("Request filed on", tracking=True)
    date_ordonnance = fields.Date("Order issued on", tracking=True)
    date_signification = fields.Date(
        "Order served on",
        tracking=True,
        help="Service of the order by a commissaire de justice: prescription of the "
        "invoices restarts (C. civ. 2241).",
    )
    signification_a_personne = fields.Boolean(
        "Served to the debtor in person",
        tracking=True,
        help="If not, the opposition may be made until one month after the first act "
        "served to the person or the first seizure (CPC 1416 al. 2).",
    )
    date_opposition = fields.Date("Opposition received on", tracking=True)
    date_assignation = fields.Date(
        "Summons served on",
        tracking=True,
        help="Prescription of the invoices restarts (C. civ. 2241).",
    )
    date_invitation = fields.Date(
        "Invitation sent on",
        tracking=True,
        help="Small claims: the commissaire de justice's invitation to the debtor.",
    )
    date_commandement = fields.Date(
        "Order to pay served on", tracking=True, help="L126 (to be checked)."
    )
    date_l126_pv = fields.Date("Report of non-contestation on", tracking=True)
    date_enforceable = fields.Date("Enforceable title on", tracking=True)
    date_closed = fields.Date("Closed on", tracking=True)

    deadline_signification = fields.Date(
        "Serve the order by",
        compute="_compute_deadlines",
        store=True,
        help="CPC 1411: 6 months, 3 months for orders issued from 1 September 2026 "
        "(décret n° 2026-96), else the order lapses.",
    )
    deadline_opposition = fields.Date(
        "Opposition possible until", compute="_compute_deadlines", store=True
    )
    date_enforcement_from = fields.Date(
        "Enforcement possible from",
        compute="_compute_deadlines",
        store=True,
        help="CPC 1422: orders from 1 September 2026, 2 months after service without "
        "opposition; before, after the opposition month (natural reading, to be checked).",
    )
    deadline_petites_creances = fields.Date(
        "Small claims procedure ends on", compute="_compute_deadlines", store=True
    )
    deadline_l126_contest = fields.Date(
        "Contest possible until (L126)", compute="_compute_deadlines", store=True
    )
    date_l126_pv_from = fields.Date(
        "Report of non-contestation from (L126)", compute="_compute_deadlines", store=True
    )
    deadline_l126_signification = fields.Date(
        "Serve the enforceable report by (L126)", compute="_compute_deadlines", store=True
    )
    next_deadline = fields.Date(compute="_compute_deadlines", store=True, index=True)
    next_deadline_label = fields.Selection(
        DEADLINES, "Next deadline for", compute="_compute_deadlines", store=True
    )
    alerted_deadlines = fields.Char(copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "date_filed",
        "date_ordonnance",
        "date_signification",
        "date_opposition",
        "date_assignation",
        "date_invitation",
        "date_commandement",
        "date_enforceable",
        "date_closed",
    )
    def _compute_state(self):
        for record in self:
            if record.date_closed:
                record.state = "closed"
            elif record.date_enforceable:
                record.state = "enforceable"
            elif record.date_opposition:
                record.state = "opposed"
            elif record.date_signification or record.date_assignation:
                record.state = "served"
            elif record.date_ordonnance:
                record.state = "ordered"
            elif record.date_filed or record.date_invitation or record.date_commandement:
                record.state = "filed"
            else:
                record.state = "draft"

    @api.depends(
        "route",
        "date_ordonnance",
        "date_signification",
        "date_opposition",
        "date_invitation",
        "date_commandement",
        "date_l126_pv",
        "date_enforceable",
        "date_closed",
    )
    def _compute_deadlines(self):
        for record in self:
            values = dict.fromkeys((name for name, _label in DEADLINES), False)
            injonction = record.route == court.INJONCTION
            if injonction and record.date_ordonnance:
                values["deadline_signification"] = court.signification_deadline(
                    record.date_ordonnance
                )
                if record.date_signification:
                    values["deadline_opposition"] = court.opposition_deadline(
                        record.date_signification
                    )
                    values["date_enforcement_from"] = court.enforcement_date(
                        record.date_ordonnance, record.date_signification
                    )
            if record.route == court.PETITES_CREANCES and record.date_invitation:
                values["deadline_petites_creances"] = court.petites_creances_deadline(
                    record.date_invitation
                )
            if record.route == court.INCONTESTEES and record.date_commandement:
                values["deadline_l126_contest"] = court.incontestees_contest_deadline(
                    record.date_commandement
                )
                values["date_l126_pv_from"] = court.incontestees_pv_earliest(
                    record.date_commandement
                )
                if record.date_l126_pv:
                    values["deadline_l126_signification"] = (
                        court.incontestees_signification_deadline(record.date_l126_pv)
                    )
            record.update(values)
            pending = record._pending_deadlines()
            first = min(pending, key=lambda pair: pair[1], default=(False, False))
            record.next_deadline_label, record.next_deadline = first

    def _pending_deadlines(self):
        """(field, date) of the deadlines still to watch: not closed, and not
        yet met by the event that ends each of them."""
        self.ensure_one()
        if self.date_closed or self.date_enforceable:
            return []
        done = {
            "deadline_signification": self.date_signification,
            "deadline_opposition": self.date_opposition,
            "date_enforcement_from": self.date_opposition,
            "deadline_l126_contest": self.date_l126_pv,
            "date_l126_pv_from": self.date_l126_pv,
        }
        return [
            (name, self[name]) for name, _label in DEADLINES if self[name] and not done.get(name)
        ]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("partner_id", "company_id", "date_closed")
    def _check_one_open_file(self):
        for record in self:
            if record.partner_id != record.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("A litigation file is opened for the customer company itself.")
                )
            if not record.date_closed and self.search_count(
                [
                    ("id", "!=", record.id),
                    ("partner_id", "=", record.partner_id.id),
                    ("company_id", "=", record.company_id.id),
                    ("date_closed", "=", False),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "%s already has an open litigation file.", record.partner_id.display_name
                    )
                )

    @api.constrains(*{name for pair in DATE_ORDER for name in pair}, *ROUTE_DATES, "route")
    def _check_dates(self):
        for record in self:
            for earlier, later in DATE_ORDER:
                if record[earlier] and record[later] and record[later] < record[earlier]:
                    raise ValidationError(
                        self.env._(
                            "%(later)s cannot be before %(earlier)s.",
                            later=record._fields[later].get_description(self.env)["string"],
                            earlier=record._fields[earlier].get_description(self.env)["string"],
                        )
                    )
            for name, route in ROUTE_DATES.items():
                if record[name] and record.route != route:
                    raise ValidationError(
                        self.env._(
                            "%(date)s belongs to another procedure than %(route)s.",
                            date=record._fields[name].get_description(self.env)["string"],
                            route=dict(record._fields["route"]._description_selection(self.env))[
                                record.route
                            ],
                        )
                    )

    @api.constrains("invoice_ids", "partner_id", "company_id")
    def _check_invoices(self):
        for record in self:
            strangers = record.invoice_ids.filtered(
                lambda move, r=record: (
                    move.commercial_partner_id != r.partner_id or move.company_id != r.company_id
                )
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Invoices %s are not this customer's in this company.",
                        ", ".join(strangers.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: the judicial demand restarts prescription (C. civ. 2241)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
            if partner:
                vals["partner_id"] = partner.id
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if "invoice_ids" not in vals and partner:
                overdue = partner.with_company(company)._get_open_invoices(
                    company, overdue_only=True
                )
                vals["invoice_ids"] = [fields.Command.set(overdue.ids)]
            if not vals.get("name") and partner:
                vals["name"] = self.env._("File %s", partner.name)
        records = super().create(vals_list)
        records._sync_judicial_demand()
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"date_signification", "date_assignation", "invoice_ids"} & set(vals):
            self._sync_judicial_demand()
        return result

    def _sync_judicial_demand(self):
        """The service of the order or of the summons is the judicial demand
        that restarts the invoices' prescription (C. civ. 2241); the request
        itself does not (Cass. 10 juil. 1990 n° 89-13.345)."""
        for record in self:
            served = record.date_signification or record.date_assignation
            invoices = record.invoice_ids.filtered(
                lambda move, day=served: move.dunning_judicial_demand_date != day
            )
            if served and invoices:
                invoices.write({"dunning_judicial_demand_date": served})

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _open_for_litigation_actions(self, actions):
        """A draft file for each customer handed over to litigation, unless
        one is open."""
        files = self.browse()
        for action in actions.filtered("level_id.litigation"):
            partner = action.partner_id.commercial_partner_id
            files |= self.with_company(action.company_id)._get_or_create(partner)
        return files

    @api.model
    def _get_or_create(self, partner):
        company = self.env.company
        partner = partner.commercial_partner_id
        open_file = self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("date_closed", "=", False),
            ],
            limit=1,
        )
        return open_file or self.create({"partner_id": partner.id, "company_id": company.id})

    def action_close(self):
        self.write({"date_closed": fields.Date.context_today(self)})

    def action_reopen(self):
        self.write({"date_closed": False})

    def action_print_request(self):
        return self.env.ref("account_dunning_fr.action_report_litigation_court_file").report_action(
            self
        )

    @api.model
    def _raise_deadline_alerts(self, today, company):
        """An activity to the dunning responsible DEADLINE_ALERT_DAYS before
        each pending deadline of the company's open files, once per file and
        deadline (kept in ``alerted_deadlines``, even once the activity is done)."""
        horizon = today + timedelta(days=DEADLINE_ALERT_DAYS)
        files = self.search(
            [
                ("company_id", "=", company.id),
                ("date_closed", "=", False),
                ("next_deadline", "!=", False),
            ]
        )
        labels = dict(self._fields["next_deadline_label"]._description_selection(self.env))
        responsible = {}
        for record in files:
            alerted = set((record.alerted_deadlines or "").split(","))
            for name, day in record._pending_deadlines():
                key = "%s:%s" % (name, day)
                if day > horizon or key in alerted:
                    continue
                partner = record.partner_id
                if partner not in responsible:
                    responsible[partner] = company._get_dunning_responsible(partner)
                if not responsible[partner]:
                    continue
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=day,
                    summary=self.env._(
                        "%(label)s: %(date)s", label=labels[name], date=format_date(self.env, day)
                    ),
                    user_id=responsible[partner].id,
                )
                alerted.add(key)
            keys = ",".join(sorted(alerted - {""})) or False
            if keys != record.alerted_deadlines:
                record.alerted_deadlines = keys
