from . import answer, einvoicing, portal, tracking
