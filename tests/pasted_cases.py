"""Invented inputs of the kinds people paste into a chat with a model, each with the identifiers that
must not leave the edge: structured records (JSON, CSV, forms), e-mail headers, messages, markup and
links, other scripts, values written in pieces. Judged by tests/egress_judge.py. Names, numbers and
addresses are invented; none is a real person's.

``LOOKALIKES`` are texts whose listed words identify nobody and should stay as written (products,
apps, office tools, occupations, everyday words that look like names, common words of other
scripts): a masked one is over-masking, counted, not a leak.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    category: str
    text: str
    secrets: tuple[str, ...]
    question: str = "Summarise this for me."


CASES = [
    # -- JSON ----------------------------------------------------------------------------------
    Case("json", '{"name": "Mehmet Kaya", "city": "Eskişehir", "phone": "+90 532 418 27 63"}',
         ("Mehmet Kaya", "Kaya", "Eskişehir", "532 418 27 63")),
    Case("json", 'Can you fix this record? {"first_name": "Agnieszka", "last_name": "Wróbel", "dob": "1984-03-17"}',
         ("Agnieszka", "Wróbel", "1984-03-17")),
    Case("json", '[{"id": 1, "customer": "Tomasz Nowicki", "email": "t.nowicki@posta.example"},\n'
                 ' {"id": 2, "customer": "Helga Brandt", "email": "hbrandt@mail.example"}]',
         ("Tomasz Nowicki", "Nowicki", "Helga Brandt", "Brandt", "t.nowicki@posta.example", "hbrandt@mail.example")),
    Case("json", '{"patient": {"full_name": "Olusegun Adeyemi", "nhs_number": "943 476 5919", "ward": "B4"}}',
         ("Olusegun Adeyemi", "Adeyemi", "943 476 5919")),
    Case("json", '{"name": "J\\u00fcrgen Wei\\u00df", "town": "G\\u00f6ttingen"}',
         ("Jürgen", "Weiß", "Göttingen", "J\\u00fcrgen", "Wei\\u00df")),
    Case("json", "{'contact': 'Rosa Villanueva', 'mobile': '0612345678'}", ("Rosa Villanueva", "Villanueva", "0612345678")),
    Case("json", '{"user": {"login": "kmarsh", "display_name": "Kieran Marsh", "ip": "203.0.113.45"}}',
         ("Kieran Marsh", "Marsh", "203.0.113.45")),
    # -- CSV / TSV -----------------------------------------------------------------------------
    Case("csv", "name,surname,city,birth_date\nLucia,Ferrante,Bologna,1990-11-02\nPaolo,Rinaldi,Modena,1987-05-30",
         ("Lucia", "Ferrante", "Bologna", "1990-11-02", "Paolo", "Rinaldi", "Modena", "1987-05-30")),
    Case("csv", "Here is the export:\nEmployee;Department;Phone\nSvetlana Orlova;Finance;+7 915 204 33 81\n"
                "Dmitri Lebedev;IT;+7 926 118 09 47",
         ("Svetlana Orlova", "Orlova", "+7 915 204 33 81", "Dmitri Lebedev", "Lebedev", "+7 926 118 09 47")),
    Case("csv", "first\tlast\temail\nNadia\tBenali\tnadia.benali@courriel.example\nYves\tMorel\tymorel@courriel.example",
         ("Nadia", "Benali", "nadia.benali@courriel.example", "Yves", "Morel", "ymorel@courriel.example")),
    Case("csv", "Can you sort these? Oksana Hrytsenko, Lviv, 12.04.1979\nPetro Savchuk, Kharkiv, 03.09.1981",
         ("Oksana Hrytsenko", "Hrytsenko", "Lviv", "12.04.1979", "Petro Savchuk", "Savchuk", "Kharkiv", "03.09.1981")),
    # -- forms (key: value) --------------------------------------------------------------------
    Case("form", "Surname: Lindqvist\nGiven names: Maja Elin\nDate of birth: 22/07/1995\nPassport: 91822734",
         ("Lindqvist", "Maja Elin", "22/07/1995", "91822734")),
    Case("form", "Applicant name - Ricardo Mendes\nAddress - Rua das Flores 112, Porto\nTax no. - 231 456 789",
         ("Ricardo Mendes", "Mendes", "Rua das Flores 112", "231 456 789")),
    Case("form", "NAME: GEORGIOS PAPADAKIS\nNATIONALITY: Greek\nPHONE: 210 555 0143",
         ("GEORGIOS PAPADAKIS", "Papadakis", "210 555 0143")),
    Case("form", "Patient: Fatima Zahra El Idrissi | DOB 1968-01-09 | MRN 00482915",
         ("Fatima Zahra El Idrissi", "Idrissi", "1968-01-09", "00482915")),
    Case("form", "Vorname: Katharina\nNachname: Vogelsang\nWohnort: Regensburg", ("Katharina", "Vogelsang", "Regensburg")),
    Case("form", "Nom : Lefebvre\nPrénom : Élodie\nTéléphone : 06 12 34 56 78", ("Lefebvre", "Élodie", "06 12 34 56 78")),
    # -- e-mail --------------------------------------------------------------------------------
    Case("email", 'From: "Piotr Zieliński" <pz@firma.example>\nTo: "Anna Kowalczyk" <anna.k@firma.example>\n'
                  "Subject: contract\n\nPlease see the attached draft.",
         ("Piotr Zieliński", "Zieliński", "pz@firma.example", "Anna Kowalczyk", "Kowalczyk", "anna.k@firma.example")),
    Case("email", "From: Harriet Okafor <h.okafor@clinic.example>\nSent: Monday\nCc: Dev Raman <dev.raman@clinic.example>\n"
                  "Hi team, the results are in.",
         ("Harriet Okafor", "Okafor", "h.okafor@clinic.example", "Dev Raman", "Raman", "dev.raman@clinic.example")),
    Case("email", "On Tue, 4 Mar 2025 at 10:12, Bruno Carvalho <bruno.carvalho@mail.example> wrote:\n> see you then",
         ("Bruno Carvalho", "Carvalho", "bruno.carvalho@mail.example")),
    Case("email", "Kind regards,\nSiobhan Gallagher\nSenior Paralegal\nTel. 01 662 4471", ("Siobhan Gallagher", "Gallagher", "01 662 4471")),
    # -- chat messages -------------------------------------------------------------------------
    Case("message", "hey its marina sokolova, can u check my claim? my number is 07700 900461",
         ("marina sokolova", "sokolova", "07700 900461")),
    Case("message", "hi! i'm jonas berg from the uppsala office, my employee id is 40-2277",
         ("jonas berg", "berg", "40-2277")),
    Case("message", "this is aleksander nowak speaking, call me back on 601 234 567",
         ("aleksander nowak", "nowak", "601 234 567")),
    Case("message", "[10:42] Priya Natarajan: did the bank reply?\n[10:43] Leo Hartmann: not yet",
         ("Priya Natarajan", "Natarajan", "Leo Hartmann", "Hartmann")),
    Case("message", "@maria.gonzalez84 can you forward this to teresa?", ("maria.gonzalez84",)),
    Case("message", "my husband tariq hussain was arrested on 3 june in bradford", ("tariq hussain", "hussain")),
    Case("message", "Text from Grandma Ingrid Solberg: the parcel is at Storgata 14", ("Ingrid Solberg", "Solberg", "Storgata 14")),
    # -- markup and links ----------------------------------------------------------------------
    Case("markup", '<img src="p.jpg" alt="Photo of Amara Diallo" title="Amara Diallo, 2019">',
         ("Amara Diallo", "Diallo")),
    Case("markup", '<a href="https://social.example/profile/lukas.hofer" title="Lukas Hofer">profile</a>',
         ("lukas.hofer", "Lukas Hofer", "Hofer")),
    Case("markup", "Her page is example.org/users/irina.volkova and her blog is blog.example/irina-volkova",
         ("irina.volkova", "irina-volkova")),
    Case("markup", "search?q=Nikos%20Antoniou&lang=en", ("Nikos Antoniou", "Antoniou")),
    Case("markup", "| Name | Role |\n| --- | --- |\n| Chiara Lombardi | witness |\n| Enzo Bassi | expert |",
         ("Chiara Lombardi", "Lombardi", "Enzo Bassi", "Bassi")),
    Case("markup", '<input name="surname" value="Haugland"><input name="city" value="Tromsø">', ("Haugland", "Tromsø")),
    # -- other scripts -------------------------------------------------------------------------
    Case("script", "Заявитель Иван Сергеевич Коваленко проживает в Харькове.",
         ("Иван Сергеевич Коваленко", "Коваленко", "Харькове")),
    Case("script", "The applicant, Олена Бондар, was born in Житомир in 1975.", ("Олена Бондар", "Бондар", "Житомир")),
    Case("script", "Ο προσφεύγων Νικόλαος Παπαδόπουλος κατοικεί στη Λάρισα.", ("Νικόλαος Παπαδόπουλος", "Παπαδόπουλος")),
    Case("script", "Başvurucu Ayşe Yıldırım, 1982 doğumlu, Kayseri'de yaşıyor.", ("Ayşe Yıldırım", "Yıldırım", "Kayseri")),
    Case("script", "Skarżący Grzegorz Brzęczyszczykiewicz mieszka w Łodzi.", ("Grzegorz Brzęczyszczykiewicz", "Brzęczyszczykiewicz")),
    # -- values in pieces and other layouts ----------------------------------------------------
    Case("pieces", "Her car, registration KA 4471 TC, was towed from the square.", ("KA 4471 TC",)),
    Case("pieces", "The van with plate number B-MX 2231 was seen near the depot.", ("B-MX 2231",)),
    Case("pieces", "You can reach him on zero seven seven zero zero nine zero zero one two three.",
         ("zero seven seven zero zero nine zero zero one two three",)),
    Case("pieces", "The suspect signed as D.R.A.G.A.N. K.O.V.A.C. on the form.", ("DRAGAN", "KOVAC")),
    Case("pieces", "Call 020-7946-0958 or 02079460958 or +44 (0)20 7946 0958 for Mrs Okonkwo.",
         ("020-7946-0958", "Okonkwo")),
    Case("pieces", "His PESEL is 85030512345 and his postcode 31-042 Kraków.", ("85030512345", "31-042")),
    Case("pieces", "IBAN: DE44 5001 0517 5407 3249 31, account holder Rainer Schütz", ("DE44 5001 0517 5407 3249 31", "Rainer Schütz", "Schütz")),
    Case("pieces", "Meet at 221B Baker Street, London NW1 6XE, flat 3.", ("221B Baker Street", "NW1 6XE")),
    Case("pieces", "Born 7th of October 1963 in Tartu, Mr Kask moved in 1991.", ("7th of October 1963", "Kask", "Tartu")),
    Case("pieces", "Card 4539 1488 0343 6467, exp 09/27, name on card L. PETERSEN", ("4539 1488 0343 6467", "PETERSEN")),
    Case("pieces", "SSN 529-44-8172 belongs to Dwayne Whitfield of Tulsa.", ("529-44-8172", "Dwayne Whitfield", "Whitfield", "Tulsa")),
    # -- the question names someone ------------------------------------------------------------
    Case("question", "The tenancy ended in March after the landlord sold the flat.", ("Halvorsen",),
         question="Did Mr Halvorsen get his deposit back?"),
    Case("question", "Case file attached below.\nComplainant: Mirela Dumitrescu", ("Mirela Dumitrescu", "Dumitrescu"),
         question="What should Mirela Dumitrescu do next?"),
    # -- prose, as a person writes it ----------------------------------------------------------
    Case("prose", "My neighbour, Mr Ebo Mensah of 14 Cedar Close, Leeds LS8 2QT, keeps parking on the pavement.",
         ("Ebo Mensah", "Mensah", "14 Cedar Close", "LS8 2QT")),
    Case("prose", "I work as a nurse at St Brigid's Hospital in Galway and my manager, Niamh Keane, refused my leave.",
         ("Niamh Keane", "Keane", "St Brigid's Hospital")),
    Case("prose", "My son Rahul (born 2011) goes to Greenfield Primary; his teacher is Ms Oduya.",
         ("Rahul", "Greenfield Primary", "Oduya")),
    Case("prose", "We rented from Jan Vermeulen at Keizersgracht 212, Amsterdam, from 2019 to 2022.",
         ("Jan Vermeulen", "Vermeulen", "Keizersgracht 212")),
    Case("prose", "The doctor, Dr. Haruka Sato, diagnosed my father with early Parkinson's.",
         ("Haruka Sato", "Sato")),
    Case("prose", "Send the refund to sofia.marquez@correo.example or call her at (555) 014-7789.",
         ("sofia.marquez@correo.example", "(555) 014-7789")),
    Case("prose", "Ticket #88213 was opened by Kwame Boateng at 09:15 from IP 198.51.100.23.",
         ("Kwame Boateng", "Boateng", "198.51.100.23")),
    Case("prose", "According to Judge Maren Solheim, the hearing is moved to 14 May 2026.",
         ("Maren Solheim", "Solheim")),
    Case("prose", "Invoice to: Bjørn Halvorsen AS, Org.nr 987 654 321, Bergen", ("Bjørn Halvorsen", "987 654 321")),
    Case("prose", "Ms. Valentina Russo, 34, a teacher from Naples, filed the complaint.", ("Valentina Russo", "Russo", "Naples")),
    # -- more layouts: YAML, XML, vCard, logs, SQL, form bodies, lists, exports, letters -------------
    Case("yaml", "employee:\n  name: Thandiwe Nkosi\n  phone: 082 555 0199\n  city: Durban", ("Thandiwe Nkosi", "Nkosi", "082 555 0199", "Durban")),
    Case("xml", "<person><firstName>Eero</firstName><lastName>Virtanen</lastName><city>Tampere</city></person>", ("Eero", "Virtanen", "Tampere")),
    Case("vcard", "BEGIN:VCARD\nFN:Marguerite Duval\nTEL;TYPE=cell:+33 6 45 12 78 90\nEMAIL:m.duval@poste.example\nEND:VCARD", ("Marguerite Duval", "Duval", "6 45 12 78 90", "m.duval@poste.example")),
    Case("log", "2025-03-02 14:22:10 INFO login ok user=ahmed.saleh ip=192.0.2.77", ("ahmed.saleh", "192.0.2.77")),
    Case("sql", "INSERT INTO clients (name, email) VALUES ('Beatriz Souza', 'bia.souza@mail.example');", ("Beatriz Souza", "Souza", "bia.souza@mail.example")),
    Case("formbody", "first_name=Hamid&last_name=Rahimi&city=Herat", ("Hamid", "Rahimi", "Herat")),
    Case("bullets", "- Name: Sebastián Ortega\n- Age: 41\n- Lives in: Valparaíso", ("Sebastián Ortega", "Ortega", "Valparaíso")),
    Case("whatsapp", "12/03/2025, 21:14 - Mariam Haddad: are you coming?\n12/03/2025, 21:15 - Omar Haddad: yes", ("Mariam Haddad", "Omar Haddad", "Haddad")),
    Case("letter", "Dear Mrs Abernathy,\nThank you for your letter about your son Callum.", ("Abernathy", "Callum")),
    Case("message", "im sara lindgren and i need help with my visa application", ("sara lindgren", "lindgren")),
    Case("message", "MY NAME IS KONSTANTIN ERMAKOV AND I WAS FIRED WITHOUT NOTICE", ("KONSTANTIN ERMAKOV", "ermakov")),
    Case("message", "pls tell dr. okonjo that the scan is ready", ("okonjo",)),
    Case("prose", "The witness, Siobhán Ní Bhriain, lives at 7 Rathmines Road, Dublin 6.", ("Siobhán Ní Bhriain", "Bhriain", "7 Rathmines Road")),
    Case("prose", "Mr van der Linden and Mrs O'Sullivan-Hayes were neighbours.", ("van der Linden", "O'Sullivan-Hayes")),
    Case("prose", "Jean-Baptiste Moreau (née Lambert) signed on behalf of the tenants.", ("Jean-Baptiste Moreau", "Moreau", "Lambert")),
    Case("script", "Подносилац Марко Јовановић живи у Новом Саду.", ("Марко Јовановић", "Јовановић")),
    Case("script", "Жалбоподателят Димитър Петков е роден в Пловдив.", ("Димитър Петков", "Петков", "Пловдив")),
    Case("script", "Ο κ. Αντώνης Γεωργίου μένει στην Πάτρα.", ("Αντώνης Γεωργίου", "Γεωργίου", "Πάτρα")),
    Case("pieces", "Plate: WX 5521 K, owner Zbigniew Kaczmarek", ("WX 5521 K", "Zbigniew Kaczmarek", "Kaczmarek")),
    Case("pieces", "Her BSN is 123456782 and she lives at Prinsengracht 263.", ("123456782", "Prinsengracht 263")),
    Case("pieces", "call me at five five five, two three four, nine nine eight eight", ("five five five, two three four, nine nine eight eight",)),
    Case("pieces", "Reach Mr Adebayo on +234 803 555 0127 or (0803) 555-0127.", ("Adebayo", "803 555 0127")),
    Case("pieces", "Her date of birth is the 3rd of May, 1988; his is 11.11.1990.", ("3rd of May, 1988", "11.11.1990")),
    Case("markup", "[Contact Ilse Vermeer](mailto:ilse.vermeer@bureau.example)", ("Ilse Vermeer", "Vermeer", "ilse.vermeer@bureau.example")),
    Case("markup", '<td class="name">Rodrigo Paredes</td><td>rparedes</td>', ("Rodrigo Paredes", "Paredes")),
    Case("markup", "https://maps.example/?q=Calle%20Mayor%2012%2C%20Madrid", ("Calle Mayor 12",)),
    Case("email", "Reply-To: Yusuf Demir <yusuf.demir@posta.example>\nDate: Fri, 7 Feb 2025", ("Yusuf Demir", "Demir", "yusuf.demir@posta.example")),
    Case("csv", "id|full_name|dob\n17|Ingeborg Aas|1959-12-01\n18|Per Aas|1957-06-15", ("Ingeborg Aas", "Aas", "1959-12-01", "Per Aas", "1957-06-15")),
    Case("json", '{"kunde": {"vorname": "Friedrich", "nachname": "Albers", "geburtsdatum": "04.02.1970"}}', ("Friedrich", "Albers", "04.02.1970")),
    Case("question", "The landlord kept the deposit.", ("Tuominen",), question="Can Ms Tuominen sue him?"),
]

# Texts whose listed words identify nobody (should stay as written).
LOOKALIKES = [
    ("I posted it on Twitter and shared the link on WhatsApp.", ("Twitter", "WhatsApp")),
    ("Open the file in Excel, then paste it into Word and Outlook.", ("Excel", "Word", "Outlook")),
    ("She asked her lawyer and the lawyer asked a notary.", ("lawyer", "notary")),
    ("The NHS and the police replied within a week.", ("NHS", "police")),
    ("I use Chrome on Windows and Safari on my iPhone.", ("Chrome", "Windows", "Safari", "iPhone")),
    ("Grace was said before dinner, and Hope is a virtue.", ("Grace", "Hope")),
    ("We drove a Toyota Corolla and later a Ford Focus.", ("Toyota", "Corolla", "Ford", "Focus")),
    ("The teacher, the nurse and the electrician signed the petition.", ("teacher", "nurse", "electrician")),
    ("Спасибо за помощь, хорошего дня!", ("Спасибо", "помощь")),
    ("Καλημέρα, ευχαριστώ πολύ.", ("Καλημέρα", "ευχαριστώ")),
    ("Please update Slack, Zoom and Teams before Monday.", ("Slack", "Zoom", "Teams")),
    ("The court of appeal dismissed the appeal on Tuesday.", ("appeal", "Tuesday")),
    ("Ask Siri or Alexa to set a timer for ten minutes.", ("Siri", "Alexa")),
    ("The ministry published its annual report in PDF.", ("ministry", "PDF")),
    ("My landlord wants a bank statement and a payslip.", ("landlord", "bank", "payslip")),
    ("Netflix and Spotify raised their prices again.", ("Netflix", "Spotify")),
    ("I bought Lego and a Kindle for the children.", ("Lego", "Kindle")),
    ("The pharmacist recommended paracetamol and rest.", ("pharmacist", "paracetamol")),
    ("We met at Starbucks near the station.", ("Starbucks", "station")),
    ("Use Google Maps or Waze to find the entrance.", ("Google", "Maps", "Waze")),
]
