from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...core import levels as core_levels


class AccountDunningLevel(models.Model):
    _name = "account.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, delay_days, sequence, id"

    policy_id = fields.Many2one(
        "account.dunning.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    delay_days = fields.Integer(
        "Delay (days)",
        required=True,
        help="Days after the due date when this level is reached; negative "
        "for a courtesy reminder before the due date.",
    )
    send_email = fields.Boolean("Email", default=True)
    send_letter = fields.Boolean("Letter (PDF)")
    create_activity = fields.Boolean("Phone call")
    mail_template_id = fields.Many2one(
        "mail.template",
        "Email template",
        domain=[("model", "=", "account.dunning.action")],
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False),
    )
    activity_user_id = fields.Many2one(
        "res.users",
        "Activity assigned to",
        help="Who gets the phone-call activity; empty: the customer's "
        "salesperson, or else the user running the dunning.",
    )
    automatic = fields.Boolean(
        default=True,
        help="Sent by the daily run. When unchecked, the reminder is prepared "
        "and waits in the worklist for an accountant to check and send it.",
    )
    formal_notice = fields.Boolean(
        help="Mise en demeure: a formal notice to pay (C. civ. art. 1344)."
    )
    litigation = fields.Boolean(help="Hand-over to litigation (injonction de payer, lawyer).")

    situation_preview = fields.Html(
        "Wording per situation",
        compute="_compute_situation_preview",
        sanitize=False,
        help="The sentence each reminder adds for its customer's situation (decided "
        "when the reminder is made), as a business customer reads it.",
    )

    @api.constrains("delay_days", "policy_id")
    def _check_delay_unique(self):
        for level in self:
            twins = level.policy_id.level_ids.filtered(
                lambda lvl, level=level: lvl != level and lvl.delay_days == level.delay_days
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "Levels %(a)s and %(b)s of policy %(policy)s share the "
                        "same delay (%(days)s days): each level needs its own delay.",
                        a=level.name,
                        b=twins[0].name,
                        policy=level.policy_id.name,
                        days=level.delay_days,
                    )
                )

    @api.constrains("delay_days", "formal_notice", "litigation", "policy_id")
    def _check_escalation_order(self):
        """A formal notice comes after every reminder, litigation after the
        formal notice: the delays must agree with the order of escalation."""
        for policy in self.policy_id:
            errors = core_levels.order_errors([lvl._to_core() for lvl in policy.level_ids])
            if "stage_before_due" in errors:
                raise ValidationError(
                    self.env._(
                        "In policy %(policy)s, a formal notice or a hand-over to litigation "
                        "cannot come before the due date.",
                        policy=policy.name,
                    )
                )
            if "stage_order" in errors:
                raise ValidationError(
                    self.env._(
                        "In policy %(policy)s, the formal notice must come later than every "
                        "reminder, and the hand-over to litigation later than the formal "
                        "notice: give them longer delays.",
                        policy=policy.name,
                    )
                )

    @api.constrains("send_email", "send_letter", "create_activity", "mail_template_id")
    def _check_channels(self):
        for level in self:
            if not level._get_channels():
                raise ValidationError(
                    self.env._("Level %(level)s needs at least one channel.", level=level.name)
                )
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s sends an email: choose its template.", level=level.name
                    )
                )

    def _to_core(self):
        self.ensure_one()
        return core_levels.Level(
            id=self.id,
            delay_days=self.delay_days,
            formal_notice=self.formal_notice,
            litigation=self.litigation,
        )

    def _get_highest(self):
        """The furthest of these levels in the order of escalation
        (core/levels.py: stage, then delay); empty when there are none."""
        return self.browse(self._highest_id(self.ids, self._ranks()))

    def _ranks(self):
        """{level id: its rank in the order of escalation} of these levels."""
        return {lvl.id: lvl._to_core().rank for lvl in self}

    @api.model
    def _highest_id(self, level_ids, ranks):
        """The id of the furthest of ``level_ids`` (the first met among
        equals), ``ranks`` as ``_ranks`` gives them; None when there are
        none. For many groups of levels, ranked once for all of them."""
        return max(level_ids, key=ranks.__getitem__, default=None)

    def _get_channels(self):
        """{channel: label} of the channels this level uses (a bridge add-on
        adds its own: SMS)."""
        self.ensure_one()
        channels = {}
        if self.send_email:
            channels["email"] = self.env._("Email")
        if self.send_letter:
            channels["letter"] = self.env._("Letter")
        if self.create_activity:
            channels["call"] = self.env._("Phone call")
        return channels

    def _get_action_channel_values(self):
        """The channel flags a reminder at this level is made with."""
        self.ensure_one()
        return {
            "send_email": self.send_email,
            "send_letter": self.send_letter,
            "create_activity": self.create_activity,
        }

    def _channel_labels(self):
        return list(self._get_channels().values())

    def action_open_level(self):
        """The level's form: its channels and its wording per situation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("account_dunning_fr.account_dunning_level_view_form").id, "form")
            ],
            "target": "new",
        }

    @api.depends_context("lang")
    def _compute_situation_preview(self):
        QWeb = self.env["ir.qweb"]
        labels = dict(
            self.env["account.dunning.action"]._fields["situation"]._description_selection(self.env)
        )
        parts = []
        for situation, label in labels.items():
            sentence = QWeb._render(
                "account_dunning_fr.mail_body_dunning_situation",
                {"object": SituationSample(self.env, situation), "regime": "b2b"},
            )
            parts.append(
                Markup("<dt>%s</dt><dd>%s</dd>")
                % (label, sentence if str(sentence).strip() else self.env._("(no sentence)"))
            )
        preview = Markup("<dl>%s</dl>") % Markup("").join(parts)
        for level in self:
            level.situation_preview = preview


class SituationSample:
    """A reminder as the situation template reads it, for the preview of
    each situation's wording: quoted values made up."""

    def __init__(self, env, situation):
        self.situation = situation
        today = fields.Date.context_today(env.user)
        self._values = {
            "situation": situation,
            "date": today - timedelta(days=5),
            "reference": "VIR-%s" % today.strftime("%m%d")
            if situation == "payment_not_received"
            else "ECH/%s/0001" % today.year,
            "amount": 1200.0,
        }

    def _get_situation_values(self):
        return self._values
