"""Every built-in recognizer; importing this package registers them."""

from . import (  # noqa: F401
    application_number,
    case_code,
    count,
    date,
    duration,
    email,
    iban,
    id_number,
    phone,
    postcode,
    quantity,
    url,
)
