from . import core, models
from .hooks import uninstall_hook
