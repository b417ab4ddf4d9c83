"""Stage 2, detect language: langdetect, seeded so results repeat, behind script checks for short texts."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from .options import Options

# ISO 639-1, the codes a corpus may declare.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne
ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st
su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
# The ISO 639-3 and 639-2 (B and T) codes of those languages: a user who writes 'spa' or 'ger' is told 'es' or 'de'.
# From Debian's iso-codes (iso_639-3.json, iso_639-2.json).
_THREE_LETTER = dict(pair.split("=") for pair in """
aar=aa abk=ab afr=af aka=ak alb=sq amh=am ara=ar arg=an arm=hy asm=as ava=av ave=ae aym=ay aze=az bak=ba bam=bm
baq=eu bel=be ben=bn bih=bh bis=bi bod=bo bos=bs bre=br bul=bg bur=my cat=ca ces=cs cha=ch che=ce chi=zh chu=cu
chv=cv cor=kw cos=co cre=cr cym=cy cze=cs dan=da deu=de div=dv dut=nl dzo=dz ell=el eng=en epo=eo est=et eus=eu
ewe=ee fao=fo fas=fa fij=fj fin=fi fra=fr fre=fr fry=fy ful=ff geo=ka ger=de gla=gd gle=ga glg=gl glv=gv gre=el
grn=gn guj=gu hat=ht hau=ha heb=he her=hz hin=hi hmo=ho hrv=hr hun=hu hye=hy ibo=ig ice=is ido=io iii=ii iku=iu
ile=ie ina=ia ind=id ipk=ik isl=is ita=it jav=jv jpn=ja kal=kl kan=kn kas=ks kat=ka kau=kr kaz=kk khm=km kik=ki
kin=rw kir=ky kom=kv kon=kg kor=ko kua=kj kur=ku lao=lo lat=la lav=lv lim=li lin=ln lit=lt ltz=lb lub=lu lug=lg
mac=mk mah=mh mal=ml mao=mi mar=mr may=ms mkd=mk mlg=mg mlt=mt mon=mn mri=mi msa=ms mya=my nau=na nav=nv nbl=nr
nde=nd ndo=ng nep=ne nld=nl nno=nn nob=nb nor=no nya=ny oci=oc oji=oj ori=or orm=om oss=os pan=pa per=fa pli=pi
pol=pl por=pt pus=ps que=qu roh=rm ron=ro rum=ro run=rn rus=ru sag=sg san=sa sin=si slk=sk slo=sk slv=sl sme=se
smo=sm sna=sn snd=sd som=so sot=st spa=es sqi=sq srd=sc srp=sr ssw=ss sun=su swa=sw swe=sv tah=ty tam=ta tat=tt
tel=te tgk=tg tgl=tl tha=th tib=bo tir=ti ton=to tsn=tn tso=ts tuk=tk tur=tr twi=tw uig=ug ukr=uk urd=ur uzb=uz
ven=ve vie=vi vol=vo wel=cy wln=wa wol=wo xho=xh yid=yi yor=yo zha=za zho=zh zul=zu
""".split())

# Scripts that settle the language (or narrow it) without a statistical model.
_SCRIPT_LANGUAGE = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "HEBREW": "he", "GREEK": "el",
                    "THAI": "th", "DEVANAGARI": "hi", "GEORGIAN": "ka", "ARMENIAN": "hy"}
_CYRILLIC_LANGUAGES = ("ru", "uk", "bg", "mk")
_ARABIC_SCRIPT_LANGUAGES = ("ar", "fa", "ur")


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    source: str  # "declared", "detected", "script", or "none"
    probability: float


# Codes ISO 639-1 withdrew, which Java's Locale and older sites still write: <html lang="iw"> is Hebrew.
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


def normalize_language_code(code: str) -> str | None:
    """'ES', 'es-ES' and 'pt_BR' become 'es' and 'pt', withdrawn 'iw' becomes 'he'; None when the code is not
    ISO 639-1."""
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    primary = _WITHDRAWN.get(primary, primary)
    return primary if primary in ISO_639_1 else None


def suggest_language_code(code: str) -> str | None:
    """The ISO 639-1 code a three-letter code such as 'spa' or 'ger' stands for, to suggest it; else None."""
    return _THREE_LETTER.get(code.strip().replace("_", "-").split("-")[0].lower())


def detect_language(text: str, *, declared: str | None = None, options: Options) -> LanguageGuess:
    """The article's language: the declared one unless the text clearly contradicts it."""
    guess = _guess_from_text(text, options)
    if declared is None:
        return guess
    if guess.language is None or guess.language == declared:
        return LanguageGuess(declared, "declared", 1.0)
    if guess.source == "script" and _script_family(declared) != _script_family(guess.language):
        return guess
    if guess.source == "detected" and declared not in _langdetect_languages():
        return LanguageGuess(declared, "declared", 1.0)  # langdetect can't tell Galician or Basque from Spanish
    contradicts = (guess.probability >= options.language.override_probability
                   and len(text.strip()) >= options.language.min_chars_to_override
                   and _script_family(declared) == _script_family(guess.language))
    return guess if contradicts else LanguageGuess(declared, "declared", 1.0)


def _script_family(language: str) -> str:
    if language in _CYRILLIC_LANGUAGES or language in {"be", "sr", "kk", "ky", "mn", "tg"}:
        return "cyrillic"
    if language in _ARABIC_SCRIPT_LANGUAGES or language in {"ps", "sd", "ug", "ku"}:
        return "arabic"
    if language in {"zh", "ja", "ko"}:
        return language
    for script, code in _SCRIPT_LANGUAGE.items():
        if code == language:
            return script.lower()
    return "latin"


def _script_counts(text: str) -> Counter:
    counts: Counter = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CJK"):
            counts["HAN"] += 1
        else:
            counts[name.split(" ")[0]] += 1
    return counts


def _guess_from_text(text: str, options: Options) -> LanguageGuess:
    counts = _script_counts(text)
    letters = sum(counts.values())
    if not letters:
        return LanguageGuess(None, "none", 0.0)
    kana = counts["HIRAGANA"] + counts["KATAKANA"]
    if kana and kana >= 0.05 * letters:
        return LanguageGuess("ja", "script", 1.0)
    if counts["HANGUL"] >= 0.3 * letters:
        return LanguageGuess("ko", "script", 1.0)
    if counts["HAN"] >= 0.3 * letters:
        return LanguageGuess("zh", "script", 1.0)
    script, count = counts.most_common(1)[0]
    if count >= 0.5 * letters and script in _SCRIPT_LANGUAGE:
        return LanguageGuess(_SCRIPT_LANGUAGE[script], "script", 1.0)
    if script == "CYRILLIC" and count >= 0.5 * letters:
        return _within_script(text, _CYRILLIC_LANGUAGES, "ru", options)
    if script == "ARABIC" and count >= 0.5 * letters:
        return _within_script(text, _ARABIC_SCRIPT_LANGUAGES, "ar", options)
    return _langdetect(text, options)


def _within_script(text: str, candidates: tuple[str, ...], fallback: str, options: Options) -> LanguageGuess:
    if candidates == _CYRILLIC_LANGUAGES and any(char in text for char in "іїєґІЇЄҐ"):
        return LanguageGuess("uk", "script", 1.0)
    guess = _langdetect(text, options)
    if guess.language in candidates:
        return LanguageGuess(guess.language, "script", guess.probability)
    return LanguageGuess(fallback, "script", 0.9)


@cache
def _langdetect_languages() -> frozenset[str]:
    from langdetect import detector_factory

    detector_factory.init_factory()
    return frozenset(normalize_language_code(code) for code in detector_factory._factory.get_lang_list())


def _langdetect(text: str, options: Options) -> LanguageGuess:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = options.language.seed
    try:
        best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return LanguageGuess(None, "none", 0.0)
    code = normalize_language_code(best.lang)
    return LanguageGuess(code, "detected", float(best.prob))
