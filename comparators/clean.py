"""Stage 1, clean: keep the story's paragraphs, drop page junk (menus, share and reaction widgets, "Powered by …").

Cleaning never rewrites text: it returns the character spans of the blocks it keeps, so every later offset
still points into the article's original text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .options import Options

_SHARE_VERBS = (r"(share|tweet|compartir|compartilhar|partilhar|partager|condividi|teilen|comparteix|pin( it)?"
                r"|send|enviar|envoyer|invia|versenden|شارك|مشاركة|分享到?)")
_NETWORKS = (r"(facebook|twitter|x|whatsapp|telegram|linkedin|reddit|e-?mail|pinterest|messenger|vk|weibo"
             r"|微信|微博|qq|فيسبوك|فيس بوك|تويتر|واتساب|تيليجرام|تلغرام)")
_SHARE_PREPOSITIONS = r"(on|en|sur|su|no|na|auf|a|via|per|por|par|by|to|على|عبر)"
# One share button: "Share on Facebook", "Auf Facebook teilen" (German puts the verb last), "分享到微信".
_SHARE_BUTTON = (rf"({_SHARE_VERBS}(\s*{_SHARE_PREPOSITIONS}?\s*{_NETWORKS})?"
                 rf"|({_SHARE_PREPOSITIONS}\s+)?{_NETWORKS}(\s+{_SHARE_VERBS})?)[.!:]?")
# Wire agencies, as they sign a story's dateline or credit a photo.
_AGENCIES = (r"(reuters|afp|ap|efe|dpa|ansa|xinhua|europa press|lusa|tass|ria novosti|interfax|kyodo|yonhap"
             r"|anadolu|epa|sputnik|bloomberg|upi|apa|sda|agencies|agencias|agences|agenturen|agenzie|agências"
             r"|агентства|ТАСС|РИА Новости|ИНТЕРФАКС|新华社|共同通信|وكالات)")
_MONTHS = (r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|ene|abr|ago|set|dic|janv|févr|fév|avr|juil"
           r"|déc|mär|mrz|okt|dez|gen|mag|giu|lug|ott|fev|mai|out|dez)\.?|january|february|march|april|june|july"
           r"|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto"
           r"|septiembre|setiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|juin|juillet|août"
           r"|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|gennaio|febbraio"
           r"|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho"
           r"|setembro|outubro|novembro|dezembro|января|февраля|марта|апреля|мая|июня|июля|августа|сентября"
           r"|октября|ноября|декабря")
_WEEKDAYS = (r"(mon|tue|tues|wed|thu|thurs|fri|sat|sun)\.?|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
             r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi"
             r"|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag")
# A date and time and nothing else, in any order and with any separators: "Sep 3, 2025 - 04:33",
# "Mittwoch, 03.09.2025, 10:15 Uhr", "3 de septiembre de 2025", "2025年9月3日 10:15". It holds a digit.
# Each word ends where a digit or a letter could not go on, so a long run of digits or letters is read one way
# only (and a line that is no date fails at once instead of trying every split).
_DATE_WORD = (rf"(\d{{1,4}}(?!\d)(st|nd|rd|th|er|º|\.)?|({_MONTHS}|{_WEEKDAYS}|at|à|um|a las|alle|às|de|del|di|le"
              r"|el|on|a\.m\.|p\.m\.|am|pm|uhr|h|gmt|utc|cet|cest|edt|est|bst|et|hrs)(?![^\W\d_])|[年月日時分])")
_DATE = rf"(?=[^\d\n]*\d)({_DATE_WORD}[\s,.:/|–—-]*)+"
# Capitalised words only, whatever the case of the rest of the pattern: a photographer's or an agency's name.
_CAPITALISED = r"(?-i:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.&'’-]*([\s/,]+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.&'’-]*){0,5})"
_PHOTO_AGENCIES = r"(reuters|afp|ap|efe|epa|dpa|getty images|xinhua|ansa|anadolu|sputnik|ria novosti)"
_JUNK_LINE_PATTERNS = [
    # "Powered by WordPress VIP", but not "Powered by cheap coal, the plant supplied half the region's power."
    r"powered by\b[^,;]{0,40}",
    # A row of share buttons, as one line: "Compartir en Facebook Compartir en Twitter Enviar por WhatsApp".
    _SHARE_BUTTON + r"(\s*[|·•/,]?\s*" + _SHARE_BUTTON + r")*",
    r"(follow us|síguenos|suivez-nous|seguici|siga-nos|segueix-nos|folgen sie uns)\b.*",
    # "Read more: <another story's headline>", with a colon or an arrow; alone, the link's label.
    r"(read (also|more)|see also|related( articles?)?|lee también|leer más|lire aussi|à lire aussi|voir aussi"
    r"|leggi anche|leia também|leia mais|llegiu també|llegeix també|lesen sie auch|mehr zum thema)"
    r"(\s*[:：|»›>→]\s*.*|\s*(\.\.\.|…)?)",
    # What stands where the rest of a teaser's story would be: "Continue reading", "Lire la suite".
    r"(continue reading|keep reading|seguir leyendo|sigue leyendo|continuar leyendo|continuer la lecture"
    r"|lire la suite|weiterlesen|continua a leggere|continuar lendo|continue lendo|читать (далее|дальше)"
    r"|阅读全文|查看原文|続きを読む|اقرأ المزيد)\s*[.…»›>→]*",
    # The heading of a list of links to other articles, without a colon.
    r"(noticias relacionadas|artículos relacionados|related (news|stories|articles)|more on this (story|topic)"
    r"|à lire aussi|sur le même sujet|mehr zum thema|das könnte sie auch interessieren|相关新闻|相关报道"
    r"|أخبار ذات صلة|اقرأ أيضا[ًً]?)",
    r"(tags?|etiquetas|mots-clés|parole chiave|palavras-chave|etiquetes|schlagwörter|themen)\s*[:：].*",
    r"(subscribe|sign up|suscríbete|abonnez-vous|iscriviti|assine|subscreva|subscriu-te|abonnieren|jetzt abonnieren"
    r"|abbonati|abbonarti|assinar|inscreva-se|подпишитесь|订阅|購読|اشترك)(\b|(?=[\u4e00-\u9fff])).{0,80}",
    # Donation and membership appeals: a line that asks, or the button that takes the money.
    r"(support|fund|back) (independent |quality |free |trusted |local )?(journalism|reporting|newsroom)\b.{0,120}",
    r"(support us|support our (journalism|work|reporting|newsroom))\b[^,]{0,80}",
    r"(donate|donar|faire un don|spenden|jetzt spenden|dona ora|doe|doar|пожертвовать|捐款|تبرع)"
    r"( (now|today|here|ahora|aquí|maintenant|jetzt|hier|ora|agora|já))?[.!]?",
    r"(make|haz|hacer|faites|fai|faça) (a|una|un|uma) (one-time |monthly |única |mensual )?(donation|donación|don"
    r"|donazione|doação)( (now|today|ahora|maintenant|jetzt|ora|agora))?[.!]?",
    r"(become|hazte|devenez|werden sie|diventa|torne-se) (a |an |un |une |una |um |uma )?(member|subscriber"
    r"|supporter|patron|socio|socia|suscriptor|suscriptora|mecenas|abonné|abonnée|membre|mitglied|abonnent"
    r"|unterstützer|abbonato|sostenitore|assinante|membro)\b[^.,]{0,60}[.!]?",
    r"(apoya|apóyanos|apoie|soutenez|soutenir|unterstützen sie|unterstütze|sostieni|sostenete|поддержите)"
    r"\b.{0,40}(periodismo|journalisme|journalismus|giornalismo|jornalismo|журналистик\w*)\b.{0,80}",
    r"(soutenez-nous|apóyanos|apoie-nos|sostienici|unterstützen sie uns|поддержите нас)\b.{0,80}",
    r"(newsletter|advertisement|advertising|publicidad|publicité|pubblicità|publicidade|publicitat|anzeige"
    r"|werbung|sponsored|cards|menu|home|search|log ?in|sign in|print|comments?|reply|skip to (main )?content"
    r"|back to top|close)",
    # "Copyright 2025 Reuters", "Copyright © BBC", not "Copyright law was changed in 2019."
    r"(©|\(c\)|copyright(?=\s*(?-i:[©(\dA-Z])))(\s|\d).*",
    # The rights line ends the page; a sentence that only begins with these words goes on past them.
    r"(.{0,120}[\s.,|·])?(all rights reserved|todos los derechos reservados|tous droits réservés"
    r"|alle rechte vorbehalten|tutti i diritti riservati|todos os direitos reservados|все права защищены"
    r"|جميع الحقوق محفوظة)[.!]?(\s*[|·].{0,80})?",
    r"(版权所有|版權所有|著作権)(\s|[©:：]).{0,80}|版权所有|版權所有",
    # Photo credits, and a caption that ends in one: "Photo: Reuters", "Xi at the parade. (Foto: EFE)".
    r"(photo|photograph|photo credit|image|picture|credit|credits|foto|fotografía|imagen|crédito|bild|immagine"
    r"|фото|снимок|图片(来源)?|照片|图|写真|画像|صورة|الصورة)\s*[:：]\s*.{1,100}",
    # The credit that ends a caption names a photographer or an agency, so "an image: a satellite picture of the
    # site." or "a Reuters/Ipsos poll." stay.
    r".{0,240}[\s.(|]\(?(photo|photograph|foto|image|bild|фото)\s*[:/]\s*" + _CAPITALISED + r"\)?\.?",
    # An agency's credit is in capitals ("REUTERS/Tingshu Wang"), says "Photo" ("AP Photo/Andy Wong") or stands in
    # brackets, so a sentence that ends "…was run by Reuters/Ipsos." stays.
    r".{0,240}[\s.(|](\(\s*" + _PHOTO_AGENCIES + r"(\s*photo)?|" + _PHOTO_AGENCIES + r"\s*photo"
    r"|(?-i:REUTERS|AFP|AP|EFE|EPA|DPA|XINHUA|ANSA|ANADOLU|SPUTNIK))\s*/\s*" + _CAPITALISED + r"\)?\.?",
    r"[^。\n]{0,40}记者\s*\S{1,12}\s*摄",
    # "Advertisement - Scroll to continue", "Story continues below advertisement", "Weiter nach der Anzeige".
    r"(advertisement|advertising|publicidad|anzeige|werbung)\s*[-–—:|]?\s*(scroll (down )?to continue( reading)?"
    r"|continue reading below)",
    r"(story|article|text|content) continues below( (this )?advertisement)?|la suite après (cette|la) publicité"
    r"|weiter nach der (anzeige|werbung)|continúa (después|tras) (de )?la publicidad|l'article continue ci-dessous",
    # Comment counts and forms: "12 Comments", "View comments", "Leave a Reply".
    r"\d+\s*(comments?|comentarios?|commentaires?|kommentare?|commenti|comentários?|комментари(ев|я|й)"
    r"|条?评论|コメント|تعليقا?ت?)",
    r"(view|show|see|read|load|hide|add a|leave a|post a|write a) (\d+ )?(comments?|reply)|cancel reply"
    r"|comentarios|commentaires|kommentare|commenti|comentários|комментарии|评论|コメント|تعليقات|التعليقات"
    r"|your email address will not be published\.?|required fields are marked \*?",
    # The publication time, in a line of its own: "Published 3 September 2025", "03.09.2025, 10:15 Uhr".
    r"((published|updated|posted|last updated|publicado|actualizado|publié|mis à jour|veröffentlicht|aktualisiert"
    r"|stand|pubblicato|aggiornato|atualizado|опубликовано|обновлено|发布时间|更新时间|发布|更新日|نشر|تحديث)"
    r"\s*(on|el|le|am|il|em|at)?\s*[:：]?\s*)?" + _DATE + r"(\s*[|·]\s*" + _DATE + r")*",
    r"(listen to (this )?(article|story)|listen|escuchar (la )?noticia|écouter (cet )?article"
    r"|artikel (anhören|vorlesen))\s*(\d+:\d+)?",
    r"\d+\s*(min|mins|minutes?|minutos?|minuten?|minuti)\.?\s*(read|de lectura|de lecture|lesezeit|di lettura"
    r"|de leitura)|(reading time|lesezeit|tiempo de lectura|temps de lecture|tempo di lettura)\s*[:：]?.{0,20}",
    # Share, save and app buttons beyond the network rows above.
    r"(share|compartir|compartilhar|compartilhe|partager|condividi|teilen)\s+(this|esta?|este|cet|cette|questo"
    r"|questa|diese[nrs]?)(\s+(article|story|post|page|artículo|nota|noticia|notícia|matéria|página|articolo"
    r"|notizia|artikel|beitrag|seite))?|(artikel|beitrag|seite) teilen|share via|share (the )?(article|story)",
    r"copy (the )?link|link copied|copiar (el )?enlace|enlace copiado|copier le lien|lien copié|link kopieren"
    r"|link kopiert|copia (il )?link|link copiato|copiar link|link copiado|follow|save|bookmark|gift this article"
    r"|print this (page|article|story)|sponsored content|paid content|contenido patrocinado|contenu sponsorisé"
    r"|recommended|most read|most popular|trending|más leídas|lo más visto|les plus lus|meistgelesen"
    r"|più letti|mais lidas|topics|related topics|more stories|more from [\w ]{1,30}|next (article|story)"
    r"|previous (article|story)|contact us|report an error|report a correction|manage cookies"
    r"|cookie (settings|preferences|policy)|click here\b.{0,80}|our standards: the thomson reuters trust principles\.?"
    r"|log ?out|sign out|register|inicia sesión|iniciar sesión|registrarse|se connecter|s'inscrire|anmelden"
    r"|registrieren|accedi|registrati|entrar|войти|登录|注册|ログイン|تسجيل الدخول",
    r"(join|únete a|rejoignez|unisciti a|entre (no|em)) (us|our|nuestro|nuestra|notre|il nostro|nosso|nossa)"
    r"\b.{0,40}(whatsapp|telegram|channel|canal|kanal|canale|community|comunidad|communauté)\b.{0,40}",
    r"(get|download) (the|our) (\w+ )?app\b.{0,60}|descarga (la|nuestra) app\b.{0,60}",
    # Source, author and editor lines: "Fuente: EFE", "Автор: Иван Иванов", "来源：新华网".
    r"(source|sources|fuente|fuentes|quelle|fonte|источник|本文来源|来源|出典|المصدر|author|autor|auteur|autore"
    r"|автор|الكاتب|editor|编辑|記者|redacción|rédaction|redaktion)\s*[:：]\s*[^\s.。]+([\s,/&]+[^\s.。]+){0,3}\.?",
    # A wire agency's credit: "(AFP)", "Con información de EFE", "Mit Material von dpa", "— AP".
    r"[(\[]?\s*((with|con|avec|mit|com|по)( \w+){0,2} (by|de|von|des|da|di|from|материалам) |avec |по )?"
    + _AGENCIES + r"(\s*(,|/|and|y|et|und|e)\s*" + _AGENCIES + r")*\s*[)\]]?\s*[-–—.]*",
    r"[-–—]+\s*" + _AGENCIES,
    # The same widgets on Russian, Ukrainian, Chinese, Japanese, Korean and Arabic pages.
    r"(поделиться|поширити|分享到?|シェア(する)?|この記事をシェア|공유(하기)?|شارك|مشاركة)\s*[:：]?",
    r"(подписывайтесь|підписуйтесь|关注我们|تابعونا)(\b|(?=[\u4e00-\u9fff])).*",
    r"(читайте (также|також)|смотрите также|相关(阅读|新闻)|延伸阅读|関連記事|관련\s?기사|اقرأ أيضا[ًً]?)\s*[:：].*",
    r"(теги|标签|タグ|태그|الوسوم|责任编辑)\s*[:：].*",
    r"(реклама|广告|広告|광고|إعلان)",
    r"(what['’]?s|what is) your reaction\s*\??|your reaction\s*\??|¿?(cuál es|qual é) (tu|sua|a sua) reacci?[óç][nã]o\s*\??"
    r"|quelle est votre réaction\s*\??",
    r"[\d\s:|•·.,/+-]*",
]
_JUNK_LINE = re.compile(r"^\s*(?:" + "|".join(_JUNK_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)
_REACTION_WORDS = {"like", "likes", "dislike", "love", "funny", "angry", "sad", "wow", "haha", "care", "lol"}
# Cookie notices: a mention of cookies and a word of consent, in one short line.
_COOKIE = re.compile(r"(?<![a-z])cookies?(?![a-z])|ملفات تعريف الارتباط", re.IGNORECASE)
_CONSENT = re.compile(r"accept|consent|acept|accepter|accett|aceit|akzeptier|zustimm|stimmen sie|einverstanden"
                      r"|you agree|agree to (our|the) use|by continuing|en poursuivant|al continuar|si continúas"
                      r"|continuando|proseguendo|продолжая|接受|同意|موافق|توافق|قبول", re.IGNORECASE)
# Bylines and a wire story's credit line, told from a sentence by their capitalised names, so the case counts:
# "By John Smith, Reuters", "Por Juan Pérez", "Reporting by Laurie Chen; Editing by Kim Coghill".
# A headline's capitalised small words and a day are no name's: "By Tuesday Night", "By Invitation Only", "By Road
# To Damascus" are headings.
_NOT_IN_A_NAME = (r"(?!(The|A|An|To|In|On|Of|For|With|At|From|Only|And|Or|Is|Are|Was|Its|Into|Over|Under|After"
                  r"|Before|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Night|Morning|Evening)\b)")
_NAME_WORD = rf"{_NOT_IN_A_NAME}[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(\s+((de|da|del|der|van|von|la|le|di|du|dos|bin|al|el)\s+)?{_NAME_WORD}){{0,3}}"
_NAMES = rf"{_NAME}((\s*,\s*|\s+(and|y|e|et|und|&)\s+){_NAME})*"
_CREDIT = (r"((Additional )?[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Rr]esearch|[Gg]raphics) by "
           rf"{_NAMES}( in {_NAME})?")
_BYLINE = re.compile(
    rf"^\s*((By|BY|Por|POR|Par|PAR|Von|VON|Di|DI|Door|Av|Af|Автор:?|Текст:?) {_NAMES}(\s*[,|/–—-]\s*{_NAME})?"
    rf"|\(?{_CREDIT}([;,.]\s*(and )?{_CREDIT})*[.;]?\)?)\.?\s*$")
# Appeals: a short line about the outlet's own journalism that asks for support, a donation or a subscription.
# Only the outlet's own journalism counts: a report on press freedom may well call for support of independent
# journalism.
_OWN_JOURNALISM = re.compile(r"\b(our|this) journalism|nuestro periodismo|notre journalisme|unseren? journalismus"
                             r"|nostro giornalismo|nosso jornalismo|нашу журналистику", re.IGNORECASE)
_ASK = re.compile(r"support|donat|contribut|subscri|apoy|don\b|soutien|souten|unterstütz|spende|abonn|sostie|sosteg"
                  r"|apoi|assin|поддерж|подпис|suscri", re.IGNORECASE)
# Newsletter sign-ups: the newsletter and a verb that signs the reader up, in one short line.
_NEWSLETTER = re.compile(r"newsletter|boletín|bulletin|infolettre|lettre d'information|rundbrief|notiziario"
                         r"|рассылк|简报|ニュースレター|النشرة", re.IGNORECASE)
# "Receive" and "get" only as the reader is told to, so "the bulletin said residents would receive aid" stays.
_SIGN_UP = re.compile(r"sign up|subscribe\b|suscríbe|suscribirse|apúntate|inscri|abonnez|abonnier|melden sie sich"
                      r"|anmelden|iscriviti|assine|inscreva|cadastre"
                      r"|get (our|the) (\w+ )?(newsletter|bulletin|briefing)|receive (our|it)\b|recibe\b|recevez"
                      r"|erhalten sie|ricevi\b|receba\b|inbox|bandeja de entrada|boîte|postfach|подпиш|订阅|登録|اشترك",
                      re.IGNORECASE)
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
# Reported speech: "Follow us, the protesters chanted", "Join us in Kyiv, Zelensky told leaders", "Assine o acordo,
# pediu o presidente". A widget or an appeal never says who said it, so such a line is a statement whatever it
# begins with.
_ATTRIBUTED = re.compile(
    r"[,”\"»—]\s*([\w'’.-]+\s+){0,4}?(said|says|told|urged|asked|added|wrote|warned|chanted|insisted|replied|heard"
    r"|dijo|dice|afirmó|pidió|declaró|señaló|aseguró|a déclaré|a dit|a affirmé|a-t-il|a-t-elle|sagte|sagten"
    r"|erklärte|forderte|ha detto|disse|dicono|ha chiesto|pediu|diz|afirmou|сказал|сказала|заявил|заявила)\b",
    re.IGNORECASE)
_BULLET = re.compile(r"^[\s•·▪●◦‣*>\-–—]+")
# A wire story's dateline opens its first sentence: "BEIJING (Reuters) - ", "Pekín, 3 sep (EFE).- ",
# "(ANSA) - PECHINO, 03 SET - ", "ПЕКИН, 3 сентября. /ТАСС/. ", "МОСКВА, 3 сен — РИА Новости. ",
# "新华社北京9月3日电（记者张三）", "【北京共同】". The block starts after it, so the sentence stays and its offsets
# still point into the original text. The place is capitalised and the agency named, so a sentence that only
# mentions an agency in brackets keeps its start.
_PLACE = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][^()\n.:;!?。/]{0,60}?"
_DATELINE = re.compile(
    rf"({_PLACE}\s*)?\(\s*(?i:{_AGENCIES})([-/][A-Za-z]+)?\s*\)\s*(\.\s*-|[-–—:])\s*"
    r"([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ' -]+(,\s*\d{1,2}\s+[A-Z]{3,4})?\s*[-–—]\s+)?"
    rf"|[A-ZА-ЯЁ][A-ZА-ЯЁ -]+,(?=[^()\n/—–]{{0,30}}\d)\s*[^()\n/—–]{{1,30}}?(\.?\s*/\s*(?i:{_AGENCIES})\s*/"
    rf"|\s*[—–-]\s*(?i:{_AGENCIES})(?!\w))\.?\s*"
    r"|(新华社|中新社|中新网|人民网|央视网|央广网)[^，。\s]{0,12}?\d{1,2}月\d{1,2}日电(（[^）]{0,30}）|\([^)]{0,30}\))?\s*"
    r"|【[^】]{1,20}】\s*")


def story_blocks(text: str, *, options: Options) -> list[tuple[int, int]]:
    """(start, end) of each story block (one per line) in `text`, junk lines and repeated lines left out and a
    wire dateline cut from the start of a block."""
    blocks: list[tuple[int, int]] = []
    seen: set[str] = set()
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        lead = _BULLET.match(line)
        start = match.start() + (lead.end() if lead else 0)
        end = match.end() - (len(line) - len(line.rstrip()))
        dateline = _DATELINE.match(text, start, end)
        start = dateline.end() if dateline and not text[dateline.end():dateline.end() + 1].islower() else start
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
    return len(line) < 200 and bool(_PAYWALL.search(line))


def _is_junk(line: str, options: Options) -> bool:
    added = _whole_line(tuple(options.clean.junk_lines))
    if added and added.match(line):
        return True
    if _ATTRIBUTED.search(line):
        return False
    if _JUNK_LINE.match(line):
        return True
    words = re.findall(r"[^\W\d_]+", line.lower())
    if words and set(words) <= _REACTION_WORDS and len(words) >= 2:
        return True
    if _COOKIE.search(line) and len(line) < 300 and _CONSENT.search(line):
        return True
    if _BYLINE.match(line):
        return True
    if len(line) < 250 and _OWN_JOURNALISM.search(line) and _ASK.search(line):
        return True
    if len(line) < 200 and _NEWSLETTER.search(line) and _SIGN_UP.search(line):
        return True
    if is_paywall_notice(line):
        return True
    return len(line) <= options.clean.max_widget_line_chars and not any(char.isalpha() for char in line)


@lru_cache(maxsize=8)
def _whole_line(patterns: tuple[str, ...]) -> re.Pattern | None:
    """One regular expression matching a line that one of `patterns` matches whole (None for no patterns)."""
    return re.compile(r"^\s*(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + r")\s*$",
                      re.IGNORECASE) if patterns else None
