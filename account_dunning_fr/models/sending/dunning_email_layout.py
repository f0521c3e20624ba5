"""Reminder emails in the company's email layout (logo, colours, footer).

mail.template._send_mail_batch wraps each body in the template's
``email_layout_xmlid`` with one QWeb rendering per email: measured 2.4 ms a
reminder (300 renderings of mail.mail_notification_light), about 5 s of a
2,000-customer night. The layout only varies by company and language, so
it is rendered once per pair around markers, and each email's body, name
and preview are put in its place: the same HTML, for about 0.1 ms.
"""

import textwrap

from markupsafe import Markup, escape

from odoo.tools.mail import html_to_inner_content

from .ir_qweb import compiled_once

BODY_MARK = "dunningLayoutBodyMark"
NAME_MARK = "dunningLayoutNameMark"
# The preview mail clients show beside the subject (mail.message.preview).
PREVIEW_CHARS = 190
PLACEHOLDER = " [...]"  # textwrap.shorten's
# The start of a body read for its preview: 1,000 characters held enough
# text for every body of a night (1,734 reminders; the HTML read in 0.05 s
# instead of 0.17 s), 4,000 when they do not.
PREVIEW_HTML_CHARS = (1000, 4000)


class LayoutFrame:
    """One rendering of a layout, cut where the preview, the record's name
    and the body go."""

    def __init__(self, html):
        body_slot = "<p>%s</p>" % BODY_MARK
        if html.count(body_slot) != 1 or html.count(BODY_MARK) != 2 or NAME_MARK not in html:
            raise ValueError("unexpected layout")
        before_body, self.after_body = html.split(body_slot)
        self.before_preview, self.before_name_and_body = before_body.split(BODY_MARK)

    def wrap(self, body, name, preview):
        # The layout prints the name with its slashes as dashes.
        middle = self.before_name_and_body.replace(NAME_MARK, str(escape(name.replace("/", "-"))))
        return Markup(
            "".join((self.before_preview, str(escape(preview)), middle, body, self.after_body))
        )


def render_layout(env, layout_xmlid, company, lang, model_name, body, name):
    """``body`` in the layout, as mail.template._send_mail_batch renders it
    (False when the layout does not exist)."""
    env = env(context=dict(env.context, lang=lang)) if lang else env
    context = {
        "message": env["mail.message"].sudo().new({"body": body, "record_name": name}),
        "subtype": env["mail.message.subtype"].sudo(),
        # "Your reminder" above the title, not the model's technical label.
        "model_description": env._("reminder"),
        "record": env[model_name],
        "record_name": False,
        "subtitles": False,
        "company": company,
        "email_add_signature": False,
        "signature": "",
        "website_url": "",
        "is_html_empty": lambda html: not html,
    }
    # Under compiled_once's lock: the night's threads frame their first
    # emails at the same moment, and each compiled the layout and its
    # preview in each language otherwise (Odoo's cache is filled by the
    # first to finish).
    with compiled_once():
        html = env["ir.qweb"]._render(
            layout_xmlid, context, minimal_qcontext=True, raise_if_not_found=False
        )
    return html and env["mail.render.mixin"]._replace_local_links(html)


def render_frame(env, layout_xmlid, company, lang, model_name):
    """The layout of ``company`` in ``lang`` around the markers, or None when
    it does not have the expected shape (then each email is rendered)."""
    html = render_layout(
        env, layout_xmlid, company, lang, model_name, Markup("<p>%s</p>" % BODY_MARK), NAME_MARK
    )
    try:
        return LayoutFrame(str(html)) if html else None
    except ValueError:
        return None


def preview_of(body):
    """mail.message's preview: the text of the body, shortened as
    ``textwrap.shorten(text, PREVIEW_CHARS)`` does. Its start is enough:
    the bodies run to 10 kB, and the text's first characters decide the
    preview (``decisive_length``)."""
    for size in PREVIEW_HTML_CHARS:
        text = " ".join(html_to_inner_content(html_start(body, size)).split())
        if len(body) <= size or len(text) >= decisive_length(text, PREVIEW_CHARS):
            break
    return shorten(text, PREVIEW_CHARS)


def html_start(body, size):
    """The first ``size`` characters of ``body``, less a tag or an entity
    cut in two (they would be read as text)."""
    start = body[:size]
    if len(body) > size:
        if start.rfind("<") > start.rfind(">"):
            start = start[: start.rfind("<")]
        if start.rfind("&") > start.rfind(";"):
            start = start[: start.rfind("&")]
    return start


def decisive_length(text, width):
    """How many of the first characters of ``text`` decide
    ``shorten(text, width)``: ``width + 1`` (whether it is longer than the
    width, and the words that fit), twice the width when textwrap does it."""
    return 2 * width if _words_end(text, width) is None else width + 1


def shorten(text, width):
    """``textwrap.shorten(text, width)`` of a text whose words are separated
    by single spaces, without wrapping it: the longest run of whole words
    that leaves room for the placeholder (0.11 s of a night's previews for
    textwrap, under 0.01 s)."""
    if len(text) <= width:
        return text
    end = _words_end(text, width)
    if end is None:
        # shorten() keeps the words that fit, then cuts: past twice the
        # width no word changes its result.
        return textwrap.shorten(text[: 2 * width], width)
    return text[:end] + PLACEHOLDER if end else PLACEHOLDER.lstrip()


def _words_end(text, width):
    """The length of the longest run of whole words of ``text`` that leaves
    room for the placeholder within ``width``; None when the word across
    that limit has a hyphen: textwrap may cut it there (``ci-dessous``),
    so it decides."""
    limit = width - len(PLACEHOLDER)
    end = text.rfind(" ", 0, limit + 1)
    if "-" in text[end + 1 : limit]:
        return None
    return max(end, 0)
