"""Collect (parsing): the dates feeds write, in the languages and zones they write them in.

feedparser reads RFC 822 dates in English only and drops a date without a zone, so "lun, 01 oct 2018
10:00:00 +0200" from a French feed or "Mon, 01 Oct 2018 10:00:00" left the item to the page's date, often
only a day. Dates in the form "[day name,] DD month YYYY [HH:MM[:SS]] [zone]" are read here, their month
named in English, French, Spanish, German, Portuguese or Italian; other forms are left to feedparser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from feedparser.datetimes.rfc822 import timezone_names as FEEDPARSER_ZONES

# Names of months (full and abbreviated) in the languages read: no name means two months across them.
_MONTH_NAMES = [
    "january jan janvier janv enero ene januar jänner jän janeiro gennaio gen",
    "february feb février févr fév fevrier fevr fev febrero februar fevereiro febbraio",
    "march mar mars marzo märz mär mrz marz março marco",
    "april apr avril avr abril abr aprile",
    "may mai mayo maio maggio mag",
    "june jun juin junio juni junho giugno giu",
    "july jul juillet juil julio juli julho luglio lug",
    "august aug août aout aoû aou agosto ago",
    "september sep sept septembre septiembre setiembre setembro settembre set",
    "october oct octobre octubre oktober okt outubro out ottobre ott",
    "november nov novembre noviembre novembro",
    "december dec décembre déc decembre diciembre dic dezember dez dezembro dicembre",
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
# A zone name means one offset (hours east of UTC) wherever news feeds use it; others (IST is India, Ireland or
# Israel) leave the date to the page.
ZONE_OFFSETS = {**FEEDPARSER_ZONES, "utc": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "eet": 2,
                "eest": 3, "msk": 3, "wat": 1, "cat": 2, "sast": 2, "eat": 3, "pkt": 5, "wib": 7, "ict": 7,
                "hkt": 8, "sgt": 8, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
                "brt": -3, "art": -3}
_DATE = re.compile(r"""^\s*
    (?:[^\W\d_]+\.?,?\s+)?                                   # the day's name: not needed, in any language
    (?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?,?\s+(?:de\s+)?(?P<year>\d{4})
    (?:,?\s+(?:[^\W\d_]+\s+)?(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?
    \s*(?:(?P<sign>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2})|(?P<zone>[A-Za-z]{1,5}))?\s*$""", re.X)
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?\s*$")


class UnknownZoneName(ValueError):
    """The date names a time zone that has no single meaning (IST) or none known here."""


@dataclass(frozen=True)
class FeedDate:
    wall: datetime  # as written, naive
    offset: timedelta | None  # east of UTC; None when the date names no zone


def read_feed_date(text: str) -> FeedDate | None:
    """The date in `text`, or None when it is in a form not read here. Raises UnknownZoneName."""
    iso = _ISO.match(text)
    if iso:
        try:
            moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
        except ValueError:
            return None
        return FeedDate(moment.replace(tzinfo=None, microsecond=0), moment.utcoffset())
    match = _DATE.match(text)
    month = _MONTHS.get(match["month"].lower()) if match else None
    if not month:
        return None
    try:
        wall = datetime(int(match["year"]), month, int(match["day"]), int(match["hour"] or 0),
                        int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:
        return None
    if match["sign"]:
        offset = timedelta(hours=int(match["zh"]), minutes=int(match["zm"]))
        return FeedDate(wall, -offset if match["sign"] == "-" else offset)
    if match["zone"]:
        hours = ZONE_OFFSETS.get(match["zone"].lower())
        if hours is None:
            raise UnknownZoneName(match["zone"])
        return FeedDate(wall, timedelta(hours=hours))
    return FeedDate(wall, None)
