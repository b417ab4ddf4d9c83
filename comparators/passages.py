"""Stage 3, split: cut each story block into passages (sentences) with character offsets into the article text.

Handles Latin full stops with abbreviations, numbers and German ordinals ("am 3. September", and in German text
"der 34. Einsatz"), CJK full stops (。！？), closing quotes after the stop (German „…“ and »…«, and French guillemets
after a no-break space, included), quotes that a particle or a speaker follows and ellipses in scripts without
letter case (Arabic, Chinese, Japanese, Korean), and headlines or list items that end without one (a block always
ends a passage).
"""

from __future__ import annotations

import re

from .options import Options

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "sra", "srta", "st", "jr", "gen", "gov", "sen", "rep", "col", "lt",
    "sgt", "capt", "cmdr", "adm", "pres", "vs", "e.g", "i.e", "u.s", "u.k", "u.n", "cf", "mme", "mlle", "dott",
    "sig", "ing", "av", "avda", "z.b", "bzw", "ggf", "inc", "ltd", "co", "corp", "dept", "rev", "hon", "mt", "a.m",
    "p.m", "ee", "uu", "ee.uu", "sres", "dña", "dra", "sta", "sto", "ud", "uds", "vd", "mons", "cía", "s.a", "ltda",
    "св", "ул", "проф", "англ",  # Russian and Ukrainian: Св. Мартина, ул. Ленина, от англ. …
}
# Titles whose letters are also words ("pas de sens.", Danish and Norwegian "om det."): capitalised, before a
# capitalised name, they go on ("U.S. Sens. Lindsey Graham", "Det. Dennis McCarthy said"); the singular titles
# (Sen., Gov., Lt., Capt., Gen.) are plain abbreviations above.
_TITLES_WHEN_CAPITALISED = {
    "sens", "reps", "govs", "gens", "cols", "lts", "sgts", "capts", "det", "dets", "supt", "insp", "cpl", "pvt",
    "maj"}
# Abbreviations that also end sentences ("at 10 a.m. The parade", "from the U.S. The rest"). Their stop ends one
# before a word that opens sentences and never goes on from them ("The", "However"), or before a capitalised word
# that a lowercase word other than a name's "of" follows, a name and its verb ("the U.S. Trump said", "the U.S.
# Rosa will bring"), unless it is what these abbreviations go on to name: an institution or title ("the U.S. Senate
# voted", "U.S. Secretary of State"), a day, month or time zone ("3 p.m. Monday at", "5 a.m. Eastern time"). A
# longer name goes on too ("the U.S. Drought Monitor", "Apple Inc. Chief Executive"), and so does a name that opens
# a sentence with another name ("the U.S. Kim Jong Un arrived"), which would take a list of names to tell apart.
_ABBREVIATIONS_ENDING_SENTENCES = {"a.m", "p.m", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "jr"}
_SENTENCE_OPENERS = {
    "the", "a", "an", "in", "it", "he", "she", "they", "we", "i", "this", "that", "these", "those", "there", "but",
    "on", "at", "after", "its", "his", "her", "their", "as", "however", "meanwhile", "still", "yet", "so", "and",
    "if", "when", "while", "although", "though", "because", "also", "now", "then", "earlier", "later", "since",
    "for", "with", "from", "to", "by", "what", "why", "how", "here", "some", "many", "most", "both", "all", "no",
    "our", "you", "such", "despite", "during", "before", "until", "instead", "indeed", "last", "next",
    # Russian and Ukrainian, after "г.", "млн." and the like: "…в 1950 г. В Москве он учился."
    "в", "во", "на", "по", "с", "со", "к", "из", "за", "от", "до", "у", "о", "об", "при", "для", "без", "после",
    "это", "он", "она", "они", "мы", "я", "но", "и", "а", "однако", "как", "так", "тогда", "потом", "затем", "з",
    "із", "від", "це", "він", "вона", "вони", "ми", "але", "та", "і", "потім", "тоді", "вы", "ви"}
# Russian and Ukrainian abbreviations that end sentences too ("Их было 5 млн. Россия потеряла больше."), the way
# "U.S." does: before a name and its verb or an opener the stop ends one, before a name alone it goes on
# ("37 млрд. долл. США, чтобы", "1941–1945 гг. Советский Союз потерял"). "г." or Ukrainian "р." after no number is
# a town or river ("в г. Москве", "р. Дніпро") and goes on; "т. е." (that is) never ends a sentence.
_CYRILLIC_ABBREVIATIONS_ENDING_SENTENCES = {"млн", "млрд", "тыс", "руб", "грн", "долл", "дол", "г", "гг", "р", "в"}
# A year that opens its sentence or clause ("В 2018 г. Путин подписал", "…, а в 2018 г. Путин") leads it on: the
# sentence has yet to say what happened then. At a clause's end ("…вступил в силу в 2018 г. Путин …") it may end one.
_YEAR_OPENING_A_CLAUSE = re.compile(
    r"(?:^\s*|[,:;(—–]\s*|\s[–—-]\s*)[\"«„“]?(?:(?:а|и|но|однако|уже|ещё|еще|та|і|але)\s+)?(?:[^\W\d_]+\s+)?"
    r"\d{3,4}(?:\s*[–—-]\s*\d{2,4})?\s?(?:гг|г|рр|р)$")
_NAMED_AFTER_AN_ABBREVIATION = {
    "president", "vice", "senate", "senator", "congress", "congressman", "congresswoman", "house", "army", "navy",
    "marines", "marine", "military", "forces", "government", "administration", "embassy", "ambassador", "envoy",
    "treasury", "department", "secretary", "cabinet", "parliament", "mission", "command", "constitution", "open",
    "capitol", "mint", "dollar", "attorney", "justice", "court", "chief", "chairman", "chairwoman", "chair", "ceo",
    "executive", "director", "spokesman", "spokeswoman", "spokesperson", "day",
    # what an institution's name leads with before a lowercase noun: "U.S. Defense officials said"
    "defense", "defence", "intelligence", "homeland", "state", "foreign", "federal", "border", "trade", "energy",
    "health", "national", "supreme", "special", "naval", "air", "coast", "secret", "customs", "immigration",
    "diplomatic", "consular", "olympic", "team",
    # a company, region or group the U.S. names: "U.S. Steel shares", "the U.S. Midwest", "U.S. Catholic bishops"
    "steel", "news", "bank", "census", "postal", "congressional", "midwest", "northeast", "northwest", "southeast",
    "southwest", "south", "north", "west", "east", "catholic", "muslim", "jewish", "christian", "evangelical",
    "democratic", "republican", "democrats", "republicans", "senators", "ambassadors", "envoys", "diplomats",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "eastern", "pacific",
    "central", "mountain", "atlantic", "et", "est", "edt", "ct", "cst", "cdt", "pt", "pst", "pdt", "gmt", "utc",
    "bst", "cet", "cest"}
# Lowercase words that go on a name rather than start its sentence: "Secretary of State", "Beijing time".
_WITHIN_A_NAME = {"of", "for", "and", "time"}
_CLOSING_QUOTES = "\"'”’»"
# A quoted question or exclamation that a name and a speech verb follow goes on: "“Is it over?” Trump asked."
# A capitalised pronoun there opens a new sentence instead ("…now?' She said no one had told her").
_SPEAKER_AFTER_A_QUOTE = re.compile(
    r"(?P<name>[A-Z]\w+)(?:\s[A-Z]\w+){0,2}\s(?:asked|said|says|replied|shouted|added|wrote|insisted|exclaimed|wondered|"
    r"answered|responded|cried|yelled|told)\b")
# What a quote goes on to in Arabic, Chinese, Japanese and Korean, where no letter case tells a sentence's start:
# a quotative particle ("…」と述べた", "…”라고 말했다"), an Arabic speech verb with its speaker ("!" كما أضاف هاميل),
# or a speaker and speech verb alone ("…了。”他说。", "…입니다.” 그가 말했다.", "…！」ハメルは語る。"), however long
# the speaker's clause ("…」スターリッジはLiverpoolFC.comに言った。", "…” 수도 스코페의 유권자인 조세 타네프스키(62세)가 말했습니다.").
_QUOTE_GOES_ON = re.compile(
    r"と|って|(?:이)?라(?:고|며|는)|[,，、]"
    r"|(?:كما\s+)?[وف]?(?:قال|أضاف|أكد|أوضح|صرح)ت?(?!\w)"
    r"|(?:[^.!?。！？\n「」“”\"]|\.(?=\w)){0,90}(?:说|道|表示|語る|語った|述べた|言った|話した|付け加えた|言及した|説明した|伝えた|"
    r"報告した|答えた|強調した|말했다|말했습니다|덧붙였다|덧붙였습니다|밝혔다|밝혔습니다|전했다|전했습니다|"
    r"설명했다|설명했습니다|강조했다|강조했습니다|보도했다|보도했습니다)[.。]")
# Abbreviations only before a number ("No. 1", "n. 1", "Sept. 3", "Art. 5", "ca. 300", "max. 5 km"): the same
# letters end many sentences as words or units ("He said no.", "Llegaron por mar.", "Ho vol.", "Il est.", "70 min.").
# "etc." and a lowercase "m." (metres) are left out altogether: before a capital they end a sentence, and a
# lowercase word after them keeps it going anyway; "M. Macron" is kept whole as an initial.
_ABBREVIATIONS_BEFORE_A_NUMBER = {
    "no", "n", "nr", "núm", "art", "p", "pp", "vol", "fig", "pág", "tel", "approx", "ca", "est", "min", "max", "ft",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "ст", "ч", "п", "рис", "табл", "гл", "стр"}  # Russian and Ukrainian: по ст. 105, ч. 2, п. 3, рис. 4
# German writes ordinals with a full stop: "am 3. September", "den 80. Jahrestag", "im 19. Jahrhundert" go on.
_NOUNS_AFTER_AN_ORDINAL = {
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
    "november", "dezember", "jahrestag", "geburtstag", "todestag", "jahrhundert", "jahrtausend", "minute", "mal",
    "platz", "runde", "spieltag", "etappe", "klasse", "liga", "woche", "weltkrieg", "parteitag", "auflage"}
# In German text any noun goes on after an ordinal that an article or a preposition leads ("der 34. Einsatz", "am
# 15. Loch", "zum 80. Jahrestag"), unless the capitalised word is one that opens sentences ("Sie begann am 3. Um
# zehn Uhr"); a number that no such word leads ends its sentence ("Er wurde 34. Polizisten kamen").
_LEADING_A_GERMAN_ORDINAL = {
    "der", "die", "das", "den", "dem", "des", "am", "im", "zum", "zur", "vom", "beim", "ins", "ans", "aufs", "ihr",
    "ihre", "ihrem", "ihren", "ihrer", "ihres", "sein", "seine", "seinem", "seinen", "seiner", "seines", "unser",
    "unsere", "unserem", "unseren", "unserer", "jeder", "jede", "jedem", "jeden", "dieser", "diese", "diesem",
    "diesen", "dieses"}
_GERMAN_SENTENCE_OPENERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "er", "sie", "es", "wir",
    "ihr", "ich", "du", "man", "dies", "diese", "dieser", "dieses", "diesem", "diesen", "dann", "danach",
    "daraufhin", "da", "dort", "hier", "heute", "gestern", "morgen", "damals", "später", "zuvor", "zudem",
    "außerdem", "trotzdem", "dennoch", "deshalb", "daher", "darum", "also", "allerdings", "jedoch", "doch", "aber",
    "und", "oder", "denn", "so", "auch", "nun", "jetzt", "inzwischen", "mittlerweile", "schließlich", "bereits",
    "schon", "noch", "nur", "zunächst", "zuerst", "anschließend", "erst", "in", "im", "am", "an", "auf", "aus",
    "bei", "beim", "mit", "für", "von", "vom", "zu", "zum", "zur", "seit", "bis", "über", "unter", "nach", "vor",
    "gegen", "ohne", "um", "laut", "trotz", "wegen", "während", "wie", "was", "wer", "wo", "wann", "warum", "als",
    "wenn", "weil", "ob", "dass", "obwohl", "nachdem", "bevor", "alle", "viele", "einige", "mehrere", "beide",
    "kein", "keine", "nicht", "sein", "seine", "ihre", "unser", "unsere", "mein", "meine", "wird", "wurde", "ist",
    "war", "hat", "hatte", "gibt", "ja", "nein"}
# French sets a no-break space (or, in text that lost it, a space) before a closing guillemet (« Non ! », a-t-il
# dit): the quote and what follows it belong to the sentence, so the stop only ends one where the quote is
# followed by a space (possessive `*+`: no backtracking to a stop before the quote).
# German closes a quote with “ or ‘ („So ist es.“) or, in books and some papers, with « (»So ist es.«): after a
# Latin stop and before a space they can only close one. A spaced » that a word follows opens a German quote.
_SENTENCE_END = re.compile(
    r"""[.!?…]+(?:[\u00a0\u202f]?["'”’“‘»«」』)\]]|\x20»(?!\w))*+(?=\s|$)
        |[。！？]+(?:[\u00a0\u202f]?["'”’»」』)\]]|\x20»(?!\w))*+(?=\s|$)|[。！？]+["'”’»」』)\]]*""", re.VERBOSE)
# Full-width marks need no space after them: Chinese and Japanese set none, and their overlong sentences, which
# have no spaces either, would otherwise be cut mid-word.
_CLAUSE_BREAK = re.compile(r"[;:,]\s|[；：，、]")


def split_passages(text: str, blocks: list[tuple[int, int]], *, options: Options,
                   language: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of every passage, in order; `text[start:end]` is the passage, stripped. `language` (ISO 639-1,
    None if unknown) lets rules that hold in one language only apply."""
    passages: list[tuple[int, int]] = []
    for block_start, block_end in blocks:
        block = list(_sentences(text, block_start, block_end, language))
        passages.extend(_merge_short(text, block, options.passages.min_chars))
    return [piece for start, end in passages for piece in _cap_length(text, start, end, options.passages.max_chars)]


def _sentences(text: str, start: int, end: int, language: str | None):
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        # A sentence that would be a number alone numbers an inline list's item and goes with it: "… this. 2. The
        # second …".
        if _list_number(text[cursor:match.start()]) or _sentence_goes_on(text, match.start(), stop, end, language,
                                                                          cursor):
            continue
        yield from _stripped(text, cursor, stop)
        cursor = stop
    yield from _stripped(text, cursor, end)


def _sentence_goes_on(text: str, mark: int, stop: int, end: int, language: str | None, sentence_start: int) -> bool:
    """The stop at `mark` (up to `stop`, closing quotes included; its sentence began at `sentence_start`) ends no
    sentence: what follows starts with a
    lowercase letter ("“Is it over?” he asked.", "the U.S. and China") or a speaker ("“Is it over?” Trump asked."),
    or the full stop marks an abbreviation, an initial or a German ordinal."""
    following = text[stop:end].lstrip()
    # A quote that opens on a lowercase word goes on too: "Tough talk... “and then we fell in love”".
    if following.lstrip("\"'“‘«„")[:1].islower():
        return True
    if text[stop - 1] in _CLOSING_QUOTES + "」』" and _QUOTE_GOES_ON.match(following):
        return True
    # Where letters have no case, an ellipsis cannot show a new sentence by a capital: in news it pauses one
    # ("إنهم صغار وفضوليون جدًا ... إنهم لا يهدفون", "…136年，1882年9月30日这一天 ... 这一天").
    if text[stop - 1] in ".…" and text[stop - 2:stop] in ("..", "…") and _caseless_letter(following[:1]):
        return True
    if text[mark] in "?!":
        return text[stop - 1] in _CLOSING_QUOTES and _speaker_follows(following)
    if text[mark] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, mark - 20):mark])
    token = word.group(1).lower() if word else ""
    if token == "us" and word.group(1) == "US":
        token = "u.s"  # the country without its dots ("as US. Secretary of State Pompeo"), never the pronoun
    if token in _TITLES_WHEN_CAPITALISED and word.group(1)[0].isupper() and following[:1].isupper():
        return True
    if token in _CYRILLIC_ABBREVIATIONS_ENDING_SENTENCES:
        town = token in ("г", "р") and not re.search(r"\d\s*[гр]$", text[max(0, mark - 3):mark])
        if town or _YEAR_OPENING_A_CLAUSE.search(text[sentence_start:mark]):
            return True
        # A quote may open the next sentence ("к 2030 г. «Увеличение бюджета …»"); a quoted name goes on ("в 2018 г.
        # «Газпром» подписал"): nothing but the closing quote follows its first word.
        return not _opens_a_sentence(following.lstrip("«„\"“"))
    if token == "е" and re.search(r"\bт\.\s?е$", text[max(0, mark - 5):mark]):
        return True
    if token in _ABBREVIATIONS:
        return not (token in _ABBREVIATIONS_ENDING_SENTENCES and _opens_a_sentence(following))
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word.group(1) if word else "") and _caseless_letter(following[:1]):
        return True  # a dotted acronym inside Korean or Chinese: "미국은 A.I. 자금을"
    if len(token) == 1 and text[mark - 1].isupper() and text[mark - 2:mark - 1] != "°":
        return True  # an initial: "Kim J. Un" (but "40 °C." is a unit)
    if token in _ABBREVIATIONS_BEFORE_A_NUMBER and following[:1].isdigit():
        return True
    next_word = re.match(r"\w+", following)
    if not (token.isdigit() and len(token) <= 3 and next_word):
        return False
    return _ordinal_noun(next_word.group().lower()) or (
        language == "de" and _german_ordinal(text[max(0, mark - 30):mark], next_word.group()))


def _opens_a_sentence(following: str) -> bool:
    """What follows an abbreviation that may end a sentence starts a new one (see _ABBREVIATIONS_ENDING_SENTENCES)."""
    first = re.match(r"(\w+)(?: (\w+))?", following)
    if not first or not first[1][0].isupper():
        return False
    word = first[1].lower()
    if word in _SENTENCE_OPENERS:
        return True
    after = first[2] or ""
    return (word not in _NAMED_AFTER_AN_ABBREVIATION and after[:1].islower()
            and after not in _WITHIN_A_NAME)


def _caseless_letter(char: str) -> bool:
    return char.isalpha() and not char.isupper() and not char.islower()


def _list_number(piece: str) -> bool:
    piece = piece.strip()
    return piece.isdigit() and len(piece) <= 2


def _speaker_follows(following: str) -> bool:
    speaker = _SPEAKER_AFTER_A_QUOTE.match(following)
    return bool(speaker) and speaker["name"].lower() not in _SENTENCE_OPENERS


def _ordinal_noun(word: str) -> bool:
    return any(form in _NOUNS_AFTER_AN_ORDINAL for form in (word, word.removesuffix("s"), word.removesuffix("es")))


def _german_ordinal(before: str, next_word: str) -> bool:
    lead = re.search(r"(\w+)\s+\d+$", before)
    if lead and lead[1].lower() == "am" and next_word.endswith("en"):
        # "am" ranks one thing ("am 15. Loch", "am 3. Spieltag", "am 3. Oktober"); else it dates a day that ends its
        # sentence before a plural that opens the next ("Sie kamen am 3. Polizisten sicherten den Ort").
        return False
    return (bool(lead) and lead[1].lower() in _LEADING_A_GERMAN_ORDINAL and next_word[0].isupper()
            and next_word.lower() not in _GERMAN_SENTENCE_OPENERS)


def _stripped(text: str, start: int, end: int):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield (start, end)


def _merge_short(text: str, spans: list[tuple[int, int]], min_chars: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        short = _weight(text[start:end]) < min_chars or not any(char.isalnum() for char in text[start:end])
        if merged and short:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and _weight(text[merged[0][0]:merged[0][1]]) < min_chars:
        merged[1] = (merged[0][0], merged[1][1])
        merged.pop(0)
    return merged


def _weight(piece: str) -> int:
    """Length in Latin-letter terms: an ideograph or syllable block carries about as much as a short word."""
    return sum(3 if "\u2e80" <= char <= "\ud7af" else 1 for char in piece)


def _cap_length(text: str, start: int, end: int, max_chars: int):
    while end - start > max_chars:
        window = text[start:start + max_chars]
        breaks = [match.end() for match in _CLAUSE_BREAK.finditer(window) if match.end() > max_chars // 3]
        if breaks:
            cut = start + breaks[-1]
        else:
            space = window.rfind(" ", max_chars // 3)
            cut = start + (space + 1 if space > 0 else max_chars)
        yield from _stripped(text, start, cut)
        start = cut
    yield from _stripped(text, start, end)
