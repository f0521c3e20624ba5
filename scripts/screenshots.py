"""Take the README's screenshots from a running demo (make demo).

    python3 scripts/screenshots.py [base_url] [db] [name.png=/odoo/path ...]

Logs in as admin through JSON-RPC, then drives Debian's headless chromium
over the DevTools protocol (websocket-client) to save PNGs in
account_dunning_fr/static/description/.

SCREENSHOTS_LOGIN=paul shows the pages as that user (password = login),
e.g. a salesperson's view; an extra page's name with a "/" is a path from
the project's root (another add-on's static/description/); a path that is
a full URL (file:///tmp/email.html) is taken as is.
SCREENSHOTS_CLICK (a CSS selector) is clicked on each page before the shot,
e.g. a form's tab: 'a[name="dunning"]'.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069"
DB = sys.argv[2] if len(sys.argv) > 2 else "dunning_demo"
# A dashboard loads its own bundle and data after the page: SCREENSHOTS_WAIT
# (seconds per page) and SCREENSHOTS_WINDOW (width,height) give it time and room.
WAIT = float(os.environ.get("SCREENSHOTS_WAIT", "6"))
WINDOW = os.environ.get("SCREENSHOTS_WINDOW", "1440,900")
OUT = os.path.join(os.path.dirname(__file__), "..", "account_dunning_fr", "static", "description")
ACTION = "/odoo/action-account_dunning_fr."
PAGES = {
    "worklist.png": ACTION + "action_account_dunning_worklist",
    "partner_badge.png": "/odoo/action-account.res_partner_action_customer?view_type=list",
    "collector_worklist.png": ACTION + "action_account_dunning_collector_worklist",
    "dashboard.png": ACTION + "action_account_dunning_kpi",
    "ageing.png": ACTION + "action_account_dunning_ageing_report",
    "litigation_files.png": ACTION + "action_account_dunning_litigation_file",
    "answers.png": ACTION + "action_account_dunning_answer",
    "../../../l10n_fr_payment_delay/static/description/payment_delay_wizard.png": (
        "/odoo/action-l10n_fr_payment_delay.action_l10n_fr_payment_delay_report"
    ),
    "../../../l10n_fr_payment_delay/static/description/ecb_rates.png": (
        "/odoo/action-l10n_fr_payment_delay.action_account_dunning_ecb_rate"
    ),
}
# Extra pages given on the command line as name=path (e.g. a record's form);
# SCREENSHOTS_ONLY_EXTRA=1 takes those only.
if sys.argv[3:] and os.environ.get("SCREENSHOTS_ONLY_EXTRA"):
    PAGES.clear()
for extra in sys.argv[3:]:
    extra_name, extra_path = extra.split("=", 1)
    PAGES[extra_name] = extra_path


def login():
    login = password = os.environ.get("SCREENSHOTS_LOGIN") or "admin"
    payload = json.dumps(
        {"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": password}}
    ).encode()
    request = urllib.request.Request(
        BASE + "/web/session/authenticate", payload, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        cookie = response.headers["Set-Cookie"]
    return cookie.split("session_id=")[1].split(";")[0]


class Chrome:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + WINDOW,
                "--remote-debugging-port=9333",
                "--remote-allow-origins=*",
                "--user-data-dir=" + self.profile,
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json", timeout=5) as response:
                    targets = json.load(response)
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    session = login()
    chrome = Chrome()
    try:
        chrome.call("Network.enable")
        host = BASE.split("://")[1].split(":")[0]
        chrome.call("Network.setCookie", name="session_id", value=session, domain=host, path="/")
        # The first page compiles the asset bundles: let it finish.
        chrome.call("Page.navigate", url=BASE + "/odoo")
        time.sleep(15)
        for name, path in PAGES.items():
            # A full URL (file:// for an email's body saved to disk) as is.
            url = path if path.startswith(("http://", "https://", "file://")) else BASE + path
            chrome.call("Page.navigate", url=url)
            time.sleep(WAIT)
            if os.environ.get("SCREENSHOTS_CLICK"):
                chrome.call(
                    "Runtime.evaluate",
                    expression="document.querySelector(%s)?.click()"
                    % json.dumps(os.environ["SCREENSHOTS_CLICK"]),
                )
                time.sleep(2)
            shot = chrome.call("Page.captureScreenshot", format="png")
            if "/" in name:
                name = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", name))
            with open(os.path.join(OUT, name), "wb") as image:
                image.write(base64.b64decode(shot["data"]))
            print("saved", name)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
