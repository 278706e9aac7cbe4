"""Loggers that cost the fast path nothing: records reach :mod:`logging` once it is in use.

``kg query``'s cold start does not import :mod:`logging` (about 20 ms): nothing on that path
needs it unless someone listens. A :class:`Log` hands its records to
``logging.getLogger(name)`` when :mod:`logging` has been imported (``kg -v`` configures it, and
so does any program that logs), and drops them otherwise, when no handler could show them.
Loggers are named ``kg.<subpackage>…`` (the module's ``__name__``), so ``kg -v`` shows them all.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Log"]

_DEBUG, _INFO, _WARNING = 10, 20, 30


class Log:
    """A logger by name, imported only when logging is in use.

    Args:
        name: The logger's name (a module's ``__name__``).
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def _emit(self, level: int, message: str, args: tuple[Any, ...]) -> None:
        logging = sys.modules.get("logging")
        if logging is not None:
            logger = logging.getLogger(self.name)
            if logger.isEnabledFor(level):
                logger.log(level, message, *args, stacklevel=3)

    def debug(self, message: str, *args: Any) -> None:
        """Log ``message % args`` at DEBUG."""
        self._emit(_DEBUG, message, args)

    def info(self, message: str, *args: Any) -> None:
        """Log ``message % args`` at INFO."""
        self._emit(_INFO, message, args)

    def warning(self, message: str, *args: Any) -> None:
        """Log ``message % args`` at WARNING."""
        self._emit(_WARNING, message, args)
