import re

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
