"""Every built-in recognizer; importing this package registers them."""

from . import application_number, date, email, iban, phone, quantity, url  # noqa: F401
