"""Sanitizers by complexity: pseudonymize (1), mask (2), dp (3). Importing this package registers them."""

from .base import SANITIZERS, Sanitized, Sanitizer, restore  # noqa: F401
from . import dp, mask, pseudonymize  # noqa: F401
