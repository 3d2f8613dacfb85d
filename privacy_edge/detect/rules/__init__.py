"""Rules: recognizers for what TAB annotators mask and spaCy's NER misses (titled names, initials,
nationalities, occupations, ages, organisations, addresses...). Importing this package registers them.
"""

from . import (  # noqa: F401
    acronym,
    address,
    age,
    cardinal,
    display_name,
    email_name,
    form_field,
    health,
    initials,
    introduced_name,
    judicial_name,
    name_shape,
    nationality,
    occupation,
    organisation,
    script_name,
    titled_person,
)
