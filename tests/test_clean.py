import re

import pytest

from comparators.clean import clean_text, story_blocks

JUNK = ["Powered by paypal", "cards", "Like Like 0", "Wow Wow 0", "What's Your Reaction?", "Sep 3, 2025"]


def test_seed_keeps_every_story_paragraph_and_drops_the_junk(seed_text, options):
    cleaned = clean_text(seed_text, options=options)
    kept_lines = set(cleaned.split("\n\n"))
    for junk in JUNK:
        assert not any(line.replace("\xa0", " ").startswith(junk) for line in kept_lines), junk
    paragraphs = [line.strip(" \t•") for line in seed_text.splitlines() if len(line.strip()) > 80]
    assert len(paragraphs) >= 25
    for paragraph in paragraphs:
        assert paragraph in kept_lines, paragraph[:60]
    for bullet in ("Xi Jinping continues to promote China", "More military cooperation among North Korea"):
        assert any(line.startswith(bullet) for line in kept_lines)


def test_spans_point_into_the_original_text(seed_text, options):
    for start, end in story_blocks(seed_text, options=options):
        block = seed_text[start:end]
        assert block == block.strip() and "\n" not in block


def test_repeated_headline_is_kept_once(seed_text, options):
    headline = seed_text.splitlines()[0].strip()
    assert clean_text(seed_text, options=options).count(headline) == 1


def test_share_widgets_in_several_languages_are_dropped(options):
    text = "\n".join([
        "Un desfile en Pekín", "Compartir en Twitter", "Share on Facebook", "Partager",
        "Lire aussi : le sommet de Tianjin", "Leggi anche: la visita", "Tags: China, Corea",
        "We use cookies to improve your experience. Accept all", "Newsletter", "Subscribe",
        "El desfile duró 70 minutos.",
    ])
    assert clean_text(text, options=options).split("\n\n") == ["Un desfile en Pekín", "El desfile duró 70 minutos."]


def test_headings_and_short_sentences_stay(options):
    text = "A Rare Appearance Beyond Pyongyang\nHe came.\nPutin, Xi, and Kim: A Strategic Trio"
    assert [text[s:e] for s, e in story_blocks(text, options=options)] == text.split("\n")
    assert not re.search(r"\n{3}", clean_text(text, options=options))


def test_widgets_in_russian_chinese_japanese_korean_and_arabic_are_dropped(options):
    story = ["Военный парад в Пекине длился 70 минут.", "阅兵式持续了七十分钟。", "パレードは70分間続いた。",
             "열병식은 70분 동안 계속되었다.", "استمر العرض العسكري 70 دقيقة."]
    junk = ["Читайте также: Путин прибыл в Пекин", "Поделиться", "Подписывайтесь на наш канал в Telegram", "Реклама",
            "Теги: Китай, парад", "相关阅读：普京抵达北京", "分享到：", "责任编辑：张三", "广告", "関連記事：北京",
            "シェアする", "広告", "관련 기사: 푸틴 베이징 도착", "공유하기", "광고", "اقرأ أيضا: بوتين يصل إلى بكين",
            "شارك", "إعلان", "تابعونا على تويتر"]
    text = "\n".join(line for pair in zip(story, junk) for line in pair) + "\n" + "\n".join(junk[len(story):])
    assert clean_text(text, options=options).split("\n\n") == story


def test_paywall_cookie_share_and_related_lines_inside_the_story_are_dropped_in_each_language(options):
    # Lines a page puts inside its <article>, so the extractor keeps them: what a first collection from Spanish,
    # French, German, Chinese and Arabic sites left in the text.
    junk = [
        "Este contenido es exclusivo para suscriptores. Suscríbete por 1 € el primer mes.", "¿Ya eres suscriptor?",
        "Compartir en Facebook Compartir en Twitter Enviar por WhatsApp", "Noticias relacionadas",
        "Cet article est réservé aux abonnés. Abonnez-vous pour 1 € le premier mois.",
        "Il vous reste 72 % de cet article à lire.", "Partager sur Facebook Partager sur Twitter Envoyer par e-mail",
        "Dieser Artikel ist nur für Abonnenten. Jetzt für 1 € testen.", "Auf Facebook teilen Auf Twitter teilen",
        "Per E-Mail versenden", "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis bieten zu können. "
        "Wenn Sie fortfahren, stimmen Sie der Verwendung zu. Akzeptieren", "Mehr zum Thema",
        "This article is for subscribers only.", "Subscribe to continue reading", "Already a subscriber? Log in",
        "本网站使用cookie以改善您的浏览体验。继续浏览即表示您同意我们使用cookie。接受", "分享到微信 分享到微博",
        "本文仅限订阅用户阅读。立即订阅。", "关注我们的微博", "相关新闻",
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. بمواصلة التصفح فإنك توافق على ذلك. موافق",
        "شارك على فيسبوك شارك على تويتر", "هذا المحتوى متاح للمشتركين فقط. اشترك الآن.",
    ]
    story = [
        "El diario compartió en Twitter una foto del desfile y miles de suscriptores la vieron.",
        "Le journal a partagé sur Facebook les images, réservées d'abord à ses abonnés.",
        "Die Regierung stimmte dem Plan zu, Cookies und Daten der Nutzer zu schützen.",
        "Les places de la tribune étaient réservées aux abonnés du club.",
        "Subscribers to the agency's feed received the first report at 9.30.",
        "The museum is open to members only on Mondays.",
        "官员在微博上分享了现场照片，数千名用户接受了采访。",
        "شارك آلاف الجنود في العرض العسكري على مدى سبعين دقيقة.",
    ]
    text = "\n".join(junk[:12] + story[:4] + junk[12:] + story[4:])
    assert clean_text(text, options=options).split("\n\n") == story


def test_short_lines_without_a_letter_are_dropped_as_defaults_toml_says(options):
    from tests.conftest import REPO

    assert "hold no letter at all" in (REPO / "comparators" / "defaults.toml").read_text()
    text = "✉ ↗ ★ 12\nParade Ends At Noon"
    assert clean_text(text, options=options) == "Parade Ends At Noon"
    kept = options.with_overrides({"clean": {"max_widget_line_chars": 5}})
    assert clean_text(text, options=kept).split("\n\n") == text.split("\n")


STORY = ["Kim Jong Un arrived in Beijing on Tuesday.", "The parade lasted 70 minutes."]


@pytest.mark.parametrize("junk", [
    # Donation, membership and subscription appeals.
    "Support independent journalism", "Support independent journalism. Donate now.", "Donate", "Jetzt spenden",
    "Make a donation", "Haz una donación", "Apoya el periodismo independiente", "Soutenez le journalisme indépendant",
    "Unterstützen Sie unabhängigen Journalismus", "Sostieni il giornalismo indipendente", "Soutenez-nous",
    "Become a member", "Hazte socio", "Devenez abonné", "Jetzt abonnieren", "Abbonati", "Assinar", "Подпишитесь",
    "If you value our journalism, please consider supporting us.",
    "Your support helps keep our journalism free for everyone.", "Support our journalism", "Click here to subscribe",
    # Newsletter sign-ups.
    "Sign up for our daily newsletter to get the latest news.", "Get our free newsletter",
    "Inscrivez-vous à notre newsletter", "Melden Sie sich für unseren Newsletter an", "Zum Newsletter anmelden",
    "Recibe nuestro boletín en tu correo",
    # "Read more" with another story's headline, or alone; "Continue reading".
    "Read more: Putin arrives in Beijing for talks", "READ MORE", "Leer más", "Lire aussi", "Lesen Sie auch",
    "Lee también » Putin llega a Pekín", "Continue reading", "Seguir leyendo", "Lire la suite", "Weiterlesen",
    "Читать далее", "阅读全文",
    # Share, follow, save, app and login buttons.
    "Share this article", "Partager cet article", "Artikel teilen", "Copy link", "Link copied", "Follow", "Bookmark",
    "Join our WhatsApp channel", "Únete a nuestro canal de WhatsApp", "Download our app", "Iniciar sesión",
    "Se connecter", "Anmelden", "Войти",
    # Photo credits and captions that end in one.
    "Photo: Reuters", "Foto: EFE", "Фото: РИА Новости", "图片来源：新华社", "写真：ロイター", "صورة: رويترز",
    "Photograph: Mark Schiefelbein/AP", "Kim Jong Un waves from his train. (Photo: AP Photo/Andy Wong)",
    "Xi Jinping reviews the troops in Beijing. REUTERS/Tingshu Wang/File Photo", "新华社记者李贺摄",
    "Troops march past Tiananmen. (Reuters/Tingshu Wang)", "Tropas en Pekín. EFE/Wu Hao",
    "Kim Jong Un at the station. AP Photo/Andy Wong",
    # Wire agency credits.
    "(AFP)", "(Reuters)", "Con información de EFE", "Mit Material von dpa", "Avec AFP",
    "(With reporting by Reuters)", "— AFP",
    # Copyright lines.
    "©2025 Example News", "All rights reserved.", "Copyright Example News | All rights reserved",
    "Todos los derechos reservados", "Tous droits réservés", "Alle Rechte vorbehalten", "Tutti i diritti riservati",
    "Все права защищены", "版权所有 © 2025 新华网", "جميع الحقوق محفوظة",
    # Advertisements and cookie notices.
    "Advertisement - Scroll to continue", "Story continues below advertisement", "Weiter nach der Anzeige",
    "This site uses cookies. By continuing to browse you agree to our use of cookies.", "Manage cookies",
    # Comments.
    "12 Comments", "View comments", "0 comentarios", "Kommentare", "Комментарии", "Leave a Reply",
    "Your email address will not be published.",
    # Bylines, credit lines, sources and editors.
    "By John Smith", "By John Smith and Jane Doe", "By JOHN SMITH", "By John Smith, Reuters", "Por Juan Pérez",
    "Par Jean Dupont", "Von Hans Müller", "Автор: Иван Иванов",
    "Reporting by Laurie Chen; Writing by Ryan Woo; Editing by Kim Coghill",
    "Fuente: EFE", "Quelle: dpa", "来源：新华网", "编辑：张三", "المصدر: رويترز",
    # Publication times and reading times.
    "Published 3 September 2025", "Updated: September 3, 2025 at 4:33 p.m.", "Published on 03/09/2025 at 10:00",
    "03.09.2025, 10:15 Uhr", "Mittwoch, 3. September 2025", "3 de septiembre de 2025", "Sep 3, 2025, 4:33 AM",
    "2025年9月3日 10:15", "3 сентября 2025", "Listen to this article", "5 min read", "Lesezeit: 4 Minuten",
])
def test_page_junk_in_each_language_is_dropped(options, junk):
    text = "\n".join([STORY[0], junk, STORY[1]])
    assert clean_text(text, options=options).split("\n\n") == STORY


@pytest.mark.parametrize("sentence", [
    "The charity said donations rose 20%.", "Subscriptions to the paper grew by a third last year.",
    "Support for the plan fell to 40%.", "Independent journalism is under threat, the union said, calling for support.",
    "Make a donation to the Red Cross, the minister urged citizens.", "Become a member of the alliance, he urged Kyiv.",
    "The newsletter's editor resigned on Monday.", "Share prices rose 3% in Shanghai.",
    "Read more than 200 pages of the report, the judge told the jury.", "Follow the money, the prosecutor said.",
    "By noon, the parade had ended.", "Reporting by the BBC suggested the figures were higher.",
    "Source: the ministry said the numbers were wrong.", "Comments from the ministry came later.",
    "Photo opportunities were limited at the event.",
    "The ministry released an image: a satellite picture of the site.",
    "Support fell, according to a Reuters/Ipsos poll.", "The survey was run by Reuters/Ipsos.", "All rights reserved for veterans were honoured, he said.",
    "Reuters photographers were among those held back.", "La agencia EFE informó de 12 muertos.",
    "Die Nachrichtenagentur dpa meldete am 3. September 2025 zwölf Tote.", "On 3 September 2025 the parade began.",
    "Le journal a publié 12 commentaires de lecteurs sur la réforme.",
    # Reported speech is a statement, whatever words it opens with.
    "Follow us, the protesters chanted as they marched toward the palace.",
    "Support independent journalism, the UN rapporteur urged governments.",
    "Our journalism has won three Pulitzer prizes, the editor said, thanking subscribers for their support.",
    "Sign up for the draft is mandatory for men aged 18 to 25, the ministry said.",
    "Join us in Kyiv, Zelensky told leaders on his Telegram channel.",
    "Download the app, officials urged, to receive alerts.", "Cookies accepted as bribes, the court heard.",
    "Assinar o acordo foi o primeiro passo, disse o ministro.", "Iscriviti, dicono i sindacati, e vota al referendum.",
    # A newsletter or bulletin in the news, not the reader signed up to one.
    "The bulletin said residents would receive aid within days.",
    "The newsletter, which subscribers receive every morning, revealed the leak.",
    "Copyright law was changed in 2019.", "Copyright infringement cost the industry $2 billion.",
    "Powered by cheap coal, the plant supplied half of the region's electricity.",
    # Headings that open with "By" are no bylines.
    "By Tuesday Night", "By Invitation Only", "By Road To Damascus", "By Land And Sea, Russia Moves Troops",
])
def test_real_sentences_near_the_junk_rules_stay(options, sentence):
    assert clean_text(sentence, options=options) == sentence


@pytest.mark.parametrize("line, sentence", [
    ("BEIJING (Reuters) - Kim Jong Un arrived on Tuesday.", "Kim Jong Un arrived on Tuesday."),
    ("BEIJING, Sept 3 (Reuters) - Kim Jong Un arrived.", "Kim Jong Un arrived."),
    ("Pekín, 3 sep (EFE).- Kim Jong Un llegó a Pekín.", "Kim Jong Un llegó a Pekín."),
    ("PARIS (AFP) – Le dirigeant nord-coréen est arrivé.", "Le dirigeant nord-coréen est arrivé."),
    ("Peking (dpa-AFX) - Kim ist angekommen.", "Kim ist angekommen."),
    ("(ANSA) - PECHINO, 03 SET - Kim è arrivato.", "Kim è arrivato."),
    ("Pequim, 03 set 2025 (Lusa) - Kim chegou a Pequim.", "Kim chegou a Pequim."),
    ("ПЕКИН, 3 сентября. /ТАСС/. Ким Чен Ын прибыл в Пекин.", "Ким Чен Ын прибыл в Пекин."),
    ("МОСКВА, 3 сен — РИА Новости. Ким Чен Ын прибыл в Пекин.", "Ким Чен Ын прибыл в Пекин."),
    ("新华社北京9月3日电（记者张三）金正恩抵达北京。", "金正恩抵达北京。"),
    ("【北京共同】金正恩氏が北京に到着した。", "金正恩氏が北京に到着した。"),
    # Not datelines: an agency in brackets inside a sentence.
    ("Kim met Putin (Reuters). Then he left.", "Kim met Putin (Reuters). Then he left."),
    ("Kim said: (AFP) - nothing.", "Kim said: (AFP) - nothing."),
    ("(Reuters) - Kim said - and left.", "Kim said - and left."),
    ("MOSCOW, BEIJING - apartment prices rose.", "MOSCOW, BEIJING - apartment prices rose."),
    # Not datelines: a sentence goes on in lowercase after the agency, and a headline in capitals holds no date.
    ("The Associated Press (AP) - one of the largest agencies - reported first.",
     "The Associated Press (AP) - one of the largest agencies - reported first."),
    ("UN, US AND EU - AGENCIES AGREE ON A PLAN", "UN, US AND EU - AGENCIES AGREE ON A PLAN"),
    ("NEW YORK, WHERE THE UN MEETS — AP REPORTED A RECORD.", "NEW YORK, WHERE THE UN MEETS — AP REPORTED A RECORD."),
])
def test_a_dateline_is_cut_from_its_sentence_and_the_span_still_points_into_the_text(options, line, sentence):
    text = STORY[0] + "\n" + line
    [_, (start, end)] = story_blocks(text, options=options)
    assert text[start:end] == sentence and text.endswith(sentence)


def test_a_users_junk_lines_are_dropped_when_they_match_a_whole_line(options):
    teaser = "Lee aquí la última hora de la guerra en Ucrania"
    quoting = "El diario pidió: lee aquí la última hora de la guerra en Ucrania."
    text = "\n".join([STORY[0], teaser, STORY[1], quoting])
    assert teaser in clean_text(text, options=options)
    mine = options.with_overrides({"clean": {"junk_lines": ["lee aquí la última hora de .*"]}})
    assert clean_text(text, options=mine).split("\n\n") == [*STORY, quoting]
