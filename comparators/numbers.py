"""Numeric discrepancies: the same claim told with different numbers (25 against 26 leaders, 70 against 90 minutes).

Numbers are read from each passage twice. The original text gives the value as the outlet wrote it, read with
its language's conventions ("1.300" is 1300 in Spanish, "1 300" in French, "1,5" is 1.5 in German). The English
translation says what the number counts: the words after it ("km", "minutes", "foreign leaders"). Within one
claim, two outlets' numbers measure the same quantity when those words overlap; when one outlet's values for a
quantity share nothing with another's, that is a discrepancy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations, takewhile

import polars as pl

from .options import Options

# Languages by how they write 12345.6: the thousands separator(s) and the decimal mark.
_DOT_GROUPS = frozenset("de es it pt ca gl eu nl ro id tr da el sl hr sr bs is az".split())
_SPACE_GROUPS = frozenset("fr ru uk pl cs sk sv fi nb nn no bg hu et lv lt be kk mk ka hy".split())
_SPACES = " \u00a0\u202f\u2009"
# Per convention: what separates thousands (a space or an apostrophe always may), the decimal mark, and the
# shape of the last group ("300" or "300,5").
_CONVENTIONS = {
    "comma": (re.compile(r"[ ',]"), ".", re.compile(r"\d{3}(?:\.\d+)?")),
    "dot": (re.compile(r"[ '.]"), ",", re.compile(r"\d{3}(?:,\d+)?")),
    "space": (re.compile(r"[ ']"), ",", re.compile(r"\d{3}(?:,\d+)?")),
}
_ARABIC_GROUP, _ARABIC_DECIMAL = "\u066c", "\u066b"
# Indian English groups lakhs and crores by two digits: "1,30,000" is 130,000, not three numbers.
_INDIAN_GROUPS = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?")

_NUMBER = re.compile(r"\d+(?:[.,'" + _SPACES + _ARABIC_GROUP + _ARABIC_DECIMAL + r"]\d+)*")
_WORD = re.compile(r"[^\W\d_]+|%|[°℃℉]")
# A whole number and a fraction, "220 2/3 innings": one number, not 220, 2 and the 3 of "3 innings". (A fraction
# alone, "3/4", is as often a date.)
_MIXED_FRACTION = re.compile(r"(?<![\d/.,])(?P<whole>\d+)[" + _SPACES + r"](?P<numerator>\d{1,2})/"
                             r"(?P<denominator>\d{1,2})(?![\d/]|[.,]\d)")
_PERCENT_SIGN = re.compile("[" + _SPACES + "]?[%\u066a\uff05]")
_DESCRIPTION_GAP = re.compile(r"\s*|\s?-")
# A sign right before a number, not joining it to a word or number ("DF-61", "3-1", "3 -1"), or the word "minus":
# "-5C" and "minus 5C" are below zero, not the 5 degrees another outlet writes; so are "5 degrees below zero".
_BELOW_ZERO = re.compile(r"\s+(?:below|under)\s+(?:zero|0)\b", re.IGNORECASE)
_MINUS = re.compile(r"(?:(?<![\w.,])(?<!\d\s)[-\u2212]|(?P<word>\bminus\s+))$", re.IGNORECASE)

_UNITS = {
    "km": "km", "kilometre": "km", "kilometer": "km", "kms": "km",
    "m": "metre", "metre": "metre", "meter": "metre",
    "min": "minute", "mins": "minute", "minute": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour",
    "%": "percent", "percent": "percent", "kph": "km/hour", "kmh": "km/hour", "mph": "mile/hour",
    "people": "person", "person": "person", "persons": "person",
    # Currencies as codes and other spellings after the number ("5 million USD", "300 million roubles").
    "usd": "dollar", "eur": "euro", "gbp": "pound", "jpy": "yen", "cny": "yuan", "rmb": "yuan", "renminbi": "yuan",
    "inr": "rupee", "krw": "won", "rub": "ruble", "rouble": "ruble", "brl": "real", "hkd": "hong kong dollar",
    "cad": "canadian dollar", "aud": "australian dollar", "chf": "franc",
    # Measures, one name per unit, so that "250 kilos" and "250 kg" are one quantity, and "10 inches" reads as inches.
    "mm": "mm", "millimetre": "mm", "millimeter": "mm", "cm": "cm", "centimetre": "cm", "centimeter": "cm",
    "inch": "inch", "inche": "inch", "foot": "foot", "feet": "foot", "ft": "foot", "yard": "yard", "yd": "yard",
    "mile": "mile", "gram": "gram", "gramme": "gram", "ounce": "ounce", "oz": "ounce", "kg": "kg", "kgs": "kg",
    "kilo": "kg", "kilogram": "kg", "kilogramme": "kg", "lb": "lb", "lbs": "lb", "tonne": "tonne", "ton": "ton",
    "litre": "litre", "liter": "litre", "gallon": "gallon", "hectare": "hectare", "acre": "acre", "sq": "square",
    "km²": "km²", "m²": "metre²", "knot": "knot", "°": "degree", "º": "degree", "celsius": "celsius",
    "centigrade": "celsius", "℃": "celsius", "ºc": "celsius", "fahrenheit": "fahrenheit", "℉": "fahrenheit",
    "ºf": "fahrenheit",
    # Apertium leaves the Italian "miglia" untranslated; its Spanish and Galician give rain as "l/m2", a millimetre.
    "miglia": "mile", "l/metre²": "mm", "litre/metre²": "mm",
}
# What a degree is of, when a scale follows it: "26 °C", "80 degrees F", "26 degrees centigrade".
_TEMPERATURE_SCALES = {"c": "celsius", "celsius": "celsius", "centigrade": "celsius", "f": "fahrenheit",
                       "fahrenheit": "fahrenheit"}
# A unit of measure: what kind of quantity it measures, and its size in that kind's base unit, per reading. The
# kind also holds the scale news use the unit at: inches are given in cm or mm, feet in metres, miles in km. Units
# of different scales ("a 300 m tower, 1,300 km away") measure different things and are never compared.
# Three units have two readings, each compared: a bare "degree" (Celsius or Fahrenheit), a "ton" (a tonne or a
# US short ton) and a "gallon" (US or imperial). Temperatures convert with an offset: (value + offset) × size.
_SMALL_LENGTH, _LENGTH, _LONG_LENGTH = "length (mm, cm, inches)", "length (m, feet, yards)", "length (km, miles)"
_CELSIUS, _FAHRENHEIT = ("temperature", 1.0, 0.0), ("temperature", 5 / 9, -32.0)
_MEASURES: dict[str, tuple[tuple[str, float, float], ...]] = {
    unit: tuple((kind, size, 0.0) for size in sizes) for unit, (kind, *sizes) in {
        "mm": (_SMALL_LENGTH, 0.001), "cm": (_SMALL_LENGTH, 0.01), "inch": (_SMALL_LENGTH, 0.0254),
        "metre": (_LENGTH, 1.0), "foot": (_LENGTH, 0.3048), "yard": (_LENGTH, 0.9144),
        "km": (_LONG_LENGTH, 1000.0), "mile": (_LONG_LENGTH, 1609.344),
        "gram": ("mass (g, ounces)", 0.001), "ounce": ("mass (g, ounces)", 0.028349523125),
        "kg": ("mass (kg, pounds)", 1.0), "lb": ("mass (kg, pounds)", 0.45359237),
        "pound": ("mass (kg, pounds)", 0.45359237),
        "tonne": ("mass (tonnes)", 1000.0), "ton": ("mass (tonnes)", 1000.0, 907.18474),
        "litre": ("volume", 0.001), "gallon": ("volume", 0.003785411784, 0.00454609),
        "metre²": ("area (m², square feet)", 1.0), "foot²": ("area (m², square feet)", 0.09290304),
        "hectare": ("area (hectares, acres)", 10_000.0), "acre": ("area (hectares, acres)", 4046.8564224),
        "km²": ("area (km², square miles)", 1e6), "mile²": ("area (km², square miles)", 2_589_988.110336),
        "km/hour": ("speed", 1.0), "mile/hour": ("speed", 1.609344), "knot": ("speed", 1.852),
        "metre/second": ("speed", 3.6), "metre/s": ("speed", 3.6),
    }.items()}
_MEASURES |= {"celsius": (_CELSIUS,), "fahrenheit": (_FAHRENHEIT,), "degree": (_CELSIUS, _FAHRENHEIT)}
# How an English news reader sees each unit: its conventional abbreviation, else its name, singular and plural.
_UNIT_ABBREVIATIONS = {"mm": "mm", "cm": "cm", "km": "km", "kg": "kg", "lb": "lb", "km²": "km²", "metre²": "m²",
                       "km/hour": "km/h", "mile/hour": "mph", "metre/second": "m/s", "metre/s": "m/s",
                       "celsius": "°C", "fahrenheit": "°F"}
_UNIT_NAMES = {"foot": ("foot", "feet"), "inch": ("inch", "inches"), "foot²": ("square foot", "square feet"),
               "mile²": ("square mile", "square miles")}
# A change of temperature ("10 degrees above average", "a 20-degree temperature difference") converts without the
# offset: 10 °F above is 5.6 °C above, where 10 °F is -12 °C.
_CELSIUS_CHANGE, _FAHRENHEIT_CHANGE = ("temperature change", 1.0, 0.0), ("temperature change", 5 / 9, 0.0)
_MEASURES |= {"celsius change": (_CELSIUS_CHANGE,), "fahrenheit change": (_FAHRENHEIT_CHANGE,),
              "degree change": (_CELSIUS_CHANGE, _FAHRENHEIT_CHANGE)}
_CHANGE_WORDS = frozenset("""
above below difference warmer colder hotter cooler higher lower rise drop fall increase decrease change
""".split())
# Two figures in different units agree when the ranges they round agree within this share of the larger: a
# journalist's conversion ("about 135 km/h" for 85 mph, 250 kg for 550 pounds) and the rough factors of a quick
# one (1.6 km a mile, 2.2 pounds a kilo, 2.5 cm an inch, 0.3 m a foot) stay within 2 %. Temperatures take none:
# a share of a Celsius figure means nothing.
_CONVERSION_SLACK = 0.02
# Romance languages name a change before it: "a difference of almost 20 degrees", Apertium's "differences of
# temperature of almost 20 ranks" for the "20-degree temperature difference" of English.
_CHANGE_BEFORE = re.compile(
    r"\b(?:differences?|changes?|rises?|drops?|falls?|increases?|decreases?)\s+of\s+(?:temperatures?\s+of\s+)?"
    r"(?:(?:almost|nearly|about|some|roughly|around|approximately|more\s+than|less\s+than|over|up\s+to)\s+)?$",
    re.IGNORECASE)
# "85 miles an hour", Apertium's "136 kilometres by hour": a rate, as "per hour" is.
_PER_TIME = re.compile(r"\s+(?:hour|minute|second)s?\b", re.IGNORECASE)
# A degree in the source that Apertium mistranslates: the French "26 degrés" comes out "26 terracings", the
# Catalan "27 graus" "27 ranks".
_SOURCE_DEGREE = re.compile(r"[" + _SPACES + r"]?(?:[°º℃℉]|grad[oi]s?\b|graus\b|graos\b|degrés?\b)", re.IGNORECASE)
# French pounds sterling, which Apertium's Spanish takes for books ("libros"): "2,8 milliards de livres" came out
# "2,8 millardos of books". Only after a scale word or before "sterling": "500 livres" alone may well be books.
_SOURCE_POUNDS = re.compile(r"[" + _SPACES + r"](?:(?:milliards?|millions?|milliers?)[" + _SPACES
                            + r"](?:de[" + _SPACES + r"]|d['’])livres?\b|livres?[" + _SPACES + r"]sterling\b)",
                            re.IGNORECASE)
# Words that end the description of a quantity ("1,300 km and takes ...") or carry no meaning of their own.
_STOPWORDS = frozenset("""
a an the of and or but to in on at by for from with as than that which who about around some nearly almost
roughly approximately over under more less near up down into since ago its his her their this these those is
was were are be been has have had it he she they we said says
""".split())
# Apertium keeps Romance ordinals: "the 34è minute", "the 125ª street", "the 34º minute". "º" is also a degree ("a
# twist of 180º", "26º"): an ordinal only between a determiner and what it ranks.
_ORDINAL = re.compile(r"(?:st|nd|rd|th|è|ème|ª)\b|º(?=\s+(?!(?:C|F|celsius|centigrade|fahrenheit)\b)(?!(?:"
                      + "|".join(sorted(_STOPWORDS)) + r")\b)[^\W\d_])", re.IGNORECASE)
_ORDINAL_BEFORE = re.compile(r"\b(?:the|his|her|its|their|our|my|your)\s+$", re.IGNORECASE)
# Stopwords that open a phrase of its own, so that nothing after them is what the number before counts: Apertium's
# Italian "18-7 with an ERA of 2.53" counts no ERA with its 7. Other stopwords may come between a number and what
# it counts ("19 of the parties"), and so may a passive's auxiliary: "150 were rescued" and "12 were killed" count
# the rescued and the killed, where another outlet's "160 were rescued" is a difference to show.
_ENDS_A_DESCRIPTION = frozenset("""
with but as than that which who it he she they we said says
""".split())
# A share of a counted whole, "19 of his 29 matches": the 19 are matches too, as the Portuguese "19 das partidas"
# (Apertium's "19 of the parties") says without the 29. Apertium's French gives "huit points sur 12" as "eight of
# each 12 points". The words between the "of" and the whole's number may only be these. A share is less than its
# whole, and of things: Romance ages ("dos de 18 años", "two of 18 years") and dates ("247 of the 30 of September")
# are no shares.
_SHARE_OF = frozenset("the his her its their our your my these those each".split())
_WHOLE_NUMBER = re.compile(r"\s+(?P<whole>\d{1,3}(?:,\d{3})*)\s+")
_WORDS_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}
# "one" is left out: far more often a pronoun ("the only one") than a count.
_WORDS_UNITS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_WORDS_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_WORDS_AFTER_TENS = {**_WORDS_UNITS, "one": 1}
_WORDS_SMALL = {**_WORDS_UNITS, **_WORDS_TEENS}
_NUMBER_WORD = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_WORDS_TENS) + r")(?:[- ](?P<unit>" + "|".join(_WORDS_UNITS) + r"|one))?"
    r"|(?P<small>" + "|".join(_WORDS_SMALL) + r"))\b", re.IGNORECASE)
# Scale words right after a number multiply it: "three hundred soldiers" are the 300 soldiers another outlet writes
# in digits, "1.5 million people" the 1,500,000 people of another.
# British and American papers abbreviate them: "£3bn", "5k".
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "bn": 1_000_000_000, "tn": 1_000_000_000_000,
           "mn": 1_000_000, "mln": 1_000_000, "bln": 1_000_000_000,
           # Apertium's French and Italian go through Spanish and keep its "millardos" (milliards, miliardi).
           "millardo": 1_000_000_000, "milliard": 1_000_000_000,
           # Indian English: "Rs 500 crore" is five billion rupees, "2 lakh people" 200,000.
           "lakh": 100_000, "crore": 10_000_000}
# "m" after a number is a million only where it counts money or people ("$300m", "1.2m people"); else metres
# ("a 300m tower").
_COUNTED_IN_MILLIONS = frozenset("""
person resident user viewer voter customer household child adult patient visitor passenger tourist worker
dollar pound euro yuan yen rupee
""".split())
# What a currency sign or code before a number counts ("$1.2 billion" and "1,200 million dollars" are one amount).
# "$" and "US$" are the dollars of the English translations; a dollar with other letters (HK$, C$, A$) is another
# currency, never compared with US dollars, and R$ is Brazil's real. "¥" writes the yen and the yuan both, so it
# counts as either: "¥5 billion" is compared with "5 billion yen" and with "5 billion yuan".
_CURRENCIES = {
    "$": ("dollar",), "US$": ("dollar",), "USD": ("dollar",), "£": ("pound",), "GBP": ("pound",),
    "€": ("euro",), "EUR": ("euro",), "¥": ("yen", "yuan"), "\uffe5": ("yen", "yuan"), "JP¥": ("yen",),
    "JPY": ("yen",), "CN¥": ("yuan",), "CNY": ("yuan",), "RMB": ("yuan",), "₩": ("won",), "KRW": ("won",),
    "₹": ("rupee",), "Rs": ("rupee",), "Rs.": ("rupee",), "INR": ("rupee",), "₽": ("ruble",), "RUB": ("ruble",),
    "R$": ("real",), "BRL": ("real",), "HK$": ("hong kong dollar",), "HKD": ("hong kong dollar",),
    "C$": ("canadian dollar",), "CA$": ("canadian dollar",), "CAD": ("canadian dollar",),
    "A$": ("australian dollar",), "AU$": ("australian dollar",), "AUD": ("australian dollar",),
    "NZ$": ("new zealand dollar",), "S$": ("singapore dollar",), "NT$": ("taiwan dollar",), "CHF": ("franc",),
    "₺": ("lira",), "₴": ("hryvnia",), "₪": ("shekel",), "₱": ("peso",), "₦": ("naira",),
}
# What a sum counts in, as a description starts with it: a currency says what a sum is measured in, not what it
# is the sum of ("£11million deal", "£1.5 million bonus").
_MONEY = frozenset(name for names in _CURRENCIES.values() for name in names) | {
    _UNITS[code] for code in ("usd", "eur", "gbp", "jpy", "cny", "inr", "krw", "rub", "brl", "hkd", "cad", "aud")}
# A sign, or letters glued to one ("HK$"), or a code as a word of its own ("CNY 5 billion"), right before a number.
_CURRENCY_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])[A-Z]{1,3})?[$¥\uffe5]\s?$|[£€₩₹₽₺₴₪₱₦]\s?$"
    r"|(?<![^\W\d_])(?:" + "|".join(code for code in _CURRENCIES if code.isalpha()) + r"|Rs\.)\s?$")
# "an hour and ten minutes", "1 hour 10 minutes", "2 h 5 min": one duration, the 70 minutes another outlet writes.
# The hours are matched here, the minutes read as any number; `(?=...)` checks minutes follow.
_HOURS_BEFORE_MINUTES = re.compile(
    r"\b(?P<hours>an?|one|" + "|".join(_WORDS_SMALL) + r"|\d+)\s+(?:hours?|hrs?|h)(?:\s*,\s*|\s+and\s+|\s+)"
    r"(?=(?:\d+|[a-z]+(?:-[a-z]+)?)\s+(?:minutes?|mins?)\b)", re.IGNORECASE)
# What the patterns above and below need, found far faster than they scan a passage that lacks it.
_MINUTES_WORD, _HALF_WORD = re.compile("min", re.IGNORECASE), re.compile("half", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# "half an hour", "a half-hour", "an hour and a half", "two and a half hours": 30, 30, 90 and 150 minutes.
_HALF_HOURS = re.compile(
    r"\b(?:half\s+an\s+hour|a\s+half[- ]hour"
    r"|(?P<whole>an?|one|" + "|".join(_WORDS_SMALL) + r"|\d+)\s+hours?\s+and\s+a\s+half"
    r"|(?P<whole_first>one|" + "|".join(_WORDS_SMALL) + r"|\d+)\s+and\s+a\s+half\s+hours?)\b", re.IGNORECASE)
# A height in feet and inches, "6-foot-6", "5 feet 11 inches", "6ft 2in": 6.5 feet, the 1.98 m another outlet writes,
# not 6 feet and 6 of something else.
_FEET_AND_INCHES = re.compile(r"\b(?P<feet>\d)(?:-foot-(?P<inches>1[01]|\d)(?![\d.,/])|\s?(?:foot|feet|ft)\.?\s?"
                              r"(?P<more_inches>1[01]|\d)\s?(?:inch(?:es)?|in)\b)", re.IGNORECASE)
# A window of this many words after a number describes what it counts.
_WINDOW = 3
# What a calendar year counts, kept apart from durations in "years".
YEAR = "(calendar year)"
# What a time of day counts: "10:30" in one outlet is the "10.30" another writes (as Spanish, Italian or Catalan
# do, where the dot cannot be a decimal mark), not 30 of something against 10.3 of it. Valued 10.30 (10.3), 22:30
# for "10:30 p.m.".
TIME = "(time of day)"
_TIME_OF_DAY = re.compile(r"\b(?P<hours>[01]?\d|2[0-4])(?P<mark>[:.])(?P<minutes>[0-5]\d)\b(?![.,:]?\d)")
# A time's zone, stated right after it: "12:55 p.m. ET", "18:55 CET", "6:55 a.m. Beijing time", "16:55 UTC+0", and
# Apertium's "18:55 h (peninsular hour)" for "hora peninsular", "19h55, hour of Moscow" for "hora de Moscú". Two
# times with zones are compared as moments: "12:55 p.m. ET" is the "18:55 CET" and "19:55 Moscow time" of other
# outlets. A zone is (its offset from UTC in minutes, the summer-time rule it follows or None): "ET", "CET" and the
# Spanish "peninsular hour" name a region and follow its rule, where "EDT", "CEST" or "MSK" give their offset.
# "Local time" names no zone: a time with it, or with none, is compared as written.
_US_SUMMER, _EU_SUMMER = "US summer time", "EU summer time"
_ZONES = {
    "ET": (-300, _US_SUMMER), "EST": (-300, None), "EDT": (-240, None),
    "CT": (-360, _US_SUMMER), "CST": (-360, None), "CDT": (-300, None),
    "MT": (-420, _US_SUMMER), "MST": (-420, None), "MDT": (-360, None),
    "PT": (-480, _US_SUMMER), "PST": (-480, None), "PDT": (-420, None),
    "GMT": (0, None), "UTC": (0, None), "BST": (60, None), "CET": (60, _EU_SUMMER), "CEST": (120, None),
    "MSK": (180, None), "Beijing time": (480, None), "JST": (540, None), "KST": (540, None), "IST": (330, None),
    "Spanish peninsular time": (60, _EU_SUMMER), "Paris time": (60, _EU_SUMMER), "Madrid time": (60, _EU_SUMMER),
}
# The rules on summer time in each season of a northern year: winter; the weeks of March and of late October when
# the US has moved its clocks and Europe has not; summer. Two times agree when they are one moment in any season, so
# "ET" and "CET" are 5 or 6 hours apart, never 7 (EST with CEST) nor 4.
_SEASONS = (frozenset(), frozenset({_US_SUMMER}), frozenset({_US_SUMMER, _EU_SUMMER}))
_ZONE_OF_REGION = {"eastern": "E", "central": "C", "mountain": "M", "pacific": "P"}
_ZONE_OF_CITY = {"moscow": "MSK", "beijing": "Beijing time", "peking": "Beijing time", "tokyo": "JST",
                 "seoul": "KST", "paris": "Paris time", "madrid": "Madrid time"}
_ZONE_AFTER = re.compile(
    r"(?:\s?(?:h|hrs?|hours?)\b\.?)?(?P<comma>,)?\s*(?P<bracket>\()?\s*(?:"
    r"(?-i:(?:GMT|UTC))\s?(?P<sign>[+\-\u2212])\s?(?P<hours>1[0-4]|0?\d)(?::?(?P<minutes>[0-5]\d))?(?![\d:])"
    r"|(?P<abbreviation>(?-i:" + "|".join(name for name in _ZONES if name.isupper()) + r"))(?![\w+\-\u2212])"
    r"|(?P<region>eastern|central|mountain|pacific)(?:\s+(?P<season>standard|daylight))?\s+time\b"
    r"|(?P<city>" + "|".join(_ZONE_OF_CITY) + r")\s+time\b"
    r"|(?:time|hour)\s+of\s+(?P<city_of>" + "|".join(_ZONE_OF_CITY) + r")\b"
    r"|(?P<peninsular>peninsular\s+(?:hour|time))\b)(?(bracket)\s*\)|)", re.IGNORECASE)
_OFFSET_ZONE = re.compile(r"UTC(?P<sign>[+-])(?P<hours>\d+)(?::(?P<minutes>\d\d))?")
# What joins the two numbers of a range: "10–12", "10 to 12", and "between 10 and 12" (only after "between": "10
# and 12 people" may be two counts).
_RANGE_JOIN = re.compile(r"\s*[-–—]\s*|\s+to\s+", re.IGNORECASE)
_RANGE_AND = re.compile(r"\s+and\s+(?:the\s+)?", re.IGNORECASE)
# Apertium's English for the Romance "entre 5 y 10" is "among 5 and 10".
_BETWEEN = re.compile(r"\b(?:between|among)\s+(?:the\s+)?$", re.IGNORECASE)
# Apertium's English for the Catalan "de 50 a 100 mm" and the Italian "dai 2 ai 10 cm": "of 50 at 100 mm", "of the 2
# to the 10 cm". Only after "of" or "from": "4 at 1" alone is a Catalan score.
_FROM = re.compile(r"\b(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)
_FROM_JOIN = re.compile(r"\s+(?:to|at)\s+(?:the\s+)?", re.IGNORECASE)
# What joins the numbers of a list that one description ends ("aged 17, 18 and 20 years", "50 or 75 mm"): each
# counts what the last one does, as the Romance "de 17, 18 y 20 años" puts it where English writes each number's.
_LIST_COMMA = re.compile(r",\s*")
_LIST_LAST = re.compile(r",?\s+(?:and|or)\s+", re.IGNORECASE)
# The original must list the number too, followed by a comma or a short "and" ("et", "y", "i", "e", "ou"): where
# Apertium's Italian lost the sign of "16 % et 16 villes", "16 and 16 towns" lists nothing.
_SOURCE_LIST_JOIN = re.compile(r"(?:,[" + _SPACES + r"]*|[" + _SPACES + r"]+[^\W\d_]{1,3}[" + _SPACES + r"]+)\d")
_OPENS_A_RANGE = re.compile(r"(?:\s*[-–—]\s*|\s+(?:to|and)\s+)\D{0,3}\d", re.IGNORECASE)
# What a score or tally counts: "Liverpool won 3-1" and "won 4-1" tell different results, where reading the 1 alone
# (or "1-3" as a range) made them agree. A score is the pair, its smaller number `low` and its larger `value`: outlets
# write "3-1" and "1-3" for one match, from either side. Two scores agree only as the same pair, never as ranges.
SCORE = "(score)"
# Two small whole numbers joined by a dash, or by "to" (the "3 a 1" and "3 à 1" of Spanish, Portuguese, Italian and
# French in Apertium's English) or "at" (its Catalan "3 a 1").
_SCORE_PAIR = re.compile(r"(?<![\w.,:/\-–—$])(?P<first>\d{1,3})(?P<join>\s*[-–—]\s*|\s+(?:to|at)\s+)"
                         r"(?P<second>\d{1,3})(?![.,:]?\d|[\w/\-–—]|\s?[%°])", re.IGNORECASE)
# Words before a pair, in its sentence, that make it a result: of a match (Apertium's "party" for "partido", "grossed"
# for the Catalan "guanyar"), of a vote or a ruling.
_RESULT_WORDS = frozenset("""
won win wins winning beat beats beating beaten defeat defeated defeats lost lose loses losing loss draw drew drawn
tie tied victory score scored scores scoreline result final match game party grossed lead leads led leading trail
trailed trailing halftime half-time vote votes voted voting ballot margin verdict ruling decision tally sets
""".split())
# Words right after a pair that say what it is the result of ("a 3-1 win", "3-2 goals", "a 52-48 vote").
_RESULT_AFTER = frozenset("""
win victory defeat loss draw lead goal point vote margin decision ruling verdict majority scoreline result aggregate
""".split())
_WORD_AFTER = re.compile(r"(?:\s+|\s?-\s?)(?P<word>[^\W\d_]+)")
_WORDS_BEFORE = re.compile(r"[^.!?;]{0,80}$")
# A pair right after these opens a range, whatever it ends in: "from 5 to 2", "between 3-1".
_BEFORE_A_RANGE = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
# A score written team by team: "Livingston 1 - Rangers 0", "Rangers 0, Livingston 1". Names of things numbered in
# documents and rounds ("Article 5, Section 3", "Game 3, Round 2") are no teams.
_TEAM = r"[A-Z][^\W\d_]+(?: [A-Z][^\W\d_]+){0,2}"
_TEAM_BY_TEAM = re.compile(rf"(?<![\w.,:/\-–—$])(?P<team>{_TEAM}) (?P<first>\d{{1,2}})(?P<join> [-–—] |, )"
                           rf"(?P<other>{_TEAM}) (?P<second>\d{{1,2}})(?![.,:]?\d|[\w/\-–—]|\s?[%°])")
_LIST_GOES_ON = re.compile(rf"(?:,? (?:and|or)|,) {_TEAM} \d")
_NUMBERED_NOT_TEAMS = frozenset("""
article section chapter part page paragraph clause room floor level phase stage round game week day year step
grade class vol volume act scene verse line row seat gate platform route highway exit apollo windows
""".split())
# How the original may join a score's numbers: "3-1", "3 a 1", "3 à 1".
_SOURCE_SCORE_JOIN = r"\s*[-–—]\s*|[" + _SPACES + r"]+\w{1,2}[" + _SPACES + r"]+"
_AFTERNOON = re.compile(r"\s*p\.?\s?m\b\.?", re.IGNORECASE)
_MORNING = re.compile(r"\s*a\.?\s?m\b\.?", re.IGNORECASE)
# A whole hour with its half of the day, "3 p.m.", "10am": the 15.00 and 10.00 another outlet writes.
_HOUR_OF_THE_DAY = re.compile(r"\b(?P<hours>1[0-2]|0?[1-9])\s?(?P<half>[ap])\.?\s?m\b\.?", re.IGNORECASE)
# Apertium's English for "las 7 de la mañana", "7 h du soir": "the 7 of the morning" ("of the tomorrow", mistaking
# "mañana"), "7 h of the evening".
_PART_OF_THE_DAY = re.compile(
    r"(?:\s?h)?\s+(?:of|in)\s+the\s+(?P<part>morning|tomorrow|dawn|afternoon|evening|night)\b", re.IGNORECASE)
# An hour written with "h" or "heures", as French writes a time of day ("à 15 h", "15h30", "15 heures 30") and a
# duration ("pendant 3 h", "3 h de route") alike. The source tells them apart: a time follows "à", "vers", "dès",
# "avant", "après", "jusqu'à", "à partir de", or the "de" of "de 20 h à 23 h"; "à 2 h de Paris" is a distance.
_S = "[" + _SPACES + "]"
_HOUR_SHAPE = r"(?:[01]?\d|2[0-3]){s}?(?:h|heures?)(?:{s}?[0-5]\d)?\b(?!{s}?\d)".format(s=_S)
_SOURCE_HOUR = re.compile(r"(?<![\w.,:])(?P<hours>[01]?\d|2[0-3]){s}?(?:h|heures?)(?:{s}?(?P<minutes>[0-5]\d))?\b"
                          r"(?!{s}?\d)".format(s=_S), re.IGNORECASE)
_SOURCE_CLOCK = re.compile(r"(?:\b(?:à|vers|dès|avant|après|jusqu['’]à)|\bde(?={s}+{hour}{s}+à{s})){s}+"
                           r"(?:partir{s}+de{s}+)?(?={hour}(?!{s}*(?:de\b|d['’])))".format(s=_S, hour=_HOUR_SHAPE),
                           re.IGNORECASE)
# An hour and minutes the source gives as a duration: after "en", "pendant", "durant" or a form of "durer" ("en
# 2h05", "a duré 2 heures 30"), or before the "de" of a distance or a way ("à 2 h 30 de route"). Unmarked, "19h30"
# in news is a time far more often ("vers 19h30 heure locale", Portuguese "pelas 19h30"), and is read as one.
_SOURCE_DURATION_BEFORE = re.compile(r"\b(?:en|pendant|durant|dur(?:e|ent|é|ée|era|ait))\b{s}+$".format(s=_S),
                                     re.IGNORECASE)
_SOURCE_DURATION_AFTER = re.compile(r"{s}*(?:de\b|d['’])".format(s=_S), re.IGNORECASE)
_SOURCE_MINUTE_UNIT = re.compile(r"{s}*min".format(s=_S), re.IGNORECASE)
# The same hour in Apertium's English: "to 15 h", "from the 15h30", "to 15 hours 30".
_ENGLISH_HOUR = re.compile(r"(?<![\w.,:])(?P<hours>[01]?\d|2[0-3]) ?(?:h|hours?)(?: ?(?P<minutes>[0-5]\d))?\b"
                           r"(?! ?\d)", re.IGNORECASE)
_WHOLE_HOUR = re.compile(r"(?<![\w.,:])(?:1[0-2]|0?[1-9])(?!\d|[.,:]\d)")
# A word right before a four-digit number that makes it a year whatever follows ("The year 2019 died 20 people").
_YEAR_NAMERS = frozenset("""
year january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())


# A day of the month written after it ("September 3", "Sept. 3, 2019") counts that month, as the "3 September" of
# British English and Apertium's "the 3 of September" do; not when what it counts follows ("In September 30 people
# died").
_MONTHS = {name[:3]: name for name in
           "january february march april may june july august september october november december".split()}
# What a share (see _SHARE_OF) never counts: an age, a date.
_NO_SHARE_OF = frozenset("year years month months week weeks day days hour hours minute minutes second seconds"
                         .split()) | set(_MONTHS.values())
_MONTH_BEFORE = re.compile(r"\b(?P<month>(?:" + "|".join(name.capitalize() for name in _MONTHS.values())
                           + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?))\s+$")
_ENDS_A_DATE = re.compile(r"\s*(?:[^\w\s]|$)|\s+(?:" + "|".join(sorted(_STOPWORDS)) + r")\b")
# Words before a four-digit number that make it a year unless a plural or a unit follows it.
_BEFORE_A_YEAR = frozenset("in since until till before after during throughout the".split())


@dataclass(frozen=True)
class Quantity:
    """One number in a passage: its value, how it was written, and what it counts."""

    value: float
    written: str  # as in the original text, with any scale word or unit read into the value; "" if not found there
    counts: tuple[str, ...]  # normalised English words after the number, in order; (YEAR,) for a year
    phrase: str  # the number and its words in the English text, for display
    low: float | None = None  # the first number of a range ("10–12 people", "between 10 and 12"); value is the last
    unit: str | None = None  # the unit of a measure ("mile/hour", "kg", "degree", "inch/hour"): see _readings


@dataclass(frozen=True)
class Reading:
    """One outlet's number for a quantity in a claim."""

    outlet: str
    passage_id: str
    value: float
    written: str
    phrase: str
    low: float | None = None  # as in Quantity: a range from low to value
    unit: str | None = None  # as in Quantity


@dataclass(frozen=True)
class Discrepancy:
    """Outlets telling one claim with different numbers for the same quantity."""

    claim_id: str
    quantity: str  # what is counted, as the English translations most often say it ("foreign heads", "minutes")
    readings: tuple[Reading, ...]

    @property
    def values(self) -> list[float]:
        return sorted({reading.value for reading in self.readings})


def parse_number(written: str, *, language: str | None) -> float | None:
    """The value of a number written in `language`'s conventions: "1,300" (en), "1.300" (de), "1 300" (fr)."""
    digits = "".join(str(unicodedata.decimal(char)) if char.isdigit() else char for char in written.strip())
    digits = digits.replace(_ARABIC_GROUP, " ").replace(_ARABIC_DECIMAL, ".")
    for space in _SPACES[1:]:
        digits = digits.replace(space, " ")
    convention = "dot" if language in _DOT_GROUPS else "space" if language in _SPACE_GROUPS else "comma"
    groups, decimal, last_group = _CONVENTIONS[convention]
    parts = groups.split(digits)
    if convention == "comma" and _INDIAN_GROUPS.fullmatch(digits):
        parts = digits.split(",")
    elif len(parts) > 1 and not (1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:-1])
                               and last_group.fullmatch(parts[-1])):
        return None
    number = "".join(parts).replace(decimal, ".")
    try:
        return float(number)
    except ValueError:
        return None


def read_numbers(text: str, *, language: str | None, fallback: str | None = None, words: bool = False
                 ) -> list[tuple[float, str, int, int]]:
    """(value, as written, start, end) of every number in `text`, read with `language`'s conventions, else
    `fallback`'s. Model names such as "DF-61" and ordinals such as "3rd" are not numbers."""
    found, fractions = [], []
    for match in _MIXED_FRACTION.finditer(text):
        numerator, denominator = int(match["numerator"]), int(match["denominator"])
        if 0 < numerator < denominator:
            fractions.append(match.span())
            found.append((int(match["whole"]) + round(numerator / denominator, 6), match.group(), *match.span()))
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        written = match.group()
        ordinal = _ORDINAL.match(text, end)
        if ordinal and ordinal.group() == "º" and not _ORDINAL_BEFORE.search(text, max(0, start - 8), start):
            ordinal = None  # "a twist of 180º"
        if _part_of_a_name(text, start) or ordinal or any(
                fraction_start <= start < fraction_end for fraction_start, fraction_end in fractions):
            continue
        value = parse_number(written, language=language)
        if value is None and fallback:
            value = parse_number(written, language=fallback)
        if value is None:  # "2019 20" is two numbers
            for part in re.finditer(r"\d+", written):
                found.append((float(part.group()), part.group(), start + part.start(), start + part.end()))
            continue
        minus = _MINUS.search(text, max(0, start - 6), start)
        if minus:
            value, written = -value, minus.group() + written if not minus["word"] else written
        found.append((value, written, start, end))
    if words:
        for match in _NUMBER_WORD.finditer(text):
            value = (_WORDS_TENS.get((match["tens"] or "").lower(), 0)
                     + _WORDS_AFTER_TENS.get((match["unit"] or "").lower(), 0)
                     + _WORDS_SMALL.get((match["small"] or "").lower(), 0))
            found.append((float(value), match.group(), match.start(), match.end()))
    return sorted(found, key=lambda number: number[2])


def passage_quantities(text: str, text_en: str | None, *, language: str | None, words: bool = True
                       ) -> list[Quantity]:
    """The numbers of one passage, valued from its original text and described by its English translation."""
    if not text_en:
        return []
    numbers_en = read_numbers(text_en, language="en", fallback=language, words=words)
    halves = _half_hours(text_en)
    # (where it starts, quantity): numbers in order, with the half hours, which hold no digits, among them.
    quantities = [(start, Quantity(minutes, _in_original(text, text_en, text_en[start:end]), ("minute",),
                                   text_en[start:end]))
                  for start, (end, minutes) in halves.items()]
    if not numbers_en:  # most passages: nothing below can find a quantity in them
        return [quantity for _, quantity in sorted(quantities, key=lambda item: item[0])]
    written_as: dict[float, tuple[str, int]] = {}  # value -> (as the original first writes it, where that ends)
    source_value: dict[str, float] = {}  # as the original writes a number -> its value there
    listed_in_source = set()  # values the original lists: "17, 18 et 20 ans"
    # Values the original gives only as percentages ("al 16%"): Apertium's Italian drops the sign ("to the 16").
    percent_signs: dict[float, bool] = {}
    degrees: dict[float, bool] = {}  # values the original gives only in degrees, whatever Apertium made of them
    pounds: dict[float, bool] = {}  # values the original gives in French pounds, whatever Apertium made of them
    for value, written, _, end in read_numbers(text, language=language):
        written_as.setdefault(value, (written, end))
        source_value.setdefault(written, value)
        if _SOURCE_LIST_JOIN.match(text, end):
            listed_in_source.add(value)
        percent_signs[value] = percent_signs.get(value, True) and bool(_PERCENT_SIGN.match(text, end))
        degrees[value] = degrees.get(value, True) and bool(_SOURCE_DEGREE.match(text, end))
        pounds[value] = pounds.get(value, True) and bool(_SOURCE_POUNDS.match(text, end))
    # Each pattern below is tried only where the words or digits it needs are in the text: scanning every passage
    # with each made the report's numbers step twice as slow.
    # Where the minutes of "an hour and ten minutes" start -> (where its hours start, how many hours).
    hours_at = {match.end(): (match.start(), _hours(match["hours"]))
                for match in _HOURS_BEFORE_MINUTES.finditer(text_en)} if _MINUTES_WORD.search(text_en) else {}
    times, zones, durations, scores, feet_and_inches, inches_of = {}, {}, {}, {}, {}, set()
    if _DIGIT.search(text_en):  # times of day, scores and heights are written in digits
        times = _times_of_day(text, text_en, language=language)
        zones = {start: _zone_after(text_en, end) for start, (end, _) in times.items()}
        durations = _hours_and_minutes(text, text_en, times, hours_at)
        scores = _scores(text, text_en, times)
        for match in _FEET_AND_INCHES.finditer(text_en):
            inches = match["inches"] or match["more_inches"]
            feet_and_inches[match.start()] = round(int(match["feet"]) + int(inches) / 12, 6)
            inches_of.add(match.start("inches" if match["inches"] else "more_inches"))
    previous = None  # the number before, when nothing said what it counts: it may start a range
    listed: list[tuple[float, str, int, int]] = []  # numbers before, joined by commas, that nothing said the count of
    for value, written, start, end in numbers_en:
        if any(hours_start <= start < minutes_start for minutes_start, (hours_start, _) in hours_at.items()):
            continue  # the hours of "an hour and ten minutes" are counted with its minutes
        if any(half_start <= start < half_end for half_start, (half_end, _) in halves.items()):
            continue  # the "two" of "two and a half hours"
        if any(times[time_start][0] <= start < zone_end for time_start, (_, zone_end) in zones.items()):
            continue  # the offset of "10:30 UTC+05:30"
        if start in times:
            time_end, value = times[start]
            written = _in_original(text, text_en, text_en[start:time_end])
            zone, zone_end = zones[start]
            quantities.append((start, Quantity(value, written, (TIME,), text_en[start:zone_end], unit=zone)))
            continue
        if any(time_start < start < time_end for time_start, (time_end, _) in times.items()):
            continue  # the minutes of a time of day
        if start in durations:
            duration_end, value, written = durations[start]
            quantities.append((start, Quantity(value, written, ("minute",), text_en[start:duration_end])))
            previous = None
            continue
        if any(duration_start < start < duration_end for duration_start, (duration_end, *_) in durations.items()):
            continue  # the minutes of "2 h 30"
        if start in scores:
            score_end, low, high, written = scores[start]
            quantities.append((start, Quantity(high, written, (SCORE,), text_en[start:score_end], low)))
            previous = None
            continue
        if any(score_start < start < score_end for score_start, (score_end, *_) in scores.items()):
            continue  # the second number of a score
        if start in inches_of:
            continue  # the inches of "6-foot-6", counted with its feet
        # A translation may keep the source's "1.300": read it the source's way when that matches the original,
        # even where the original also has the English reading's value ("5.000 acciones" beside "5 millones").
        if text != text_en and written in source_value:
            value = source_value[written]
        elif value not in written_as:
            as_source = parse_number(written, language=language)
            value = as_source if as_source in written_as else value
        counts, phrase_end = _what_it_counts(text_en, end, value)
        if start in feet_and_inches and counts[:1] == ("foot",):
            value = feet_and_inches[start]
        if percent_signs.get(value) and counts[:1] != ("percent",):
            counts = ("percent", *counts)
        if degrees.get(value) and counts[:1] not in (("degree",), ("celsius",), ("fahrenheit",)):
            counts = ("degree", *counts[1:])
        if pounds.get(value):
            counts = tuple("pound" if count == "book" else count for count in counts)
        counts = _million_or_metres(text_en, start, end, counts)
        if _names_a_kind(text_en, start, end, counts):
            previous = None
            continue
        phrase_start, low = start, None
        if start in hours_at and counts[:1] == ("minute",):
            phrase_start, hours = hours_at[start]
            value += 60 * hours
            written = text_en[phrase_start:_WORD.search(text_en, end).end()]  # "an hour and ten minutes"
        month = _MONTH_BEFORE.search(text_en, max(0, start - 12), start)
        if month and value == int(value) and 1 <= value <= 31 and _ENDS_A_DATE.match(text_en, end):
            counts = (_MONTHS[month["month"][:3].lower()],)
        if _looks_like_year(value, written, text_en[:start], text_en[end:]):
            counts = (YEAR,)
        if previous is not None and counts:
            low, phrase_start = _range_start(text_en, previous, value, start)
        previous = (value, start, end) if not counts else None
        in_list = [number for number in listed if number[0] in listed_in_source] if (
            counts and low is None and listed and _LIST_LAST.fullmatch(text_en, listed[-1][3], start)) else []
        if not counts:
            joined = listed and _LIST_COMMA.fullmatch(text_en, listed[-1][3], start)
            listed = [*listed, (value, written, start, end)] if joined else [(value, written, start, end)]
        else:
            listed = []
        unmeasured = value
        in_source = written_as.get(value) if phrase_start == start and low is None else None
        if low is not None:
            written = text_en[phrase_start:end]
        value, low, counts, unit_end = _measured(text_en, start, end, value, low, counts, phrase_start)
        # The words read into the value ("million", "hours") as the original has them: "2800 billones", not the
        # "2800 trillion" of the English.
        if in_source and text != text_en:
            written = _with_words_after(text, *in_source, len(_WORD.findall(text_en, end, unit_end)))
        else:
            written = _in_original(text, text_en, (in_source[0] if in_source else written) + text_en[end:unit_end])
        if counts[:1] in (("degree",), ("celsius",), ("fahrenheit",)) and _BELOW_ZERO.match(text_en, phrase_end):
            value = -abs(value)  # "5 degrees below zero", and Apertium's "under zero" for "bajo cero"
        # A pound after a currency sign ("£5") is money; one after the number ("550 pounds") may weigh.
        unit = counts[0] if counts and _readings(counts[0]) and not _currency_before(text_en, start) else None
        if unit in ("degree", "celsius", "fahrenheit") and (
                _CHANGE_WORDS & set(counts) or _CHANGE_BEFORE.search(text_en, max(0, phrase_start - 60), phrase_start)):
            unit = f"{unit} change"
        if counts:
            quantities.append((start, Quantity(value, written, counts,
                                               text_en[phrase_start:phrase_end].strip(), low, unit)))
        # The list's numbers take the last one's scale ("2.94, 2.89 and 2.52 million") and description.
        scale = value / unmeasured if unmeasured else 1.0
        for listed_value, listed_written, listed_start, _ in in_list:
            quantities.append((listed_start, Quantity(round(listed_value * scale, 6),
                                                      _in_original(text, text_en, listed_written), counts,
                                                      text_en[listed_start:phrase_end].strip(), None, unit)))
    return [quantity for _, quantity in sorted(quantities, key=lambda item: item[0])]


def _in_original(text: str, text_en: str, written: str) -> str:
    """`written`, read from the English, when the original has it too; else "": English words ("an hour and ten
    minutes" for "una hora y diez minutos") are not what the outlet wrote. A number a translation gives in words
    has no written form either: the English "six" found in a French original is the same letters in another
    language, the "ten" found in the Spanish "tenían" part of another word, and the "cinco" behind "five" is not
    found at all, so the French outlet was noted as writing "six" while the Spanish one was not noted."""
    if text == text_en:
        return written
    return written if _DIGIT.search(written) and written in text else ""


def _with_words_after(text: str, written: str, end: int, words: int) -> str:
    """The number `written` in `text`, ending at `end`, with the `words` words right after it ("2800 billones" for
    one word), or "" when fewer words follow it directly."""
    for _ in range(words):
        word = _WORD.match(text, end + len(re.match(r"\s*", text[end:]).group()))
        if not word:
            return ""
        written, end = written + text[end:word.end()], word.end()
    return written


def _measured(text_en: str, start: int, end: int, value: float, low: float | None, counts: tuple[str, ...],
              phrase_start: int) -> tuple[float, float | None, tuple[str, ...], int]:
    """(value, low, counts, where the words that went into the value end) for the number at `start`..`end`: scale
    words multiply it ("1.5 million", "£3bn") and hours become minutes ("1.5 hours" are the 90 minutes another
    outlet writes). What is counted is then the words left, or the currency before the number ("$1.2 billion" and
    "1,200 million dollars" both count dollars); scale words alone still describe a quantity ("2 million")."""
    scales = list(takewhile(lambda word: word in _SCALES, counts))
    for word in scales:
        value = round(value * _SCALES[word], 6)  # 2.3 × 1,000,000 is 2299999.9999999995 in floating point
        low = None if low is None else round(low * _SCALES[word], 6)
    taken, rest = len(scales), counts[len(scales):]
    if rest[:1] == ("hour",):
        value, low, rest, taken = value * 60, None if low is None else low * 60, ("minute", *rest[1:]), taken + 1
    currency = _currency_before(text_en, start) or _currency_before(text_en, phrase_start)
    # A sum with nothing after it ("it cost $5.") is money all the same, unless the end of its range follows.
    if currency and (counts or not _OPENS_A_RANGE.match(text_en, end)) and rest[:len(currency)] != currency:
        rest = (*currency, *rest)
    words = list(_WORD.finditer(text_en, end))
    return value, low, rest or counts, words[taken - 1].end() if taken else end


def _sign_start(text_en: str, start: int) -> int:
    """Where the currency sign or code before the number at `start` starts; `start` when there is none."""
    sign = _CURRENCY_BEFORE.search(text_en, max(0, start - 6), start)
    return sign.start() if sign else start


def _currency_before(text_en: str, start: int) -> tuple[str, ...] | None:
    """What the currency sign or code right before `start` counts ("dollar" for "$" or "US$"), else None."""
    sign = _CURRENCY_BEFORE.search(text_en, max(0, start - 6), start)
    if not sign:
        return None
    written = sign.group().rstrip()
    return _CURRENCIES.get(written) or (written.lower(),)  # "MX$": a dollar of its own


def _million_or_metres(text_en: str, start: int, end: int, counts: tuple[str, ...]) -> tuple[str, ...]:
    """"m" right after a number is a million before people or money or after a currency sign, else metres."""
    if counts[:1] != ("metre",) or not re.match(r" ?m\b", text_en[end:]):
        return counts
    if counts[1:2] and counts[1] in _COUNTED_IN_MILLIONS or _currency_before(text_en, start):
        return ("million", *counts[1:])
    return counts


def _names_a_kind(text_en: str, start: int, end: int, counts: tuple[str, ...]) -> bool:
    """A "k" glued to a number before a singular noun names a kind of thing, as "a 300m tower" does: a "5k run", a
    "10K race", "4K video" count nothing. Elsewhere it is thousands: after a currency sign ("$5k bonus") and before
    what is counted, a plural or people ("5k people", "10k views"), or nothing ("crowds of 50k.")."""
    following = re.match(r"[kK][ -](?P<word>[^\W\d_]+)", text_en[end:])
    if counts[:1] != ("k",) or not following or _currency_before(text_en, start):
        return False
    word = following["word"].lower()
    return word not in _STOPWORDS and _singular(word) == word and _UNITS.get(word) not in _COUNTED_IN_MILLIONS


def _range_start(text_en: str, previous: tuple[float, int, int], value: float, start: int
                 ) -> tuple[float | None, int]:
    """(low, where the range starts) when `value`, at `start`, ends a range opened by `previous` (value, start, end
    of a number nothing said the count of), else (None, start). A score ("won 3-2") is no range."""
    low, low_start, low_end = previous
    if low >= value:
        return None, start
    # Each end of a sum's range may carry the sign: "$10–$12 million", "between $10 and $12 million".
    join_end, low_sign = _sign_start(text_en, start), _sign_start(text_en, low_start)
    if _RANGE_JOIN.fullmatch(text_en, low_end, join_end):
        return low, low_start
    between = _BETWEEN.search(text_en[:low_sign])
    if between and _RANGE_AND.fullmatch(text_en, low_end, join_end):
        return low, between.start()
    if _FROM.search(text_en[:low_sign]) and _FROM_JOIN.fullmatch(text_en, low_end, join_end):
        return low, low_start
    return None, start


def _scores(text: str, text_en: str, times: dict[int, tuple[int, float]]
            ) -> dict[int, tuple[int, float, float, str]]:
    """Start -> (end, low, high, as the original writes it) of each score or tally in `text_en` ("won 3-1", "1 - 0
    Rangers", "a 52-48 vote", "won 3 to 1"). A pair is a result when nothing it counts follows it (not "10-12 people",
    "3-4 hours", "10-12 million") and either a word of its sentence says so (a match won or lost, a vote), or, for a
    dash between names ("Livingston 1 - 0 Rangers", "Chelsea 1-3 Liverpool") or after a first number not smaller,
    nothing but a name or the end of a phrase follows ("9-11 the world" stays what it was)."""
    found = {}
    for match in _SCORE_PAIR.finditer(text_en):
        start, end = match.span()
        if (any(time_start <= match.start("second") < time_end for time_start, (time_end, _) in times.items())
                or _BEFORE_A_RANGE.search(text_en, 0, start) or _currency_before(text_en, start)):
            continue
        following = _WORD_AFTER.match(text_en, end)
        word = following["word"] if following else ""
        named = _singular(word.lower())
        if named in _UNITS or named in _SCALES or named in _MONEY or word.lower() == "per":
            continue  # a range or two counts of a unit: "3-4 hours", "10 to 12 people", "2-3 million"
        if word.islower() and named != word.lower() and named not in _RESULT_AFTER and named not in _RESULT_WORDS:
            continue  # "10-12 houses"
        before = _WORDS_BEFORE.search(text_en, 0, start).group().lower()
        first, second = int(match["first"]), int(match["second"])
        told = bool(_RESULT_WORDS & set(re.findall(r"[\w-]+", before))) or named in _RESULT_AFTER
        dash = not match["join"].strip().isalpha()
        name_after = not word or word[:1].isupper()
        name_before = bool(re.search(r"\b[A-Z][^\W\d_]*\s*$", text_en[:start]))
        if not (told or dash and name_after and (first >= second or name_before)):
            continue
        source = re.search(rf"(?<![\d.,]){first}(?:{_SOURCE_SCORE_JOIN}){second}(?![\d.,]\d|\d)", text)
        found[start] = (end, float(min(first, second)), float(max(first, second)), source.group() if source else "")
    found.update(_team_by_team_scores(text, text_en, found))
    return found


def _team_by_team_scores(text: str, text_en: str, found: dict[int, tuple[int, float, float, str]]
                         ) -> dict[int, tuple[int, float, float, str]]:
    """Start -> (end, low, high, as the original writes it) of each score written team by team: "Livingston 1 -
    Rangers 0" always, "Rangers 0, Livingston 1" (a comma also lists numbered things) only in a sentence about a
    match or where nothing but a small word or the end of the phrase follows."""
    scores = {}
    for match in _TEAM_BY_TEAM.finditer(text_en):
        start, end = match.start("first"), match.end()
        teams = (match["team"].split()[-1].lower(), match["other"].split()[-1].lower())
        if start in found or set(teams) & _NUMBERED_NOT_TEAMS:
            continue
        following = _WORD_AFTER.match(text_en, end)
        word = following["word"].lower() if following else ""
        if match["join"].strip() == ",":
            if _LIST_GOES_ON.match(text_en, end) or re.search(r"\d, $", text_en[:match.start()]):
                continue  # "Paris 3, London 4 and Rome 2": a list of numbered things
            before = _WORDS_BEFORE.search(text_en, 0, match.start()).group().lower()
            told = bool(_RESULT_WORDS & set(re.findall(r"[\w-]+", before)))
            if not (told or not word or word in _STOPWORDS or word == "after"):  # "after extra time"
                continue
        elif _singular(word) in _UNITS or _singular(word) in _SCALES or _singular(word) in _MONEY:
            continue
        first, second = int(match["first"]), int(match["second"])
        source = re.search(rf"(?<![\d.,]){first}[{_SPACES}]*[-–—,][{_SPACES}]*[^\W\d_][^\d.!?]{{0,60}}?"
                           rf"[{_SPACES}]{second}(?![\d.,]\d|\d)", text)
        scores[start] = (end, float(min(first, second)), float(max(first, second)), source.group() if source else "")
    return scores


def _times_of_day(text: str, text_en: str, *, language: str | None) -> dict[int, tuple[int, float]]:
    """Start -> (end, value) of each time of day in `text_en`: "10:30", or "10.30" where the source language cannot
    read it as a number (a decimal "10.30" of an English original stays a number), or "3 p.m.", or the "15 h" and
    "15h30" the source `text` gives as a time ("à 15 h")."""
    found = {}
    for match in _TIME_OF_DAY.finditer(text_en):
        if match["mark"] == "." and parse_number(match.group(), language=language) is not None:
            continue
        hours, end = int(match["hours"]), match.end()
        afternoon = _AFTERNOON.match(text_en, end)
        if afternoon:
            hours, end = hours + 12 * (hours < 12), afternoon.end()
        morning = _MORNING.match(text_en, end)
        if morning:  # "12:55 a.m." is 00:55
            hours, end = hours % 12 if hours <= 12 else hours, morning.end()
        hours, end = _in_part_of_the_day(text_en, hours, end)
        found[match.start()] = (end, round(hours + int(match["minutes"]) / 100, 2))
    for match in _HOUR_OF_THE_DAY.finditer(text_en):
        hours = int(match["hours"]) % 12 + 12 * (match["half"].lower() == "p")
        found[match.start()] = (match.end(), float(hours))
    for match in _WHOLE_HOUR.finditer(text_en):
        if match.start() not in found and _PART_OF_THE_DAY.match(text_en, match.end()):
            hours, end = _in_part_of_the_day(text_en, int(match.group()), match.end())
            found[match.start()] = (end, float(hours))
    clock = None  # read from the source only for an hour in "h" that no rule above took
    for match in _ENGLISH_HOUR.finditer(text_en):
        if match.start() in found:
            continue
        hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
        if match["minutes"] and _PART_OF_THE_DAY.match(text_en, match.end()):  # "às 7h55 da manhã"
            hours, end = _in_part_of_the_day(text_en, hours, match.end())
            found[match.start()] = (end, round(hours + minutes / 100, 2))
            continue
        clock = _clock_hours(text) if clock is None else clock
        if (hours, minutes) in clock:
            found[match.start()] = (match.end(), round(hours + minutes / 100, 2))
    return found


def _zone_after(text_en: str, end: int) -> tuple[str | None, int]:
    """The zone (a key of _ZONES, or "UTC+8" for an offset) stated right after a time of day ending at `end`, and
    where it ends; (None, `end`) when none is."""
    match = _ZONE_AFTER.match(text_en, end)
    # After a comma only a zone's name is one: "at 10:30, CT scans showed" names none.
    if not match or match["comma"] and (match["sign"] or match["abbreviation"]):
        return None, end
    if match["sign"]:
        minutes = 60 * int(match["hours"]) + int(match["minutes"] or 0)
        if not minutes:
            return "UTC", match.end()
        sign = "+" if match["sign"] == "+" else "-"
        return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else ""), match.end()
    if match["region"]:
        season = (match["season"] or "")[:1].upper()
        return f"{_ZONE_OF_REGION[match['region'].lower()]}{season}T", match.end()
    city = match["city"] or match["city_of"]
    zone = _ZONE_OF_CITY[city.lower()] if city else match["abbreviation"] or "Spanish peninsular time"
    return zone, match.end()


def _zone(unit: str | None) -> tuple[int, str | None] | None:
    """(offset from UTC in minutes, summer-time rule) of a time's zone (its Quantity.unit); None for no zone."""
    if unit in _ZONES:
        return _ZONES[unit]
    offset = _OFFSET_ZONE.fullmatch(unit or "")
    if not offset:
        return None
    minutes = 60 * int(offset["hours"]) + int(offset["minutes"] or 0)
    return (minutes if offset["sign"] == "+" else -minutes), None


def _in_zone(value: float, zone: tuple[int, str | None], other: tuple[int, str | None], season: frozenset[str]
             ) -> float:
    """A time of day (hours.minutes) in `zone`, as a clock in `other` shows that moment in `season`."""
    hours = int(value)
    minutes = 60 * hours + round((value - hours) * 100)
    offset, rule = zone
    other_offset, other_rule = other
    moved = (minutes - offset - 60 * (rule in season) + other_offset + 60 * (other_rule in season)) % (24 * 60)
    return round(moved // 60 + moved % 60 / 100, 2)


def _hours_and_minutes(text: str, text_en: str, times: dict[int, tuple[int, float]],
                       hours_at: dict[int, tuple[int, float]]) -> dict[int, tuple[int, float, str]]:
    """Start -> (end, minutes, as the original writes it) of each duration the source gives in hours and minutes
    with "h" ("en 2h05", "à 2 h 30 de route", "a duré 2 heures 30"): 125 and 150 minutes, as "2 hours 30 minutes"
    and "two and a half hours" read, not 120 minutes and a 5 or 30 of something else. One that is also a time of
    day (`times`) stays one; one whose minutes a unit follows ("2 h 30 min") is in `hours_at`."""
    source: dict[tuple[int, int], str] = {}
    for match in _SOURCE_HOUR.finditer(text):
        if match["minutes"] and _said_to_last(text, match):
            source.setdefault((int(match["hours"]), int(match["minutes"])), match.group())
    found = {}
    for match in _ENGLISH_HOUR.finditer(text_en) if source else ():
        key = (int(match["hours"]), int(match["minutes"] or 0))
        if (match["minutes"] and key in source and match.start() not in times
                and match.start("minutes") not in hours_at):
            found[match.start()] = (match.end(), float(60 * key[0] + key[1]), source[key])
    return found


def _said_to_last(text: str, hour: re.Match) -> bool:
    """The source's hour (a _SOURCE_HOUR match) is given as a duration: "en 2h05", "à 2 h 30 de route"."""
    return bool(_SOURCE_DURATION_BEFORE.search(text, max(0, hour.start() - 12), hour.start())
                or _SOURCE_DURATION_AFTER.match(text, hour.end()) or _SOURCE_MINUTE_UNIT.match(text, hour.end()))


def _clock_hours(text: str) -> set[tuple[int, int]]:
    """(hours, minutes) the source gives with "h" only as a time of day: after "à", "vers"... ("à 15 h",
    "vers 15h30"), or with minutes that nothing says last ("aux environs de 10h15 heure locale", "pelas 19h30"),
    as news write a time. One it also gives as a duration ("à 15 h ... pendant 15 h") may be either in the English,
    and stays a duration."""
    clock_starts = {match.end() for match in _SOURCE_CLOCK.finditer(text)}
    clock: dict[tuple[int, int], bool] = {}
    for match in _SOURCE_HOUR.finditer(text):
        key = (int(match["hours"]), int(match["minutes"] or 0))
        is_clock = match.start() in clock_starts or (match["minutes"] is not None and not _said_to_last(text, match))
        clock[key] = clock.get(key, True) and is_clock
    return {key for key, is_clock in clock.items() if is_clock}


def _in_part_of_the_day(text_en: str, hours: int, end: int) -> tuple[int, int]:
    """(hours on a 24-hour clock, where the time ends) for a time at `end` that "of the evening" may follow."""
    part = _PART_OF_THE_DAY.match(text_en, end)
    if not part or hours > 12:
        return hours, end
    word = part["part"].lower()
    later = word in ("afternoon", "evening") or word == "night" and hours >= 6
    return hours % 12 + 12 * later, part.end()


def _half_hours(text_en: str) -> dict[int, tuple[int, float]]:
    """Start -> (end, minutes) of each "half an hour", "an hour and a half" or "two and a half hours"."""
    if not _HALF_WORD.search(text_en):
        return {}
    return {match.start(): (match.end(), 30 + 60 * _hours(match["whole"] or match["whole_first"] or "0"))
            for match in _HALF_HOURS.finditer(text_en)}


def _hours(written: str) -> float:
    word = written.lower()
    return 1.0 if word in ("a", "an", "one") else float(_WORDS_SMALL.get(word, 0) or word)


def find_discrepancies(passages: pl.DataFrame, coverage: pl.DataFrame, *, options: Options) -> list[Discrepancy]:
    """Every claim whose outlets carry different numbers for the same quantity.

    A claim's passages are those assigned to it plus the passages its coverage marks as partial matches."""
    members: dict[str, set[str]] = {}
    for claim_id, passage_id in passages.filter(pl.col("claim_id").is_not_null()).select(
            "claim_id", "passage_id").iter_rows():
        members.setdefault(claim_id, set()).add(passage_id)
    for claim_id, passage_id in coverage.filter(
            (pl.col("status") == "partial") & pl.col("passage_id").is_not_null()).select(
            "claim_id", "passage_id").iter_rows():
        members.setdefault(claim_id, set()).add(passage_id)
    by_id = {row["passage_id"]: row for row in passages.select(
        "passage_id", "outlet", "language", "text", "text_en").iter_rows(named=True)}
    found = []
    for claim_id, passage_ids in members.items():
        outlets = {by_id[pid]["outlet"] for pid in passage_ids if pid in by_id}
        if len(outlets) < 2:
            continue
        numbered = []
        for pid in sorted(passage_ids):
            row = by_id[pid]
            for quantity in passage_quantities(row["text"], row["text_en"], language=row["language"],
                                               words=options.numbers.words):
                numbered.append((row["outlet"], pid, quantity))
        found.extend(_claim_discrepancies(claim_id, numbered, options.numbers.tolerance))
    return sorted(found, key=lambda d: (d.claim_id, d.quantity))


def _claim_discrepancies(claim_id: str, numbered: list[tuple[str, str, Quantity]], tolerance: float
                         ) -> list[Discrepancy]:
    """Group a claim's numbers into quantities (overlapping descriptions) and keep those outlets disagree on."""
    # Numbers described alike form one quantity; then descriptions that overlap join, pairwise over the distinct
    # descriptions only, which stay few even when a hundred outlets tell the claim.
    alike: dict[tuple[tuple[str, ...], str | None], list[tuple[str, str, Quantity]]] = {}
    for item in numbered:
        alike.setdefault((item[2].counts, item[2].unit), []).append(item)
    descriptions = list(alike)
    group_of = list(range(len(descriptions)))

    def root(index: int) -> int:
        while group_of[index] != index:
            group_of[index] = group_of[group_of[index]]
            index = group_of[index]
        return index

    bare = [_bare_sum(description) for description in descriptions]
    for i, j in combinations(range(len(descriptions)), 2):
        if bare[i] != bare[j] and _currencies(descriptions[i][0]) and _currencies(descriptions[j][0]):
            continue  # a bare sum is placed below, among the sums that say what they are of
        if _same_description(descriptions[i], descriptions[j]):
            group_of[root(i)] = root(j)
    groups: dict[int, list[tuple[str, str, Quantity]]] = {}
    for index, description in enumerate(descriptions):
        groups.setdefault(root(index), []).extend(alike[description])
    _place_bare_sums(groups, descriptions, bare, root, tolerance)
    discrepancies = []
    for group in groups.values():
        values: dict[str, set[tuple[float, float, str | None]]] = {}
        for outlet, _, quantity in group:
            values.setdefault(outlet, set()).add((quantity.value if quantity.low is None else quantity.low,
                                                  quantity.value, quantity.unit))
        distinct = {frozenset(outlet_values) for outlet_values in values.values()}
        every_value = set().union(*distinct)
        if group[0][2].counts == (SCORE,):
            differ = any(not x & y for x, y in combinations(distinct, 2))  # 2-1 is no range around 1-1
        else:
            differ = any(_differ(x, y, every_value, tolerance) for x, y in combinations(distinct, 2))
        if len(values) < 2 or not differ:
            continue
        quantity_name = _name_of([quantity for _, _, quantity in group])
        readings = tuple(Reading(outlet, pid, quantity.value, quantity.written, quantity.phrase, quantity.low,
                                 quantity.unit)
                         for outlet, pid, quantity in sorted(group, key=lambda item: (item[0], item[2].value)))
        discrepancies.append(Discrepancy(claim_id, quantity_name, readings))
    return discrepancies


def _bare_sum(description: tuple[tuple[str, ...], str | None]) -> bool:
    """A sum that says nothing but its currency: "it cost £1.5 million", "an investment of 2 billion dollars"."""
    counts, _ = description
    return bool(counts) and _currencies(counts) == counts


def _place_bare_sums(groups: dict[int, list[tuple[str, str, Quantity]]],
                     descriptions: list[tuple[tuple[str, ...], str | None]], bare: list[bool], root, tolerance: float
                     ) -> None:
    """Put the bare sums of `groups` with the sums in their currency that say what they are of. With one such
    quantity ("a $2 billion investment") a bare sum is that one; among several ("£11m deal", "£1.5m bonus") it is
    the one it agrees with, or none: joining them all made "£12m deal" agree with "£11m deal" through any bare
    "£1.5 million" beside it."""
    described: dict[int, set[str]] = {}
    for index, description in enumerate(descriptions):
        if not bare[index] and _currencies(description[0]):
            described.setdefault(root(index), set()).update(_currencies(description[0]))
    for bare_root in {root(index) for index in range(len(descriptions)) if bare[index]}:
        if bare_root in described:
            continue
        currencies = {word for _, _, quantity in groups[bare_root] for word in _currencies(quantity.counts)}
        homes = [group for group, theirs in described.items() if theirs & currencies]
        if not homes:
            continue
        items = groups.pop(bare_root)
        if len(homes) == 1:
            groups[homes[0]].extend(items)
            continue
        figures = {home: [_figure(quantity) for _, _, quantity in groups[home]] for home in homes}
        unplaced = []
        for item in items:
            agreeing = [home for home in homes if any(_agree(_figure(item[2]), figure, tolerance)
                                                      for figure in figures[home])]
            for home in agreeing:
                groups[home].append(item)
            if not agreeing:
                unplaced.append(item)
        if unplaced:
            groups[bare_root] = unplaced


def _figure(quantity: Quantity) -> tuple[float, float, str | None]:
    return (quantity.value if quantity.low is None else quantity.low, quantity.value, quantity.unit)


def _differ(x: frozenset[tuple[float, float, str | None]], y: frozenset[tuple[float, float, str | None]],
            every_value: set[tuple[float, float, str | None]], tolerance: float) -> bool:
    """Two outlets' values for a quantity differ: none of one agrees with any of the other, nor are two of them
    conversions of one figure in another unit. "136 km/h" and "138 km/h" beside another outlet's "85 mph" both
    convert it, each rounded its own way, as "322 km" and "300 km" do "200 miles": the outlets tell one figure."""
    return not any(_agree(a, b, tolerance) or any(
        _converts(a, c, tolerance) & _converts(b, c, tolerance) for c in every_value) for a in x for b in y)


def _converts(a: tuple[float, float, str | None], c: tuple[float, float, str | None], tolerance: float
              ) -> frozenset[tuple[str, float, float] | None]:
    """The readings of `c` that `a` may be converted from: they agree only in another unit or reading ("136 km/h"
    and "85 mph", "26 degrees" and "80 degrees"), not as written, as a number does with a range around it. Two
    figures convert one only through one reading of it: a bare "11 degrees" apart is not 20 °F apart for one
    outlet and 7 °C apart (11 °F) for another. None stands for a figure with no readings (a time in its zone)."""
    if _same(a[:2], c[:2], tolerance) or not _agree(a, c, tolerance):
        return frozenset()
    readings = _readings(c[2])
    if not readings:
        return frozenset({None})
    return frozenset(reading for reading in readings if _agree(a, c, tolerance, through=reading))


def _name_of(quantities: list[Quantity]) -> str:
    """What the numbers count, as the English says it: the words all readings share ("foreign leaders" from
    "26 foreign leaders attended" and "25 foreign leaders"), else the most common wording."""
    descriptions = [quantity.phrase.split()[1:] if quantity.counts not in ((YEAR,), (TIME,), (SCORE,))
                    else list(quantity.counts) for quantity in quantities]
    shared = []
    for words in zip(*descriptions):
        if len(set(words)) > 1:
            break
        shared.append(words[0])
    if shared:
        return " ".join(shared)
    wordings = [" ".join(words) or quantity.counts[0] for words, quantity in zip(descriptions, quantities)]
    return max(sorted(set(wordings)), key=wordings.count)


def _same_quantity(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """"25 foreign leaders", "26 heads" and "26 foreign heads" count the same thing; "26 leaders attended" and
    "3 ministers attended" do not: one's first word must appear in the other, or two words must be shared."""
    return a[0] in b or b[0] in a or len(set(a) & set(b)) >= 2


def _same_description(a: tuple[tuple[str, ...], str | None], b: tuple[tuple[str, ...], str | None]) -> bool:
    """Whether two descriptions (counts, unit) count the same quantity. Two measures do when they measure one kind
    of quantity at one scale, whatever their units: "85 mph" and "136 km/h" a speed, "10 inches of rain" and "25 cm
    of rain" a length, but not "80 degrees" and "10 degrees above average", nor "a 300 m tower" and "1,300 km"."""
    (a_counts, a_unit), (b_counts, b_unit) = a, b
    a_money, b_money = _currencies(a_counts), _currencies(b_counts)
    if a_money and b_money:
        # Sums in one currency: what follows it says what each is of ("deal", "bonus"). A sum that says nothing
        # more ("an investment of 2 billion dollars", as Romance languages put it) may be any of them.
        a_rest, b_rest = a_counts[len(a_money):], b_counts[len(b_money):]
        return bool(set(a_money) & set(b_money)) and (not a_rest or not b_rest or _same_quantity(a_rest, b_rest))
    a_kinds = {kind for kind, _, _ in _readings(a_unit)}
    b_kinds = {kind for kind, _, _ in _readings(b_unit)}
    if not (a_kinds and b_kinds):
        return _same_quantity(a_counts, b_counts)
    kind = min(a_kinds & b_kinds, default=None)
    return kind is not None and _same_quantity((kind, *a_counts[1:]), (kind, *b_counts[1:]))


def _currencies(counts: tuple[str, ...]) -> tuple[str, ...]:
    """The currencies a description starts with: ("yen", "yuan") for "¥5 billion", ("mx$",) for "MX$5"."""
    return tuple(takewhile(lambda word: word in _MONEY or word.endswith("$"), counts))


def _what_it_counts(text_en: str, end: int, share_of: float | None = None) -> tuple[tuple[str, ...], int]:
    """Normalised content words right after a number, up to a stopword or punctuation, and where they end. A number
    valued `share_of` may count a whole it is a share of ("19 of his 29 matches")."""
    counts, position = [], end
    skipped: list[str] = []  # the stopwords before the first word that counts
    rest = text_en[end:]
    for match in _WORD.finditer(rest):
        gap = rest[position - end:match.start()]
        per = counts[-1:] == ["per"] or counts and gap == "/"  # "per cent", "miles per hour", "km/h"
        word = match.group().lower()
        share = not counts and skipped[:1] == ["of"] and set(skipped[1:]) <= _SHARE_OF
        whole = _WHOLE_NUMBER.fullmatch(gap) if share else None
        if whole and share_of is not None and share_of < float(whole["whole"].replace(",", "")) and (
                word not in _STOPWORDS | _NO_SHARE_OF and not _readings(_UNITS.get(_singular(word), word))):
            gap = ""  # "19 of his 29 matches": the whole's number, its description the share's
        # Punctuation ends the phrase, and so does a spaced dash: "Livingston 1 - Rangers 0" gives Rangers no 1,
        # where the hyphen of "a 20-degree rise" joins the number to what it counts.
        if not (per or _DESCRIPTION_GAP.fullmatch(gap)) or len(counts) == _WINDOW:
            break
        if share and word == "each":
            skipped.append(word)  # "eight of each 12 points"
            position = end + match.end()
            continue
        if word in ("a", "an", "by") and counts and counts[-1] in _MEASURES and _PER_TIME.match(rest, match.end()):
            counts.append("per")  # "85 miles an hour"
            position = end + match.end()
            continue
        if word in _STOPWORDS:
            # "2 millardos of dollars", as Apertium puts "de dólares": the "of" after a scale goes on to the unit.
            if counts and not (word == "of" and all(count in _SCALES for count in counts)) or (
                    word in _ENDS_A_DESCRIPTION):
                break
            skipped.append(word)
            position = end + match.end()
            continue
        if not counts and not gap and match.group() in ("C", "F"):
            counts.append(_TEMPERATURE_SCALES[word])  # "-5C", "80F", as British and American papers write them
            position = end + match.end()
            continue
        unit = _UNITS.get(_singular(word), _singular(word))
        if unit == "sterling" and counts[-1:] in (["pound"], ["book"]):
            position = end + match.end()  # "pounds sterling" are pounds
            continue
        if counts[-1:] == ["degree"] and word in _TEMPERATURE_SCALES:
            counts[-1] = _TEMPERATURE_SCALES[word]  # "26 °C", "80 degrees Fahrenheit"
            position = end + match.end()
            continue
        if counts[-1:] == ["square"] and unit in _MEASURES:
            counts[-1] = f"{unit}²"  # "2 square miles"
            position = end + match.end()
            continue
        if per:
            # A rate is a quantity of its own: 130 km/h is no distance, and "85 miles per hour" no percentage.
            if counts[-1] == "per":
                counts.pop()
            if unit == "cent":
                unit = "percent"
            elif counts and counts[-1] not in _SCALES:
                if unit == "metre" and rest[match.end():match.end() + 1] == "2":
                    unit = "metre²"  # "l/m2"
                rate = f"{counts.pop()}/{unit}"
                unit = _UNITS.get(rate, rate)
            else:
                unit = f"/{unit}"  # "$100 million per year": the scale still multiplies
        counts.append(unit)
        position = end + match.end()
    return tuple(counts), position


def unit_name(unit: str, value: float) -> str:
    """A unit as an English news reader expects it after `value`: "mph", "km/h", "°C", "1 yard" but "30 yards",
    "2 inches per hour"; a change of temperature is named as its unit is."""
    unit = unit.removesuffix(" change")
    if _zone(unit):
        return unit  # a time's zone: "ET", "Moscow time"
    if unit in _UNIT_ABBREVIATIONS:
        return _UNIT_ABBREVIATIONS[unit]
    measured, per, of_time = unit.partition("/")
    if per:
        return f"{unit_name(measured, value)} per {of_time}"
    singular, plural = _UNIT_NAMES.get(unit, (unit, unit + "s"))
    return singular if value == 1 else plural


def _readings(unit: str | None) -> tuple[tuple[str, float, float], ...]:
    """The readings (kind, size, offset) of a unit of measure; a rate of one per a unit of time ("inches per
    hour") measures that kind per that unit. None for what is no measure."""
    if unit in _MEASURES:
        return _MEASURES[unit]
    measured, _, per = (unit or "").partition("/")
    return tuple((f"{kind} per {per}", size, offset) for kind, size, offset in _MEASURES.get(measured, ())
                 if per and kind != "temperature")


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _looks_like_year(value: float, written: str, before: str, after: str) -> bool:
    """A four-digit number from 1000 to 2100 named a year ("the year 2019", "September 2019") or not directly
    followed by what it counts ("1200 km" is no year)."""
    if not (written.isdigit() and len(written) == 4 and 1000 <= value <= 2100):
        return False
    previous_word = before.rstrip(" ").rpartition(" ")[2].lower()
    if previous_word in _YEAR_NAMERS:
        return True
    next_word = _WORD.match(after.lstrip(" "))
    if next_word is None or next_word.group().lower() in _STOPWORDS:
        return True
    # "A fire in 1939 left the building", "the 2017 election": a year, where "in 1500 cases" and "the 1200 km"
    # count what follows, a plural or a unit.
    word = next_word.group().lower()
    return previous_word in _BEFORE_A_YEAR and _singular(word) == word and word not in _UNITS


def _part_of_a_name(text: str, start: int) -> bool:
    """Digits glued to a Latin, Cyrillic or Greek word ("G20", "DF-61", "Су-57") name a thing, not a count."""
    before = text[max(0, start - 2):start]
    if before[-1:] == "-":
        before = before[:1]
    return bool(before[-1:]) and before[-1].isalpha() and unicodedata.name(before[-1], "").startswith(
        ("LATIN", "CYRILLIC", "GREEK"))


def _agree(a: tuple[float, float, str | None], b: tuple[float, float, str | None], tolerance: float, *,
           through: tuple[str, float, float] | None = None) -> bool:
    """Two values or ranges (low, high, unit) agree. In one unit, or where either is no measure, they must be
    equal within `tolerance` (`_same`). In two units of one kind ("85 mph" and "137 km/h"), each figure stands for
    the range it rounds (`_rounded`): they agree when those ranges, in one base unit, meet within the conversion
    slack. A unit with two readings agrees when any reading does: "80 degrees" and "26 degrees" agree as 80 °F and
    26 °C; `through` names the one reading of `b` to try."""
    (a_low, a_high, a_unit), (b_low, b_high, b_unit) = a, b
    as_written = _same((a_low, a_high), (b_low, b_high), tolerance)
    a_zone, b_zone = _zone(a_unit), _zone(b_unit)
    if a_zone and b_zone:  # two times of day, each with its zone: one moment?
        return any(_same((a_low, a_high), (_in_zone(b_low, b_zone, a_zone, season),
                                           _in_zone(b_high, b_zone, a_zone, season)), tolerance)
                   for season in _SEASONS)
    if a_unit == b_unit and as_written:
        return True
    readings = [(a_reading, b_reading) for a_reading in _readings(a_unit) for b_reading in _readings(b_unit)
                if a_reading[0] == b_reading[0] and through in (None, b_reading)]
    if not readings:  # no two measures of one kind: numbers described alike, compared as written
        return as_written
    for a_reading, b_reading in readings:
        if a_reading == b_reading:  # a bare degree read as Celsius against a Celsius degree: one unit
            agree = as_written
        else:
            slack = tolerance if a_reading[0] == "temperature" else max(tolerance, _CONVERSION_SLACK)
            agree = _same(_rounded(a_low, a_high, a_reading), _rounded(b_low, b_high, b_reading), slack)
        if agree:
            return True
    return False


def _rounded(low: float, high: float, reading: tuple[str, float, float]) -> tuple[float, float]:
    """The range a figure (or range of figures) as written may have been rounded from, in its kind's base unit."""
    _, size, offset = reading
    return (low - _rounding(low) + offset) * size, (high + _rounding(high) + offset) * size


def _rounding(value: float) -> float:
    """How far a written figure may be from what it rounds: half a unit of its last nonzero digit ("137" is 136.5
    to 137.5, "1.5" 1.45 to 1.55, "250" 245 to 255, "300" 250 to 350), but never more than 10 % of it, so that a
    round "10 inches" is 9 to 11 inches, not 5 to 15, and "300 km" 270 to 330 km."""
    written = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    if "." in written:
        place = 10.0 ** -len(written.partition(".")[2])
    else:
        place = 10.0 ** (len(written) - len(written.rstrip("0")))
    return min(place / 2, abs(value) / 10)


def _same(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    """Two values, or ranges (low, high), agree: they overlap, within `tolerance` of the larger number."""
    (a_low, a_high), (b_low, b_high) = a, b
    return (a_low - b_high <= tolerance * max(abs(a_low), abs(b_high))
            and b_low - a_high <= tolerance * max(abs(b_low), abs(a_high)))
