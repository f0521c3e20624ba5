"""Reminder emails in the company's email layout, as Odoo's own customer
emails (mail.template email_layout_xmlid), rendered once per company and
language (models/dunning_email_layout.py)."""

import random
import textwrap
from unittest import TestCase

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


class TestPreviewText(TestCase):
    """The preview's text, shortened without textwrap, is textwrap's."""

    def test_shorten_is_textwraps_whatever_the_words(self):
        # Words that fit, long ones textwrap breaks, hyphenated ones it may
        # cut after their hyphen (without the hyphen rule, 192 of these
        # 12,000 cases differ).
        rnd = random.Random(25)
        words = [
            "a",
            "to",
            "Sauf",
            "erreur",
            "facture",
            "FAC/2026/00012",
            "1 200,00 €",
            "l'échéance",
            "bien-être",
            "ci-dessous",
            "Jean-Pierre",
            "--",
            "x" * 185,
            "y" * 200,
            "https://example.com/" + "z" * 190,
            "é" * 30,
        ]
        for _case in range(3000):
            text = " ".join(rnd.choice(words) for _i in range(rnd.randint(1, 60)))
            text = " ".join(text.split())
            for width in (190, 20, 6, 7):
                self.assertEqual(
                    email_layout.shorten(text, width),
                    textwrap.shorten(text, width),
                    (text, width),
                )

    def test_shorten_by_hand(self):
        # 37 words of 4 letters, 36 spaces: 184 characters, then the
        # placeholder: 190, as many as fit; one more letter and the last
        # word goes. 190 characters or fewer are kept whole.
        words = " ".join(["word"] * 37)
        self.assertEqual(email_layout.shorten(words + " more text", 190), words + " [...]")
        self.assertEqual(
            email_layout.shorten(words + "s more text", 190), " ".join(["word"] * 36) + " [...]"
        )
        self.assertEqual(email_layout.shorten(words + "s more", 190), words + "s more")
        self.assertEqual(email_layout.shorten("x" * 191, 190), "[...]")
        self.assertEqual(email_layout.shorten("short text", 190), "short text")

    def test_the_preview_reads_a_tag_cut_in_two_as_no_text(self):
        # 1,500 characters end inside <td style="...">: the text stops
        # before it, and there is enough of it for the preview.
        cell = '<td style="padding: 6px; border-bottom: 1px solid #eeeeee;">%s</td>'
        body = Markup("<div><p>%s</p>%s</div>") % (
            "Madame, Monsieur, " * 25,
            Markup("".join(cell % ("FAC/2026/%05d" % n) for n in range(60))),
        )
        whole = " ".join(email_layout.html_to_inner_content(body).split())
        self.assertEqual(email_layout.preview_of(body), textwrap.shorten(whole, 190))
        self.assertNotIn("<", email_layout.preview_of(body))
        # A short body is read whole.
        self.assertEqual(email_layout.preview_of(Markup("<p>Bonjour</p>")), "Bonjour")
