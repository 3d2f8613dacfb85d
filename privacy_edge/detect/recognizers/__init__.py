"""Every built-in recognizer; importing this package registers them."""

from . import (  # noqa: F401
    application_number,
    case_code,
    count,
    court_file_number,
    date,
    duration,
    email,
    iban,
    id_number,
    ip_address,
    national_id,
    payment_card,
    phone,
    postcode,
    quantity,
    spelled_number,
    url,
    username,
)
