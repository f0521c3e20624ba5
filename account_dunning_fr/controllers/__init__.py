from . import portal, tracking
