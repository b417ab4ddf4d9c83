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
