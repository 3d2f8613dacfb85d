"""Sanitizers: pseudonymize, mask, dp (from the least to the most protective). Importing this package registers them."""

from .base import SANITIZERS, Sanitized, Sanitizer, restore  # noqa: F401
from . import dp, mask, pseudonymize  # noqa: F401
