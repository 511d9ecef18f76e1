"""Countries: ISO 3166 codes, names (``pycountry`` and the project's aliases) and places that end
in a country or a US state."""

from __future__ import annotations

import functools
import unicodedata

from cfdetect._parsers._missing import ParseError, _show

_COUNTRIES = {
    "united states": "US", "usa": "US", "u.s.a.": "US", "united states of america": "US",
    "china": "CN", "hong kong": "HK", "taiwan": "TW", "japan": "JP", "south korea": "KR",
    "korea": "KR", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "germany": "DE", "france": "FR", "italy": "IT", "spain": "ES", "netherlands": "NL",
    "belgium": "BE", "switzerland": "CH", "austria": "AT", "poland": "PL", "sweden": "SE",
    "norway": "NO", "denmark": "DK", "finland": "FI", "ireland": "IE", "portugal": "PT",
    "greece": "GR", "czech republic": "CZ", "czechia": "CZ", "hungary": "HU", "romania": "RO",
    "russia": "RU", "russian federation": "RU", "ukraine": "UA", "turkey": "TR", "türkiye": "TR",
    "israel": "IL", "united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA",
    "india": "IN", "pakistan": "PK", "bangladesh": "BD", "thailand": "TH", "vietnam": "VN",
    "viet nam": "VN", "malaysia": "MY", "singapore": "SG", "indonesia": "ID",
    "philippines": "PH", "australia": "AU", "new zealand": "NZ", "canada": "CA",
    "mexico": "MX", "brazil": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO",
    "south africa": "ZA", "nigeria": "NG", "egypt": "EG", "kazakhstan": "KZ",
    "puerto rico": "PR",
    "bulgaria": "BG",
    "venezuela": "VE",
    "peru": "PE",
    "ecuador": "EC",
    "uruguay": "UY",
    "paraguay": "PY",
    "bolivia": "BO",
    "costa rica": "CR",
    "panama": "PA",
    "guatemala": "GT",
    "dominican republic": "DO",
    "jamaica": "JM",
    "cuba": "CU",
    "honduras": "HN",
    "el salvador": "SV",
    "nicaragua": "NI",
    "croatia": "HR",
    "serbia": "RS",
    "slovenia": "SI",
    "slovakia": "SK",
    "lithuania": "LT",
    "latvia": "LV",
    "estonia": "EE",
    "belarus": "BY",
    "moldova": "MD",
    "luxembourg": "LU",
    "iceland": "IS",
    "malta": "MT",
    "cyprus": "CY",
    "albania": "AL",
    "bosnia and herzegovina": "BA",
    "north macedonia": "MK",
    "macedonia": "MK",
    "montenegro": "ME",
    "armenia": "AM",
    "azerbaijan": "AZ",
    "uzbekistan": "UZ",
    "kyrgyzstan": "KG",
    "mongolia": "MN",
    "iran": "IR",
    "iraq": "IQ",
    "jordan": "JO",
    "lebanon": "LB",
    "kuwait": "KW",
    "qatar": "QA",
    "bahrain": "BH",
    "oman": "OM",
    "yemen": "YE",
    "sri lanka": "LK",
    "nepal": "NP",
    "myanmar": "MM",
    "cambodia": "KH",
    "laos": "LA",
    "macau": "MO",
    "macao": "MO",
    "morocco": "MA",
    "algeria": "DZ",
    "tunisia": "TN",
    "kenya": "KE",
    "ethiopia": "ET",
    "ghana": "GH",
    "tanzania": "TZ",
    "uganda": "UG",
    "senegal": "SN",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "cameroon": "CM",
    "angola": "AO",
    "mauritius": "MU",
    "fiji": "FJ",
    "liechtenstein": "LI",
    "monaco": "MC",
    "andorra": "AD",
    "san marino": "SM",
    "guam": "GU",
    "bahamas": "BS",
    "barbados": "BB",
    "trinidad and tobago": "TT",
    "bermuda": "BM",
    "afghanistan": "AF",
    "syria": "SY",
    "libya": "LY",
    "sudan": "SD",
    "zimbabwe": "ZW",
    "zambia": "ZM",
    "botswana": "BW",
    "namibia": "NA",
    "mozambique": "MZ",
    "madagascar": "MG",
    "rwanda": "RW",
    "papua new guinea": "PG",
    "brunei": "BN",
    "maldives": "MV",
    "tajikistan": "TJ",
    "turkmenistan": "TM",
    "north korea": "KP",
    "republic of korea": "KR",
    "korea, south": "KR",
    "the netherlands": "NL",
    "holland": "NL",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "mainland china": "CN",
    "prc": "CN",
    "people's republic of china": "CN",
}  # fmt: skip
_US_STATES = frozenset(
    (
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
        "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
        "massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio "
        "oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin "
        "wyoming"
    ).split()
    + ["new hampshire", "new jersey", "new mexico", "new york", "north carolina"]
    + ["north dakota", "rhode island", "south carolina", "south dakota", "west virginia"]
)


def _fold(text: str) -> str:
    """A name as the country table keys it: case-folded, accents and curly quotes dropped,
    whitespace collapsed ("Côte d’Ivoire" -> "cote d'ivoire")."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@functools.cache
def _country_table() -> tuple[frozenset[str], dict[str, str]]:
    """(ISO 3166-1 alpha-2 codes, folded name -> code): every name, official name, common name
    and alpha-3 code ``pycountry`` knows, then the project's aliases (``_COUNTRIES``: "UK",
    "Holland", "Ivory Coast", ...), which win where both name a country."""
    import pycountry  # loaded on the first country read

    codes = frozenset(str(c.alpha_2) for c in pycountry.countries)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                names[_fold(str(value))] = str(country.alpha_2)
    names.update((_fold(name), code) for name, code in _COUNTRIES.items())
    return codes, names


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a two-letter text names ("de" -> "DE", "UK" -> "GB"), or
    None when it names none ("XX", "ZZ")."""
    codes, names = _country_table()
    upper = text.upper()
    if upper in codes:
        return upper
    return names.get(_fold(text)) if _fold(text) in _TWO_LETTER_ALIASES else None


_MAX_NAME_PARTS = 4
_TWO_LETTER_ALIASES = frozenset({"uk"})  # not ISO codes, but what exports write for one


def parse_country(raw: object) -> str:
    """Read a country as an ISO 3166 alpha-2 code, from a code, a name or a place ending in one.

    Names are those of ISO 3166 (via ``pycountry``: "Korea, Republic of", "Côte d'Ivoire",
    "Georgia") and the project's aliases ("South Korea", "UK", "Holland"); a place is read from
    its longest comma-separated tail that names a country ("Tbilisi, Georgia" -> GE), else from
    a US state ("Austin, Texas" -> US). A two-letter code must be an assigned ISO 3166-1 code.

    Examples
    --------
    >>> parse_country("Mount Vernon, New York, United States"), parse_country("cn")
    ('US', 'CN')
    >>> parse_country("Tbilisi, Georgia"), parse_country("Korea, Republic of")
    ('GE', 'KR')
    """
    text = str(raw).strip()
    if len(text) == 2 and text.isascii() and text.isalpha():  # a code: [A-Za-z]{2}
        code = country_code(text)
        if code is None:
            raise ParseError(f"{_show(raw)} is not an ISO 3166 country code")
        return code
    _, names = _country_table()
    # a country's name has at most three comma-separated parts ("Congo, The Democratic Republic
    # of the"): the tails of the last four parts, longest first (linear in a hostile text)
    parts = [part.strip() for part in text.rsplit(",", _MAX_NAME_PARTS)[-_MAX_NAME_PARTS:]]
    for k in range(len(parts)):  # the longest tail first, then ever shorter ones
        code = names.get(_fold(", ".join(parts[k:])))
        if code is not None:
            return code
    if _fold(parts[-1]) in _US_STATES:
        return "US"
    raise ParseError(f"{_show(raw)} is not a country cfdetect knows; use an ISO 3166 code")
