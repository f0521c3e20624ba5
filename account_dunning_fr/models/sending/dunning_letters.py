"""Letters of a batch rendered in one wkhtmltopdf call, then cut per reminder.

wkhtmltopdf takes about a second to start whatever it prints: one call per
letter cost 1.1 s each (benchmark). Odoo prints a multi-record report as one
input document per record, which a wkhtmltopdf built on unpatched Qt
(Debian's) refuses. Here the letters go in one document, a page break
between them, and the PDF is cut where each letter's reference is: a link
on its first page (a link is read at once in the PDF, its text needs costly
parsing). Whatever goes wrong, the caller renders the letters one by one: a
letter is never cut wrongly.
"""

import io
import logging

import lxml.html
from lxml import etree

from odoo import tools
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from ...tools import bulk

_logger = logging.getLogger(__name__)


def renders_html(report):
    """Odoo renders HTML instead of PDF in a test database, unless asked
    (ir.actions.report._pre_render_qweb_pdf)."""
    testing = tools.config["test_enable"] or tools.config["test_file"]
    return testing and not report.env.context.get("force_report_rendering")


def render_together(actions, report):
    """{action id: PDF} of the letters of ``actions``; empty when they are
    to be rendered one by one (a single letter, HTML rendering, a failure,
    references not found as expected), and with the system parameter
    ``account_dunning_fr.orm_writes``: each letter is then Odoo's own
    ``_render_qweb_pdf`` of its reminder."""
    if len(actions) < 2 or renders_html(report) or bulk.orm_writes(actions.env):
        return {}
    report = report.with_context(debug=False)
    try:
        with actions.env.cr.savepoint():
            html = report._render_qweb_html(
                report.report_name, actions.ids, data={"report_type": "pdf", "debug": False}
            )[0]
            bodies, html_ids, header, footer, paperformat_args = report._prepare_html(
                html, report_model=report.model
            )
            if html_ids != actions.ids:
                return {}
            pdf = report._run_wkhtmltopdf(
                [join_bodies(bodies)],
                report_ref=report.report_name,
                header=header,
                footer=footer,
                specific_paperformat_args=paperformat_args,
            )
    except Exception as error:  # noqa: BLE001 - each letter is then rendered alone
        _logger.info("Dunning letters rendered one by one: %s", error)
        return {}
    return split_by_reference(
        pdf, [(action.id, action._get_letter_reference()) for action in actions]
    )


def join_bodies(bodies):
    """One HTML document holding the articles of Odoo's per-record bodies
    (web.minimal_layout), each after a page break."""
    document = lxml.html.fromstring(bodies[0])
    body_node = document.xpath("//body")[0]
    for body in bodies[1:]:
        etree.SubElement(body_node, "div", style="page-break-before: always;")
        body_node.extend(lxml.html.fromstring(body).xpath("//body")[0])
    return "<!DOCTYPE html>" + lxml.html.tostring(document, encoding="unicode")


def page_links(page):
    """The URIs of a PDF page's links: reading them costs nothing, where
    extracting a page's text costs 0.4 s (measured on a letter)."""
    uris = []
    for annotation in page.get("/Annots") or []:
        action = annotation.get_object().get("/A") or {}
        if action.get("/URI"):
            uris.append(str(action["/URI"]))
    return uris


def split_by_reference(pdf, references):
    """{id: PDF} cut from ``pdf`` where the link carrying each (id,
    reference) of ``references`` is, in order, the first on page one; empty
    unless each reference is found on exactly one page, in that order."""
    reader = PdfFileReader(io.BytesIO(pdf))
    starts = []
    for number, page in enumerate(reader.pages):
        links = page_links(page)
        found = [
            (number, key)
            for key, reference in references
            if any(link.endswith("=" + reference) for link in links)
        ]
        if len(found) > 1:
            return {}
        starts += found
    if [key for _number, key in starts] != [key for key, _reference in references]:
        return {}
    if starts[0][0] != 0:
        return {}
    ends = [number for number, _key in starts[1:]] + [len(reader.pages)]
    letters = {}
    for (first, key), end in zip(starts, ends, strict=True):
        writer = PdfFileWriter()
        for number in range(first, end):
            writer.add_page(reader.pages[number])
        stream = io.BytesIO()
        writer.write(stream)
        letters[key] = stream.getvalue()
    return letters
