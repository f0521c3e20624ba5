# The sending service first, then the files that extend it.
# ruff: noqa: I001
from . import account_dunning_sender
from . import account_dunning_sender_mail
from . import account_dunning_sender_letter
from . import mail_mail
from . import ir_qweb
