from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_status = fields.Selection(
        related="partner_id.commercial_partner_id.dunning_status", string="Payment status"
    )
    dunning_overdue_amount = fields.Monetary(
        related="partner_id.commercial_partner_id.overdue_amount",
        currency_field="dunning_currency_id",
        string="Overdue amount",
    )
    dunning_currency_id = fields.Many2one(
        related="partner_id.commercial_partner_id.dunning_currency_id"
    )
    dunning_hold = fields.Boolean(
        "Credit hold applies",
        compute="_compute_dunning_hold",
        help="The company holds orders of customers in this payment status.",
    )
    dunning_hold_override = fields.Boolean(
        "Credit hold overridden", copy=False, readonly=True, tracking=True
    )

    @api.depends("partner_id", "company_id", "dunning_status")
    def _compute_dunning_hold(self):
        for order in self:
            held = order.company_id._get_dunning_held_statuses()
            order.dunning_hold = order.dunning_status in held

    def _dunning_status_label(self):
        self.ensure_one()
        return dict(self._fields["dunning_status"]._description_selection(self.env)).get(
            self.dunning_status, ""
        )

    def action_confirm(self):
        blocked = self.filtered(lambda o: o.dunning_hold and not o.dunning_hold_override)
        if blocked:
            order = blocked[0]
            raise UserError(
                self.env._(
                    'Customer %(customer)s is in payment status "%(status)s" (%(amount)s '
                    "overdue): confirming this order needs an accounting manager's override.",
                    customer=order.partner_id.commercial_partner_id.display_name,
                    status=order._dunning_status_label(),
                    amount=format_amount(
                        self.env, order.dunning_overdue_amount, order.dunning_currency_id
                    ),
                )
            )
        return super().action_confirm()

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("dunning_hold_override") for vals in vals_list):
            self._check_can_override_hold()
        return super().create(vals_list)

    def write(self, vals):
        if "dunning_hold_override" in vals:
            self._check_can_override_hold()
        return super().write(vals)

    def _check_can_override_hold(self):
        """Server-side: only an accounting manager lifts a credit hold,
        whatever the path (button, API, import)."""
        if not self.env.su and not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(
                self.env._("Only an accounting manager can override the credit hold.")
            )

    def action_dunning_override_hold(self):
        self._check_can_override_hold()
        for order in self.filtered("dunning_hold"):
            order.dunning_hold_override = True
            order.message_post(
                body=self.env._(
                    "Credit hold overridden by %(user)s (customer in payment status "
                    '"%(status)s", %(amount)s overdue).',
                    user=self.env.user.name,
                    status=order._dunning_status_label(),
                    amount=format_amount(
                        self.env, order.dunning_overdue_amount, order.dunning_currency_id
                    ),
                )
            )
        return True
