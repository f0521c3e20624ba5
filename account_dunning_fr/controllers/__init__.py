from . import einvoicing, portal, tracking
