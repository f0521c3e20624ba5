"""Who may write a reminder's proof.

A sent reminder, its lines and its letter are the proof of what the
customer received (DESIGN rule 3): nobody changes or deletes them, whatever
the context or the API path. Only the add-on's own sending pipeline writes
the states and the records it produces, inside ``writing_proof()``. This is
a Python context variable, not a context key: no RPC caller, no ``sudo()``
and no ``with_context()`` can set it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

# What becomes of a reminder once sent: written by the tracking routes and
# the mail gateway only (dunning_proof.recording_delivery()), even on a
# sent reminder, whose proof they do not touch.
TRACKING_FIELDS = {
    "tracking_token",
    "first_opened",
    "open_count",
    "first_clicked",
    "click_count",
    "portal_visit_date",
    "email_undelivered",
    "email_undelivered_date",
    "email_undelivered_reason",
}
_WRITING_PROOF = ContextVar("account_dunning_fr_writing_proof", default=False)
# What became of a reminder once sent (opened, clicked, bounced) is recorded
# by the tracking routes and the mail gateway only, in this context.
_RECORDING_DELIVERY = ContextVar("account_dunning_fr_recording_delivery", default=False)


@contextmanager
def _raised(flag):
    token = flag.set(True)
    try:
        yield
    finally:
        flag.reset(token)


def writing_proof():
    return _raised(_WRITING_PROOF)


def is_writing_proof():
    return _WRITING_PROOF.get()


def recording_delivery():
    return _raised(_RECORDING_DELIVERY)


def is_recording_delivery():
    return _RECORDING_DELIVERY.get()
