# By concept. Within each, a model's base file comes before the files that
# extend it.
# ruff: noqa: I001
from . import reporting
from . import policy
from . import receivable
from . import reminder
from . import sending
from . import answer
from . import legal
from . import plan
from . import collection
from . import night
from . import company
from . import einvoicing
