"""Names, languages and addresses of the synthetic clients.

Faker's German lists are uniform over about a thousand first names (many long out of use), so
first names here follow birth cohorts and the commonest surnames are drawn far more often than
rare ones – like in a real case file, where a search for "Müller" finds dozens. Families of
other origins get transliterated names as German authorities write them, and their languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from faker.providers.person.de_DE import Provider as GermanNames

from cases.models.households import name_key


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (first year of birth, female names, male names)
GERMAN_COHORTS = [
    (
        1935,
        "Ursula Renate Helga Brigitte Ingrid Christa Gisela Erika Marianne Doris Elke Hannelore",
        "Klaus Dieter Manfred Horst Gerhard Werner Günter Wolfgang Rolf Helmut Karl-Heinz Peter",
    ),
    (
        1960,
        "Sabine Petra Andrea Claudia Susanne Birgit Monika Gabriele Karin Martina Heike Nicole "
        "Anja Kerstin Tanja Silke Stefanie Manuela Simone Bettina",
        "Andreas Thomas Michael Frank Jürgen Stefan Uwe Ralf Bernd Martin Jörg Dirk Holger "
        "Matthias Markus Carsten Oliver Torsten Sven Axel",
    ),
    (
        1978,
        "Julia Sarah Katharina Lisa Jennifer Jessica Melanie Christina Sandra Nadine Laura Anna "
        "Vanessa Janina Kathrin Daniela Franziska Nina Sabrina Jasmin",
        "Christian Daniel Sebastian Tobias Dennis Kevin Marcel Patrick Florian Jan Alexander "
        "Dominik Marco Philipp Benjamin Steffen Mario Sascha Timo Björn",
    ),
    (
        1995,
        "Lea Lena Anna Laura Sophie Marie Hannah Michelle Jana Lara Celina Chiara Leonie "
        "Jacqueline Vanessa Alina Selina Luisa Johanna Nele",
        "Lukas Niklas Jonas Tim Leon Luca Finn Maximilian Felix Jannik Moritz Nico Justin Marvin "
        "Kevin Dennis Yannick Julian Fabian Pascal",
    ),
    (
        2010,
        "Emma Mia Hanna Emilia Sofia Lina Ella Clara Lea Marie Mila Lia Leni Ida Frieda Mathilda "
        "Emily Lotta Amelie Paula",
        "Ben Paul Noah Elias Emil Liam Louis Henry Felix Leon Finn Jonas Matteo Theo Anton Luis "
        "Jakob Milan Oskar Leo",
    ),
]

# The commonest German surnames carry weight; the rest of Faker's list forms the long tail.
COMMON_SURNAMES = _split(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann "
    "König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert"
)
SURNAMES = [*COMMON_SURNAMES, *(n for n in GermanNames.last_names if n not in COMMON_SURNAMES)]
SURNAME_WEIGHTS = list(
    accumulate([60 - i for i in range(len(COMMON_SURNAMES))] + [3] * (len(SURNAMES) - 50))
)


@dataclass(frozen=True)
class Origin:
    language: str
    share: float  # of households at the Jobcenter
    speaks_german: float  # share of adults who are also counselled in German
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    gendered: bool = False  # surnames take a female form (Iwanow → Iwanowa, Nowak-ski → -ska)


ORIGINS = [
    Origin(
        "tr",
        0.08,
        0.85,
        _split("Ayşe Fatma Emine Hatice Zeynep Elif Merve Büşra Esra Selin Derya Özlem Gül Sibel"),
        _split("Mehmet Mustafa Ahmet Ali Hüseyin Hasan Murat Emre Burak Yusuf Can Serkan Kemal"),
        _split(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan "
            "Çetin Koç Kurt Polat Erdoğan"
        ),
    ),
    Origin(
        "ar",
        0.09,
        0.5,
        _split("Fatima Aisha Mariam Noor Layla Rania Huda Amal Yasmin Sara Hiba Rasha Dima Lina"),
        _split("Mohammed Ahmad Omar Khaled Ali Hussein Mahmoud Yousef Samir Karim Bilal Tarek"),
        _split(
            "Al-Hassan Haddad Khalil Ibrahim Mansour Nasser Saleh Darwish Hamdan Al-Ahmad Othman "
            "Youssef Abdullah Hussein Aziz Al-Khatib Suleiman Hamid"
        ),
    ),
    Origin(
        "uk",
        0.06,
        0.3,
        _split("Olena Oksana Natalija Iryna Tetjana Switlana Julija Kateryna Marija Daryna Anna"),
        _split("Oleksandr Andrij Mykola Serhij Wolodymyr Taras Bohdan Dmytro Iwan Jurij Maksym"),
        _split(
            "Schewtschenko Kowalenko Bondarenko Tkatschenko Krawtschenko Melnyk Kowaltschuk "
            "Olijnyk Lysenko Bojko Martschenko Rudenko Sawtschenko Petrenko"
        ),
    ),
    Origin(
        "ru",
        0.04,
        0.75,
        _split("Olga Natalja Tatjana Swetlana Jelena Irina Anastasia Ljudmila Marina Galina"),
        _split("Sergej Alexander Dmitrij Andrej Viktor Wladimir Juri Igor Maxim Nikolai Pawel"),
        _split("Petrow Smirnow Kusnezow Popow Wassiljew Sokolow Michailow Nowikow Morosow Iwanow"),
        gendered=True,
    ),
    Origin(
        "pl",
        0.03,
        0.7,
        _split("Anna Katarzyna Małgorzata Agnieszka Joanna Monika Magdalena Ewa Barbara Karolina"),
        _split("Piotr Krzysztof Andrzej Tomasz Paweł Marcin Michał Jakub Łukasz Grzegorz"),
        _split(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Szymański Woźniak Dąbrowski Mazur"
        ),
        gendered=True,
    ),
    Origin(
        "en",
        0.02,
        0.5,
        _split("Sarah Emily Jessica Blessing Ama Grace Abena Joy Mary Esther"),
        _split("John David James Michael Daniel Kwame Chinedu Emmanuel Samuel Kofi"),
        _split("Smith Johnson Brown Taylor Okafor Mensah Boateng Adeyemi Owusu Asante Eze"),
    ),
]
ORIGIN_WEIGHTS = list(accumulate([1 - sum(o.share for o in ORIGINS), *(o.share for o in ORIGINS)]))
INTERNATIONAL_CHILDREN = (
    _split("Mia Lina Sara Maya Lea Sofia Amira Elif Nora Alina"),
    _split("Adam Elias Noah Yusuf Leon Emir David Jonas Luca Aaron"),
)

MOBILE_PREFIXES = ("0151", "0152", "0160", "0162", "0170", "0171", "0176", "0177", "0157")
# Reserved example domains (RFC 2606): no demo address can ever reach a real mailbox.
MAIL_DOMAINS = ("example.org", "example.net", "example.com")

# Inhabitants in thousands: bigger towns have more households in the case file.
TOWN_SIZES = {
    "Alsbach-Hähnlein": 9,
    "Babenhausen": 17,
    "Bickenbach": 6,
    "Dieburg": 16,
    "Eppertshausen": 6,
    "Erzhausen": 8,
    "Fischbachtal": 3,
    "Griesheim": 27,
    "Groß-Bieberau": 5,
    "Groß-Umstadt": 21,
    "Groß-Zimmern": 15,
    "Messel": 4,
    "Modautal": 5,
    "Mühltal": 14,
    "Münster (Hessen)": 14,
    "Ober-Ramstadt": 15,
    "Otzberg": 6,
    "Pfungstadt": 25,
    "Reinheim": 16,
    "Roßdorf": 12,
    "Schaafheim": 9,
    "Seeheim-Jugenheim": 16,
    "Weiterstadt": 26,
}


class NameMaker:
    """Draws names from ``rng`` only, so the same seed gives the same people."""

    def __init__(self, rng):
        self.rng = rng
        self.cohorts = [(year, _split(f), _split(m)) for year, f, m in GERMAN_COHORTS]

    def origin(self) -> Origin | None:
        """None for a German family."""
        index = self.rng.choices(range(len(ORIGINS) + 1), cum_weights=ORIGIN_WEIGHTS)[0]
        return ORIGINS[index - 1] if index else None

    def surname(self, origin: Origin | None) -> str:
        if origin is None:
            return self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
        return self.rng.choice(origin.surnames)

    def surname_for(self, surname: str, origin: Origin | None, female: bool) -> str:
        if not (female and origin and origin.gendered):
            return surname
        if surname.endswith("ski"):
            return surname[:-1] + "a"
        if surname.endswith(("ow", "ew", "in")):
            return surname + "a"
        return surname

    def first_name(self, origin: Origin | None, female: bool, born: int) -> str:
        # Always two draws: the year of birth (which moves with today's date) only chooses the
        # list, so it never shifts the draws for the people after this one.
        roll, index = self.rng.random(), self.rng.random()
        if origin is not None:
            if born >= 2008 and roll < 0.3:
                names = INTERNATIONAL_CHILDREN[0 if female else 1]
            else:
                names = origin.female if female else origin.male
        elif roll < 0.08:
            # Now and then a name from Faker's long list, for variety.
            names = GermanNames.first_names_female if female else GermanNames.first_names_male
        else:
            cohort = self.cohorts[0]
            for candidate in self.cohorts:
                if born >= candidate[0]:
                    cohort = candidate
            names = cohort[1] if female else cohort[2]
        return names[int(index * len(names))]

    def languages(self, origin: Origin | None, *, adult: bool, age: int) -> list[str]:
        roll = self.rng.random()  # one draw for everybody, whatever the age
        if origin is None:
            return ["de", "en"] if adult and roll < 0.05 else ["de"]
        if not adult:
            return ["de", origin.language] if age >= 3 else [origin.language]
        if roll < origin.speaks_german:
            return ["de", origin.language]
        return [origin.language]

    def contact(self, first: str, last: str) -> tuple[str, str]:
        """Mobile number for most adults, an e-mail address for some."""
        rng = self.rng
        phone = ""
        if rng.random() < 0.75:
            phone = f"{rng.choice(MOBILE_PREFIXES)} {rng.randint(1000000, 99999999)}"
        email = ""
        if rng.random() < 0.35:
            local = _mail_local(f"{first}.{last}")
            email = f"{local}{rng.randint(1, 99) if rng.random() < 0.5 else ''}@" + rng.choice(
                MAIL_DOMAINS
            )
        return phone, email


def _mail_local(text: str) -> str:
    return name_key(text, "").replace(" ", "-")[:40] or "kontakt"
