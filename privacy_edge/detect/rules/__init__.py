"""Rules: recognizers for what TAB annotators mask and spaCy's NER misses (titled names, initials,
nationalities, occupations, ages, organisations, addresses...). Importing this package registers them.
"""

from . import (  # noqa: F401
    acronym,
    address,
    age,
    cardinal,
    health,
    initials,
    introduced_name,
    judicial_name,
    nationality,
    occupation,
    organisation,
    titled_person,
)
