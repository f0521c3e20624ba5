import base64

from odoo import http
from odoo.http import request

# A transparent 1x1 GIF.
PIXEL = base64.b64decode(b"R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
PIXEL_HEADERS = [
    ("Content-Type", "image/gif"),
    ("Content-Length", str(len(PIXEL))),
    # Every open must reach the server, not a cache on the way.
    ("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
]
# Session key: the reminder whose link was followed, until the customer
# reaches the portal (after signing in, maybe).
VISIT_SESSION_KEY = "account_dunning_fr_visit"


class DunningTracking(http.Controller):
    """The link and the pixel of reminder emails. Nothing is read as
    superuser before the token is checked; a wrong token or an unknown
    reminder records nothing and gets what anyone else gets."""

    @http.route(
        "/dunning/r/<int:action_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def dunning_link(self, action_id, token, **kw):
        action = request.env["account.dunning.action"]._get_tracked_action(action_id, token)
        if not action:
            return request.redirect("/my")
        action._record_tracking_event("click")
        request.session[VISIT_SESSION_KEY] = action.id
        return request.redirect(action._get_portal_path())

    @http.route(
        "/dunning/o/<int:action_id>/<string:token>.gif",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def dunning_pixel(self, action_id, token, **kw):
        action = request.env["account.dunning.action"]._get_tracked_action(action_id, token)
        if action:
            action._record_tracking_event("open")
        return request.make_response(PIXEL, headers=PIXEL_HEADERS)
