from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_penalty_rate_mode = fields.Selection(
        related="company_id.dunning_penalty_rate_mode", readonly=False
    )
    dunning_year_basis = fields.Selection(related="company_id.dunning_year_basis", readonly=False)
    dunning_imputation = fields.Selection(related="company_id.dunning_imputation", readonly=False)
    dunning_contractual_rate = fields.Float(
        related="company_id.dunning_contractual_rate", readonly=False
    )
    dunning_payment_term_method = fields.Selection(
        related="company_id.dunning_payment_term_method", readonly=False
    )
    dunning_prescription_alert_days = fields.Integer(
        related="company_id.dunning_prescription_alert_days", readonly=False
    )
    dunning_notice_receipt_alert_days = fields.Integer(
        related="company_id.dunning_notice_receipt_alert_days", readonly=False
    )
    dunning_penalty_account_id = fields.Many2one(
        related="company_id.dunning_penalty_account_id", readonly=False
    )
    dunning_indemnity_account_id = fields.Many2one(
        related="company_id.dunning_indemnity_account_id", readonly=False
    )
    dunning_active = fields.Boolean(related="company_id.dunning_active", readonly=False)
    dunning_min_amount = fields.Monetary(
        related="company_id.dunning_min_amount", readonly=False, currency_field="currency_id"
    )
    dunning_bank_guard_days = fields.Integer(
        related="company_id.dunning_bank_guard_days", readonly=False
    )
    dunning_responsible_id = fields.Many2one(
        related="company_id.dunning_responsible_id", readonly=False
    )
    dunning_cc_salesperson = fields.Boolean(
        related="company_id.dunning_cc_salesperson", readonly=False
    )
    dunning_track_links = fields.Boolean(related="company_id.dunning_track_links", readonly=False)
    dunning_pixel_business = fields.Boolean(
        related="company_id.dunning_pixel_business", readonly=False
    )
    dunning_pixel_consumer = fields.Boolean(
        related="company_id.dunning_pixel_consumer", readonly=False
    )
    dunning_answer_paid_hold_days = fields.Integer(
        related="company_id.dunning_answer_paid_hold_days", readonly=False
    )
    dunning_cost_email = fields.Monetary(
        related="company_id.dunning_cost_email", readonly=False, currency_field="currency_id"
    )
    dunning_cost_letter = fields.Monetary(
        related="company_id.dunning_cost_letter", readonly=False, currency_field="currency_id"
    )
    dunning_cost_registered_letter = fields.Monetary(
        related="company_id.dunning_cost_registered_letter",
        readonly=False,
        currency_field="currency_id",
    )
    dunning_cost_sms = fields.Monetary(
        related="company_id.dunning_cost_sms", readonly=False, currency_field="currency_id"
    )
    dunning_call_minutes = fields.Float(related="company_id.dunning_call_minutes", readonly=False)
    dunning_hourly_cost = fields.Monetary(
        related="company_id.dunning_hourly_cost", readonly=False, currency_field="currency_id"
    )
