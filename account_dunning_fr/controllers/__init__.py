from . import answer, portal, tracking
