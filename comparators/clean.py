"""Stage 1, clean: keep the story's paragraphs, drop page junk (menus, share and reaction widgets, "Powered by …").

Cleaning never rewrites text: it returns the character spans of the blocks it keeps, so every later offset
still points into the article's original text.
"""

from __future__ import annotations

import re

from .options import Options

_SHARE_VERBS = (r"(share|tweet|compartir|compartilhar|partilhar|partager|condividi|teilen|comparteix|pin( it)?"
                r"|send|enviar|envoyer|invia|versenden|شارك|مشاركة|分享到?)")
_NETWORKS = (r"(facebook|twitter|x|whatsapp|telegram|linkedin|reddit|e-?mail|pinterest|messenger|vk|weibo"
             r"|微信|微博|qq|فيسبوك|فيس بوك|تويتر|واتساب|تيليجرام|تلغرام)")
_SHARE_PREPOSITIONS = r"(on|en|sur|su|no|na|auf|a|via|per|por|par|by|to|على|عبر)"
# One share button: "Share on Facebook", "Auf Facebook teilen" (German puts the verb last), "分享到微信".
_SHARE_BUTTON = (rf"({_SHARE_VERBS}(\s*{_SHARE_PREPOSITIONS}?\s*{_NETWORKS})?"
                 rf"|({_SHARE_PREPOSITIONS}\s+)?{_NETWORKS}(\s+{_SHARE_VERBS})?)[.!:]?")
_JUNK_LINE_PATTERNS = [
    r"powered by\b.*",
    # A row of share buttons, as one line: "Compartir en Facebook Compartir en Twitter Enviar por WhatsApp".
    _SHARE_BUTTON + r"(\s*[|·•/,]?\s*" + _SHARE_BUTTON + r")*",
    r"(follow us|síguenos|suivez-nous|seguici|siga-nos|segueix-nos|folgen sie uns)\b.*",
    r"(read (also|more)|see also|related( articles?)?|lee también|leer más|lire aussi|à lire aussi|voir aussi"
    r"|leggi anche|leia também|leia mais|llegiu també|llegeix també|lesen sie auch|mehr zum thema)\s*[:：].*",
    # The heading of a list of links to other articles, without a colon.
    r"(noticias relacionadas|artículos relacionados|related (news|stories|articles)|more on this (story|topic)"
    r"|à lire aussi|sur le même sujet|mehr zum thema|das könnte sie auch interessieren|相关新闻|相关报道"
    r"|أخبار ذات صلة|اقرأ أيضا[ًً]?)",
    r"(tags?|etiquetas|mots-clés|parole chiave|palavras-chave|etiquetes|schlagwörter|themen)\s*[:：].*",
    r"(subscribe|sign up|suscríbete|abonnez-vous|iscriviti|assine|subscreva|subscriu-te|abonnieren)\b.{0,80}",
    r"(newsletter|advertisement|advertising|publicidad|publicité|pubblicità|publicidade|publicitat|anzeige"
    r"|werbung|sponsored|cards|menu|home|search|log ?in|sign in|print|comments?|reply|skip to (main )?content"
    r"|back to top|close)",
    r"(©|\(c\)|copyright)\s.*",
    # The same widgets on Russian, Ukrainian, Chinese, Japanese, Korean and Arabic pages.
    r"(поделиться|поширити|分享到?|シェア(する)?|この記事をシェア|공유(하기)?|شارك|مشاركة)\s*[:：]?",
    r"(подписывайтесь|підписуйтесь|关注我们|تابعونا)(\b|(?=[\u4e00-\u9fff])).*",
    r"(читайте (также|також)|смотрите также|相关(阅读|新闻)|延伸阅读|関連記事|관련\s?기사|اقرأ أيضا[ًً]?)\s*[:：].*",
    r"(теги|标签|タグ|태그|الوسوم|责任编辑)\s*[:：].*",
    r"(реклама|广告|広告|광고|إعلان)",
    r"(what['’]?s|what is) your reaction\s*\??|your reaction\s*\??|¿?(cuál es|qual é) (tu|sua|a sua) reacci?[óç][nã]o\s*\??"
    r"|quelle est votre réaction\s*\??",
    r"[\d\s:|•·.,/+-]*",
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}, \d{4}(\s*[-–|]\s*\d{1,2}:\d{2})?",
]
_JUNK_LINE = re.compile(r"^\s*(?:" + "|".join(_JUNK_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)
_REACTION_WORDS = {"like", "likes", "dislike", "love", "funny", "angry", "sad", "wow", "haha", "care", "lol"}
# Cookie notices: a mention of cookies and a word of consent, in one short line.
_COOKIE = re.compile(r"(?<![a-z])cookies?(?![a-z])|ملفات تعريف الارتباط", re.IGNORECASE)
_CONSENT = re.compile(r"accept|consent|acept|accepter|accett|aceit|akzeptier|zustimm|stimmen sie|einverstanden"
                      r"|接受|同意|موافق|توافق|قبول", re.IGNORECASE)
# Paywall notices: what a subscriber-only page says where the rest of the story would be. Each names the article
# or the reader's subscription, so a story's "seats reserved for subscribers" stays.
_PAYWALL = re.compile(
    r"(this|the) (article|content|story) is (only |exclusively )?(available |reserved )?(for|to) (our )?"
    r"(subscribers|members)|subscribe to (continue|keep) reading|already a subscriber"
    r"|(este|el) (artículo|contenido) es (exclusivo|solo) para suscriptores|ya eres suscriptor"
    r"|(cet article|ce contenu|la suite) est réservée? aux abonnés|il vous reste \d+\s?% de cet article"
    r"|déjà abonné|(dieser artikel|dieser inhalt) ist nur für abonnenten|bereits abonnent|weiterlesen mit"
    r"|(本文|本内容|此内容|全文)仅限(订阅|付费)|立即订阅|订阅后(阅读|查看)"
    r"|(هذا المحتوى|هذه المقالة|هذا المقال) متاحة? للمشتركين فقط|اشترك الآن", re.IGNORECASE)
_BULLET = re.compile(r"^[\s•·▪●◦‣*>\-–—]+")


def story_blocks(text: str, *, options: Options) -> list[tuple[int, int]]:
    """(start, end) of each story block (one per line) in `text`, junk lines and repeated lines left out."""
    blocks: list[tuple[int, int]] = []
    seen: set[str] = set()
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        lead = _BULLET.match(line)
        start = match.start() + (lead.end() if lead else 0)
        end = match.end() - (len(line) - len(line.rstrip()))
        if start >= end or _is_junk(text[start:end], options):
            continue
        key = " ".join(text[start:end].lower().split())
        if key in seen and len(key) > 3:
            continue
        seen.add(key)
        blocks.append((start, end))
    return blocks


def clean_text(text: str, *, options: Options) -> str:
    """The story as plain text: kept blocks joined by blank lines."""
    return "\n\n".join(text[start:end] for start, end in story_blocks(text, options=options))


def paywall_notice(text: str) -> str | None:
    """The first line of `text` that the cleaning drops as a paywall notice: the story around it is likely cut
    short, which the collection notes."""
    return next((line.strip() for line in text.splitlines() if is_paywall_notice(line)), None)


def is_paywall_notice(line: str) -> bool:
    return bool(_PAYWALL.search(line)) and len(line) < 200


def _is_junk(line: str, options: Options) -> bool:
    if _JUNK_LINE.match(line):
        return True
    words = re.findall(r"[^\W\d_]+", line.lower())
    if words and set(words) <= _REACTION_WORDS and len(words) >= 2:
        return True
    if _COOKIE.search(line) and len(line) < 300 and _CONSENT.search(line):
        return True
    if is_paywall_notice(line):
        return True
    return len(line) <= options.clean.max_widget_line_chars and not any(char.isalpha() for char in line)
