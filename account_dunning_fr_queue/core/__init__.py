from . import sizing
