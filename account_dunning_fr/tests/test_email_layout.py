"""Reminder emails in the company's email layout, as Odoo's own customer
emails (mail.template email_layout_xmlid), rendered once per company and
language (models/dunning_email_layout.py)."""

import random
import textwrap
from unittest import TestCase
from unittest.mock import patch

from lxml import etree
from markupsafe import Markup

from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQWeb

from ..models.sending import account_dunning_sender_mail as sender_mail
from ..models.sending import dunning_email_layout as email_layout
from ..models.sending import ir_qweb
from ..tools import bulk
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


@tagged("post_install", "-at_install")
class TestBodiesInOneLoop(DunningCase):
    """The bodies of a batch rendered in one QWeb loop are, to the byte, those
    of mail's qweb_view engine (their ORM twin)."""

    def setUp(self):
        super().setUp()
        self.customer.lang = "fr_FR"
        self.customer_3 = self._customer("Imprimerie Leroy SA")
        for partner, amounts in (
            (self.customer, (300.0, 120.5)),
            (self.customer_2, (80.0,)),
            (self.customer_3, (1250.0, 99.99, 42.0)),
        ):
            for amount in amounts:
                self._invoice(partner, amount, days_late=20)
        self._pay_unmatched(self.customer_3, 50.0)
        self._run(partners=self.customer | self.customer_2 | self.customer_3)
        self.actions = (
            self._actions(self.customer)
            | self._actions(self.customer_2)
            | self._actions(self.customer_3)
        )
        self.sender = self.env["account.dunning.sender"]

    def _both_ways(self, actions):
        """{lang: (one loop, Odoo's engine)} of the reminders' bodies."""
        template = actions.level_id.mail_template_id.sudo()
        view = self.sender._get_body_view(template)
        self.assertTrue(view)
        render = self.env["mail.render.mixin"].sudo()
        result = {}
        for lang, (_tpl, ids) in template._classify_per_lang(actions.ids).items():
            render_lang = render.with_context(lang=lang)
            context = sender_mail.BatchFormats(render_lang.env).render_context()
            records = actions.browse(ids)
            result[lang] = (
                self.sender._render_view_in_one_loop(render_lang, view, records, context),
                render_lang._render_template(
                    view.id, records._name, ids, engine="qweb_view", add_context=context
                ),
            )
        return result

    def test_one_loop_renders_odoos_bytes_in_each_language(self):
        self.assertEqual(len(self.actions), 3)
        self.assertEqual(len(self.actions.level_id), 1)
        both = self._both_ways(self.actions)
        self.assertEqual(set(both), {"fr_FR", "en_US"})
        for lang, (ours, odoos) in both.items():
            self.assertEqual(set(ours), set(odoos), lang)
            for action_id, body in odoos.items():
                self.assertEqual(str(ours[action_id]), str(body), lang)
        french = both["fr_FR"][0][self._actions(self.customer).id]
        self.assertIn("Sauf erreur de notre part", french)
        self.assertIn("120,50", french)
        # The mail queued by the night carries that body.
        self.assertIn(str(french), self._actions(self.customer).mail_id.body_html)

    def test_one_loop_compiles_each_called_view_once(self):
        # Three reminders, each body calling three parts: Odoo is asked for
        # the level's view and each part once in the loop, not once per
        # reminder; outside the loop, every t-call asks it again.
        compiled = []

        def count(qweb, template):
            compiled.append(template)
            return original(qweb, template)

        original = IrQWeb._compile
        with patch.object(IrQWeb, "_compile", autospec=True, side_effect=count):
            both = self._both_ways(self.actions)
        ours, odoos = both["en_US"]
        self.assertEqual(set(ours), set(odoos))
        called = [template for template in compiled if not isinstance(template, etree._Element)]
        level_view = self.sender._get_body_view(self.actions.level_id.mail_template_id)
        parts = [
            "account_dunning_fr.mail_body_dunning_situation",
            "account_dunning_fr.mail_body_dunning_lines",
            "account_dunning_fr.mail_body_dunning_payment",
        ]
        # Per language: one lookup of each in the loop; Odoo's engine, one
        # per reminder of the language (fr_FR: 1, en_US: 2).
        self.assertEqual(called.count(level_view.id), 2 + 3)
        for part in parts:
            self.assertEqual(called.count(part), 2 + 3, part)
        self.assertIsNone(ir_qweb._COMPILED.get())

    def test_one_loop_keeps_its_qweb_for_the_calls_without_options(self):
        qweb = self.env["ir.qweb"]
        self.assertIsNot(qweb.with_context(), qweb)
        with ir_qweb.compiled_once():
            self.assertIs(qweb.with_context(), qweb)
            self.assertEqual(qweb.with_context(lang="fr_FR").env.lang, "fr_FR")
        self.assertIsNot(qweb.with_context(), qweb)

    def test_the_layout_is_compiled_under_the_lock_of_one_rendering(self):
        # The night's threads frame their first emails at the same moment:
        # the layout is compiled within compiled_once(), whose lock lets one
        # of them compile it while the other waits for Odoo's cache.
        compiled = []

        def record(qweb, template):
            compiled.append((template, ir_qweb._COMPILED.get() is not None))
            return original(qweb, template)

        original = IrQWeb._compile
        with patch.object(IrQWeb, "_compile", autospec=True, side_effect=record):
            email_layout.render_frame(self.env, LAYOUT, self.company, "fr_FR", self.actions._name)
        self.assertIn((LAYOUT, True), compiled)
        self.assertNotIn((LAYOUT, False), compiled)
        self.assertIsNone(ir_qweb._COMPILED.get())

    def test_the_compiled_views_do_not_outlive_their_rendering(self):
        with self.assertRaises(ValueError), ir_qweb.compiled_once():
            self.assertEqual(ir_qweb._COMPILED.get(), {})
            raise ValueError("the rendering failed")
        self.assertIsNone(ir_qweb._COMPILED.get())

    def test_a_view_that_prints_the_mark_goes_to_odoos_engine(self):
        # A mark the bodies print: the loop's output does not cut into one
        # body per reminder, so Odoo's engine renders them.
        with patch.object(sender_mail, "BODY_END", "</p>"):
            both = self._both_ways(self.actions)
            for _lang, (ours, _odoos) in both.items():
                self.assertIsNone(ours)
            template = self.actions.level_id.mail_template_id.sudo()
            bodies, _langs = self.sender._render_bodies(
                self.actions, template, self.sender._get_body_view(template)
            )
        for action in self.actions:
            self.assertIn(str(bodies[action.id]), action.mail_id.body_html)

    def test_the_parameter_renders_with_odoos_engine(self):
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "1")
        template = self.actions.level_id.mail_template_id.sudo()
        with patch.object(
            type(self.sender), "_render_view_in_one_loop", side_effect=AssertionError("loop")
        ):
            bodies, _langs = self.sender._render_bodies(
                self.actions, template, self.sender._get_body_view(template)
            )
        for action in self.actions:
            self.assertIn(str(bodies[action.id]), action.mail_id.body_html)

    def test_default_sender_and_recipients_are_odoos(self):
        # The batch's sender and recipients (_template_values) are what the
        # template's expressions give, record by record: an invoicing
        # contact, the customer itself, the company's email or the user's.
        contact = self.env["res.partner"].create(
            {
                "name": "Comptabilité Leroy",
                "type": "invoice",
                "parent_id": self.customer_3.id,
                "email": "compta@leroy.example.com",
            }
        )
        self.env["ir.config_parameter"].sudo().set_param(bulk.ORM_WRITES_PARAM, "0")
        template = self.actions.level_id.mail_template_id.sudo()
        self.assertEqual(template.email_from, sender_mail.DEFAULT_EMAIL_FROM)
        self.assertEqual(template.partner_to, sender_mail.DEFAULT_PARTNER_TO)
        self.env.user.email = "recouvrement@example.com"
        for company_email, sender in (
            ("compta@example.com", '"%s" <compta@example.com>' % self.company.name),
            (False, '"%s" <recouvrement@example.com>' % self.env.user.name),
        ):
            self.company.partner_id.email = company_email
            self.env.invalidate_all()
            ours = self.sender._template_values(self.actions, template)
            odoos = template._generate_template(self.actions.ids, sender_mail.RENDERED_FIELDS)
            self.assertEqual(set(ours), set(self.actions.ids))
            for action in self.actions:
                mine, theirs = dict(ours[action.id]), dict(odoos[action.id])
                self.assertEqual(sorted(mine.pop("partner_ids")), sorted(theirs.pop("partner_ids")))
                self.assertEqual(mine, theirs)
                self.assertEqual(mine["email_from"], sender)
        self.assertEqual(ours[self._actions(self.customer_3).id]["partner_ids"], contact.ids)
        self.assertEqual(ours[self._actions(self.customer).id]["partner_ids"], self.customer.ids)

    def test_subject_and_language_render_without_safe_eval(self):
        # Listed in mail_allowed_qweb_expressions: read as fields, the same
        # text, no expression compiled per reminder. email_from and
        # partner_to call code, so they still go through safe_eval.
        template = self.actions.level_id.mail_template_id.sudo()
        render = type(self.env["mail.render.mixin"])
        calls = []
        real = render._render_template_inline_template_regex

        def spy(mixin, template_txt, model, res_ids):
            calls.append(template_txt)
            return real(mixin, template_txt, model, res_ids)

        with patch.object(render, "_render_template_inline_template_regex", spy):
            subjects = template._render_field("subject", self.actions.ids)
            langs = template._render_lang(self.actions.ids)
        self.assertEqual(calls, [template.subject, template.lang])
        for action in self.actions:
            self.assertEqual(subjects[action.id], "%s: payment reminder" % self.company.name)
        self.assertEqual(langs[self._actions(self.customer).id], "fr_FR")
        self.assertEqual(langs[self._actions(self.customer_2).id], "en_US")
        self.assertEqual(action.mail_id.subject, subjects[action.id])


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
