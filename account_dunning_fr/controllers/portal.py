from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core import instalments
from .form_input import FormError, FormReader, valid_id
from .tracking import VISIT_SESSION_KEY


class DunningPortal(CustomerPortal):
    """The customer's payment plans under /my: see them, download the
    agreement, pay the next instalment, ask for a plan."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        # The customer followed a reminder's link and reached the portal.
        action_id = request.session.pop(VISIT_SESSION_KEY, None)
        if action_id:
            request.env["account.dunning.action"].sudo().browse(
                action_id
            ).exists()._record_portal_visit(request.env.user)
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "payment_plan_count" in counters:
            Plan = request.env["account.dunning.payment.plan"]
            values["payment_plan_count"] = Plan.search_count([]) if Plan.has_access("read") else 0
        if "dunning_answer_count" in counters:
            Answer = request.env["account.dunning.answer"]
            values["dunning_answer_count"] = (
                Answer.search_count([]) if Answer.has_access("read") else 0
            )
        return values

    @http.route(["/my/payment_plans"], type="http", auth="user", website=True)
    def portal_my_payment_plans(self, **kw):
        return self._render_payment_plans(requested=kw.get("requested") == "1")

    def _render_payment_plans(self, requested=False, error=None, status=200):
        """The customer's plans and the request form; ``error``: why the
        request just sent was refused (nothing was created)."""
        plans = request.env["account.dunning.payment.plan"].search([], order="id desc")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "plans": plans,
                "page_name": "payment_plans",
                "open_invoices": self._get_open_invoices(),
                "requested": requested,
                "request_error": error,
                "max_instalments": instalments.MAX_INSTALMENTS,
            }
        )
        request.session["my_payment_plans_history"] = plans.ids[:100]
        return request.render("account_dunning_fr.portal_my_payment_plans", values, status=status)

    @http.route(["/my/dunning_answers"], type="http", auth="user", website=True)
    def portal_my_dunning_answers(self, **kw):
        """The customer's answers to reminders, and where its invoices stand."""
        answers = request.env["account.dunning.answer"].search([], order="create_date desc")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "answers": answers,
                "page_name": "dunning_answers",
                "invoices": answers.move_ids.sorted(lambda m: (m.invoice_date_due, m.id)),
            }
        )
        return request.render("account_dunning_fr.portal_my_dunning_answers", values)

    @http.route(["/my/payment_plans/<int:plan_id>"], type="http", auth="public", website=True)
    def portal_my_payment_plan(self, plan_id, access_token=None, report_type=None, download=False):
        if valid_id(plan_id) is None:
            return request.redirect("/my")
        try:
            plan_sudo = self._document_check_access(
                "account.dunning.payment.plan", plan_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=plan_sudo,
                report_type=report_type,
                report_ref="account_dunning_fr.action_report_payment_plan",
                download=download,
            )
        values = self._get_page_view_values(
            plan_sudo,
            access_token,
            {
                "plan": plan_sudo,
                "page_name": "payment_plan",
                "pay_url": self._get_instalment_payment_url(plan_sudo),
            },
            "my_payment_plans_history",
            False,
        )
        return request.render("account_dunning_fr.portal_my_payment_plan", values)

    @http.route(
        ["/my/payment_plans/request"], type="http", auth="user", methods=["POST"], website=True
    )
    def portal_request_payment_plan(self, **kw):
        _ = request.env._
        form = FormReader(request.env, request.httprequest.form)
        try:
            count = form.integer(
                "instalment_count", _("Instalments"), 1, instalments.MAX_INSTALMENTS, default=3
            )
            note = form.text("note", _("Your message"))
            move_ids = set(form.ids([key for key in form.form if key.startswith("invoice_")]))
            moves = self._get_open_invoices().filtered(lambda m: m.id in move_ids)
            if len(moves) != len(move_ids):
                raise FormError(_("One of the invoices chosen is not one of your unpaid invoices."))
            request.env["account.dunning.payment.plan"]._create_portal_request(
                request.env.user.partner_id, moves, count, note
            )
        except (FormError, UserError) as error:
            return self._render_payment_plans(error=str(error), status=400)
        return request.redirect("/my/payment_plans?requested=1")

    def _get_open_invoices(self):
        """The customer's own unpaid invoices not yet under an active plan,
        read with their access rights."""
        planned = request.env["account.dunning.payment.plan"].search([("state", "=", "active")])
        return request.env["account.move"].search(
            [
                ("dunning_open", "=", True),
                (
                    "commercial_partner_id",
                    "=",
                    request.env.user.partner_id.commercial_partner_id.id,
                ),
                ("id", "not in", planned.move_ids.ids),
            ]
        )

    def _get_instalment_payment_url(self, plan):
        """A payment link for the next instalment: online payment comes with
        the account_dunning_fr_payment bridge (account_payment)."""
        return False
