"""Reminder emails in the company's email layout, as Odoo's own customer
emails (mail.template email_layout_xmlid), rendered once per company and
language (models/dunning_email_layout.py)."""

from markupsafe import Markup

from odoo.tests import tagged

from ..models.sending import dunning_email_layout as email_layout
from .common import DunningCase

LAYOUT = "mail.mail_notification_light"


@tagged("post_install", "-at_install")
class TestEmailLayout(DunningCase):
    def test_reminder_comes_in_the_company_layout_in_the_customers_language(self):
        self.customer.lang = "fr_FR"
        invoice = self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        self.assertEqual(action.level_id.mail_template_id.email_layout_xmlid, LAYOUT)
        html = action.mail_id.body_html
        # The layout's frame: the company's footer, the record's name as title.
        self.assertIn("<b>%s</b>" % self.company.name, html)
        french_name = action.with_context(lang="fr_FR").display_name
        self.assertIn("Première relance", french_name)
        self.assertIn(french_name.replace("/", "-"), html)
        self.assertIn("Votre relance", html)
        # One page, the body in French after the preview mail clients show
        # beside the subject (the body's first words, hidden).
        self.assertEqual(html.count("<html"), 1)
        preview = html.split("Sauf erreur de notre part")[0]
        self.assertIn("display: none", preview)
        self.assertIn(invoice.name, html.split(french_name.replace("/", "-"))[-1])

    def test_one_rendering_per_company_and_language_gives_odoos_html(self):
        """The frame filled in is, to the character, what rendering the
        layout around each body (mail.template._send_mail_batch) gives."""
        self.customer.lang = "fr_FR"
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        body = Markup("<div><p>Madame, Monsieur,</p><p>Facture FAC/2026/0001 & co</p></div>")
        odoo_way = email_layout.render_layout(
            self.env, LAYOUT, self.company, "fr_FR", action._name, body, action.display_name
        )
        frame = email_layout.render_frame(self.env, LAYOUT, self.company, "fr_FR", action._name)
        self.assertIsNotNone(frame)
        ours = frame.wrap(body, action.display_name, email_layout.preview_of(body))
        self.assertEqual(str(ours), str(odoo_way))

    def test_the_preview_of_a_long_body_is_odoos(self):
        """A body longer than the preview is cut where mail.message's preview
        cuts it, whatever its words."""
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        action = self._actions(self.customer)
        frame = email_layout.render_frame(self.env, LAYOUT, self.company, "en_US", action._name)
        words = " ".join("word%s" % n for n in range(120))
        for text in (
            words,
            "Dear   customer,\n" + "a " * 94 + "b" * 300,
            "x" * 500,
            "tiny " * 38,
            "tiny " * 38 + "z",
        ):
            body = Markup("<div><p>%s</p><p>%s</p></div>") % (text, words)
            odoo_way = email_layout.render_layout(
                self.env, LAYOUT, self.company, "en_US", action._name, body, action.display_name
            )
            ours = frame.wrap(body, action.display_name, email_layout.preview_of(body))
            self.assertEqual(str(ours), str(odoo_way))

    def test_a_layout_of_another_shape_is_rendered_email_by_email(self):
        # mail.mail_notification_layout prints the body with the message's
        # other parts: not the expected frame, so each email is rendered.
        frame = email_layout.render_frame(
            self.env, "account_dunning_fr.no_such_layout", self.company, "en_US", "res.partner"
        )
        self.assertIsNone(frame)
        template = self.level_1.mail_template_id
        template.email_layout_xmlid = "account_dunning_fr.no_such_layout"
        self._invoice(self.customer, 300.0, days_late=1)
        self._run(partners=self.customer)
        # Sent without a layout rather than not at all (as Odoo does).
        action = self._actions(self.customer)
        self.assertEqual(action.state, "sent")
        self.assertIn("Unless we are mistaken", action.mail_id.body_html)
        self.assertNotIn("<html", action.mail_id.body_html)
