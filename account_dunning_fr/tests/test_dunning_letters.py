"""Letters rendered together are cut per reminder by their reference (a
link on its first page), and never cut when the references are not exactly where expected
(models/dunning_letters.py)."""

import io

from reportlab.pdfgen import canvas

from odoo.tests import BaseCase, tagged
from odoo.tools.pdf import PdfFileReader

from ..models.sending.dunning_letters import split_by_reference


def make_pdf(*pages, links=True):
    """One page per text; a "DUN-" word becomes a link to
    https://example.com/my/invoices?reference=<it>, as in a letter."""
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    for text in pages:
        pdf.drawString(72, 720, text)
        for position, word in enumerate(text.split()):
            if links and word.startswith("DUN-"):
                url = "https://example.com/my/invoices?reference=" + word
                pdf.linkURL(url, (72 + 100 * position, 700, 160 + 100 * position, 740))
        pdf.showPage()
    pdf.save()
    return stream.getvalue()


def page_texts(pdf):
    return [page.extract_text().strip() for page in PdfFileReader(io.BytesIO(pdf)).pages]


@tagged("post_install", "-at_install")
class TestSplitLetters(BaseCase):
    references = [(7, "DUN-000007"), (9, "DUN-000009")]

    def test_each_letter_gets_its_pages(self):
        pdf = make_pdf("Our reference: DUN-000007", "page two of the first letter", "DUN-000009")
        letters = split_by_reference(pdf, self.references)
        self.assertEqual(
            {key: page_texts(content) for key, content in letters.items()},
            {
                7: ["Our reference: DUN-000007", "page two of the first letter"],
                9: ["DUN-000009"],
            },
        )

    def test_nothing_is_cut_unless_each_reference_is_found_once_in_order(self):
        cases = {
            "order": make_pdf("DUN-000009", "DUN-000007"),
            "missing": make_pdf("DUN-000007", "no reference"),
            "twice": make_pdf("DUN-000007", "DUN-000009", "DUN-000009"),
            "text only": make_pdf("DUN-000007", "DUN-000009", links=False),
            "same page": make_pdf("DUN-000007 DUN-000009"),
            "not on page one": make_pdf("cover", "DUN-000007", "DUN-000009"),
        }
        for case, pdf in cases.items():
            with self.subTest(case):
                self.assertEqual(split_by_reference(pdf, self.references), {})
