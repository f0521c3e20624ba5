import logging

from odoo import http
from odoo.http import request

from ..core import cdar

_logger = logging.getLogger(__name__)

# HTTP status of a refused message, by reason (core/cdar.py error codes).
ERROR_STATUS = {
    cdar.NOT_XML: 400,
    cdar.NOT_CDAR: 400,
    cdar.INVALID: 400,
    cdar.TOO_LARGE: 413,
    cdar.UNKNOWN_CODE: 422,
    cdar.MISSING_DATA: 422,
}


class DunningEinvoicing(http.Controller):
    """A platform's webhook: one CDAR message per request, authenticated by
    the company's API key (``Authorization: Bearer <key>``). Answers JSON:
    200 with what was matched, 4xx with the reason; nothing is read as
    superuser before the key is checked, and a refused message changes
    nothing but the import log."""

    @http.route(
        "/dunning/einvoicing/cdar",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        sitemap=False,
    )
    def dunning_einvoicing_cdar(self, **kw):
        httprequest = request.httprequest
        company = request.env["res.company"]._dunning_einvoice_company_of_key(
            self._bearer(httprequest.headers.get("Authorization"))
        )
        if not company:
            return self._answer(
                401,
                {
                    "ok": False,
                    "error": "unauthorized",
                    "message": "Missing or wrong API key (Authorization: Bearer <key>).",
                },
                [("WWW-Authenticate", 'Bearer realm="dunning-einvoicing"')],
            )
        data = self._read_body(httprequest)
        Import = (
            request.env["account.dunning.einvoice.import"]
            .sudo()
            .with_company(company)
            .with_context(lang="en_US")
        )
        if data is None:
            record = Import._log(company, "request.xml", b"", "api")._refuse(
                (cdar.TOO_LARGE, "%s bytes." % httprequest.content_length)
            )
            record.file_size = httprequest.content_length or 0
            return self._answer(413, {"ok": False, **record._api_values()})
        records = Import._import_files(company, [("request.xml", data)], "api")
        return self._answer(*self._outcome(records))

    @staticmethod
    def _bearer(header):
        scheme, _sep, key = (header or "").strip().partition(" ")
        return key.strip() if scheme.lower() == "bearer" else ""

    @staticmethod
    def _read_body(httprequest):
        """The request's body, or None when its Content-Length is over the
        size a message may have: then it is not read at all. A body sent
        without a length reads as empty (a message then refused as not XML)."""
        length = httprequest.content_length
        if length is not None and length > cdar.MAX_BYTES:
            return None
        return httprequest.get_data(cache=False)

    @staticmethod
    def _outcome(records):
        """(HTTP status, JSON) of the files read: the first refusal, else a
        message naming another seller than the company (422), else 200."""
        values = [record._api_values() for record in records]
        body = values[0] if len(values) == 1 else {"files": values}
        refused = records.filtered(lambda record: record.state == "refused")[:1]
        if refused:
            return ERROR_STATUS.get(refused.error_code, 400), {
                "ok": False,
                **body,
                "error": refused.error_code,
                "message": refused.error_message,
            }
        other = records._for_another_company()[:1]
        if other:
            return 422, {
                "ok": False,
                **body,
                "error": other.unmatched_reason,
                "message": "The message names seller SIREN %s, not this company's (%s)."
                % (other.seller_siren, other.company_id._dunning_siren() or "none set"),
            }
        return 200, {"ok": True, **body}

    @staticmethod
    def _answer(status, values, headers=None):
        return request.make_json_response(values, headers=headers, status=status)
