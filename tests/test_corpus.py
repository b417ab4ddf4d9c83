"""The corpus contract and every kind of bad input: a clear error naming file and line, never a traceback."""

import json

import pytest

from comparators.corpus import load_event
from comparators.errors import (
    CorpusFormatError, CorpusNotFound, DuplicateArticleId, EmptyCorpus, UnknownLanguageCode,
)


def write_corpus(folder, records, event='title = "Test event"\ndate = 2025-09-03\nlanguages = ["en", "es"]\n'):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "event.toml").write_text(event, encoding="utf-8")
    lines = [record if isinstance(record, str) else json.dumps(record, ensure_ascii=False) for record in records]
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def article(id, outlet="Outlet A", text="Kim Jong Un arrived in Beijing by train.", **extra):
    return {"id": id, "outlet": outlet, "text": text, **extra}


def test_reads_event_and_articles(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [
        article("a1", language="EN", published="2025-09-03T10:00:00Z", url="https://x.test/a", title="T"),
        article("a2", outlet="Outlet B", text="Kim Jong Un llegó a Pekín en tren.", language="es-ES"),
    ])
    event = load_event(folder, options=options)
    assert (event.title, event.date, event.languages) == ("Test event", "2025-09-03", ["en", "es"])
    assert [a.language for a in event.articles] == ["en", "es"]
    assert event.outlets == ["Outlet A", "Outlet B"]
    assert event.articles[0].source.endswith("articles.jsonl:1")
    assert len(event.digest()) == 64


def test_an_article_collected_behind_a_paywall_is_compared_with_a_warning(tmp_path, options):
    note = "may be truncated: the page's JSON-LD says isAccessibleForFree: false"
    folder = write_corpus(tmp_path / "ev", [article("a1", paywall_note=note), article("a2", outlet="Outlet B")])
    event = load_event(folder, options=options)
    assert [a.id for a in event.articles] == ["a1", "a2"]
    [problem] = event.problems
    assert problem.where.endswith("articles.jsonl:1")
    assert problem.message == (f"article 'a1' of Outlet A {note}; a claim it seems to omit may have been cut off, "
                               "not left out")


def test_missing_folder(tmp_path, options):
    with pytest.raises(CorpusNotFound, match="does not exist"):
        load_event(tmp_path / "nowhere", options=options)


def test_a_file_of_the_folder_named_instead_of_it_says_to_pass_the_folder(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1")])
    with pytest.raises(CorpusNotFound, match="articles.jsonl is a file, not a corpus folder") as error:
        load_event(folder / "articles.jsonl", options=options)
    assert error.value.hint == f"pass the folder holding it: parallax compare {folder}"


def test_empty_folder(tmp_path, options):
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmptyCorpus, match="neither articles.jsonl nor manifest.csv"):
        load_event(tmp_path / "empty", options=options)


def test_an_event_with_sources_not_yet_collected_says_to_collect_it(tmp_path, options):
    folder = tmp_path / "parade"
    folder.mkdir()
    (folder / "event.toml").write_text('title = "Parade"\n[[sources]]\ntype = "feed"\nurl = "https://x.test/rss"\n')
    with pytest.raises(EmptyCorpus, match="neither articles.jsonl nor manifest.csv") as caught:
        load_event(folder, options=options)
    assert caught.value.hint == f"collect its [[sources]] first: parallax collect {folder}"


def test_line_that_is_not_json_names_file_and_line(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1"), "{not json", article("a3")])
    with pytest.raises(CorpusFormatError) as caught:
        load_event(folder, options=options)
    assert caught.value.line == 2 and "articles.jsonl:2" in str(caught.value)


def test_article_with_empty_text_is_skipped_and_counted(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1"), article("a2", text="   ")])
    event = load_event(folder, options=options)
    assert [a.id for a in event.articles] == ["a1"]
    assert len(event.problems) == 1 and "articles.jsonl:2" in event.problems[0].where


def test_only_empty_articles_is_an_empty_corpus(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1", text="")])
    with pytest.raises(EmptyCorpus, match="1 skipped"):
        load_event(folder, options=options)


def test_duplicate_ids(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1"), article("a2"), article("a1", outlet="B")])
    with pytest.raises(DuplicateArticleId, match=r"articles.jsonl:3: duplicate id 'a1' \(first on line 1\)"):
        load_event(folder, options=options)


def test_unknown_language_code(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1", language="xx")])
    with pytest.raises(UnknownLanguageCode, match=r"articles.jsonl:1: unknown language code 'xx'"):
        load_event(folder, options=options)


def test_a_three_letter_language_code_is_refused_naming_its_iso_639_1_code(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1", language="spa")])
    with pytest.raises(UnknownLanguageCode, match=r"articles.jsonl:1: unknown language code 'spa'") as caught:
        load_event(folder, options=options)
    assert caught.value.hint == "write 'es', its ISO 639-1 code"


def test_unknown_language_in_event_toml(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1")], event='title = "T"\nlanguages = ["en", "klingon"]\n')
    with pytest.raises(UnknownLanguageCode, match="event.toml"):
        load_event(folder, options=options)


def test_missing_required_field(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [{"id": "a1", "text": "x"}])
    with pytest.raises(CorpusFormatError, match="missing required field 'outlet'"):
        load_event(folder, options=options)


def test_non_utf8_file_names_file_and_line(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1")])
    (folder / "articles.jsonl").write_bytes(
        json.dumps(article("a1")).encode() + b"\n" + json.dumps(article("a2", text="caf\u00e9")).encode("latin-1")
        .replace(b"\\u00e9", b"\xe9") + b"\n")
    with pytest.raises(CorpusFormatError, match=r"articles.jsonl:2: is not UTF-8 text \(byte 0xe9\)"):
        load_event(folder, options=options)


def test_binary_file(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1")])
    (folder / "articles.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CorpusFormatError, match="binary file"):
        load_event(folder, options=options)


def test_bad_published_date(tmp_path, options):
    folder = write_corpus(tmp_path / "ev", [article("a1", published="yesterday")])
    with pytest.raises(CorpusFormatError, match="ISO 8601"):
        load_event(folder, options=options)


def test_half_an_emoji_escaped_in_json_is_refused_naming_the_line(tmp_path, options):
    # A tool counting UTF-16 units cut the text inside 🎉 (\ud83c\udf89); the whole emoji before it is fine.
    cut = '{"id": "a2", "outlet": "B", "text": "Fireworks \\ud83c\\udf89 lit the sky. Crowds cheered \\ud83c"}'
    folder = write_corpus(tmp_path / "ev", [article("a1"), cut])
    with pytest.raises(CorpusFormatError, match=r"articles.jsonl:2: 'text' holds half a character at character "
                                                r"40 \(\\ud83c, a lone UTF-16 surrogate"):
        load_event(folder, options=options)


def test_20_mb_article_is_skipped_with_a_reason(tmp_path, options):
    huge = ("Kim Jong Un arrived in Beijing by train. " * 500_000)[:20_000_000]
    folder = write_corpus(tmp_path / "ev", [article("big", text=huge), article("a2", outlet="B")])
    event = load_event(folder, options=options)
    assert [a.id for a in event.articles] == ["a2"]
    assert "20,000,000 characters" in event.problems[0].message


def test_20_mb_article_is_compared_when_the_limit_allows_it(tmp_path, options):
    huge = ("Kim Jong Un arrived in Beijing by train. " * 500_000)[:20_000_000]
    folder = write_corpus(tmp_path / "ev", [article("big", text=huge)])
    roomy = options.with_overrides({"corpus": {"max_article_chars": 30_000_000}})
    assert len(load_event(folder, options=roomy).articles[0].text) == 20_000_000


def test_manifest_of_files(tmp_path, options):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "one.txt").write_text("Kim llegó a Pekín.\n\nEl desfile duró 70 minutos.", encoding="utf-8")
    (folder / "two.md").write_text("# Kim in Beijing\n\nThe parade lasted 70 minutes.", encoding="utf-8")
    (folder / "three.html").write_text(
        "<html><head><title>Kim à Pékin</title></head><body><nav>Menu</nav><article><h1>Kim à Pékin</h1>"
        + "<p>Le défilé a duré soixante-dix minutes et a réuni vingt-six dirigeants étrangers.</p>" * 3
        + "</article></body></html>", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,outlet,language,url,published,title\none.txt,El Faro,es,,,\ntwo.md,Ledger,en,https://l.test/,,"
        "Kim in Beijing\nthree.html,Courrier,fr,,2025-09-03,\n", encoding="utf-8")
    event = load_event(folder, options=options)
    assert [(a.id, a.outlet, a.language) for a in event.articles] == [
        ("one", "El Faro", "es"), ("two", "Ledger", "en"), ("three", "Courrier", "fr")]
    assert "soixante-dix minutes" in event.articles[2].text and "Menu" not in event.articles[2].text


def test_a_saved_page_loses_its_teasers_for_other_stories_as_a_collected_one_does(tmp_path, options):
    folder = tmp_path / "files"
    folder.mkdir()
    story = ["Le défilé a duré soixante-dix minutes et a réuni vingt-six dirigeants étrangers.",
             "Kim Jong Un est arrivé à Pékin en train blindé mardi soir.",
             "Les troupes ont défilé devant la place Tiananmen sous un ciel dégagé."]
    others = [("Un ouragan faiblit en approchant des côtes du Mexique", "Les autorités ont ordonné l’évacuation de "
               "plusieurs villages du littoral, où des pluies torrentielles sont attendues jusqu’à jeudi soir."),
              ("Un requin blesse un adolescent au large de la Californie", "Le garçon de treize ans pêchait des "
               "homards avec son père quand l’animal l’a mordu à l’épaule, selon les secours arrivés sur place."),
              ("Vingt millions de téléspectateurs pour le débat télévisé", "L’audience de la soirée de jeudi dépasse "
               "celle de tous les débats précédents de la campagne, d’après les chiffres publiés vendredi.")]
    cards = "".join(f'<div class="css-1x2y3z"><h3><a href="/news/{n}.html">{title}</a></h3>'
                    f'<p class="css-9q8w7e">{summary}</p></div>' for n, (title, summary) in enumerate(others))
    (folder / "page.html").write_text(
        '<html lang="fr"><head><title>Kim à Pékin</title></head><body><div class="css-a1"><h1>Kim à Pékin</h1>'
        + "".join(f"<p>{sentence}</p>" for sentence in story)
        + f'<div class="css-b2"><h2>À lire aussi</h2>{cards}</div></div></body></html>', encoding="utf-8")
    (folder / "manifest.csv").write_text("file,outlet,language,url\npage.html,Courrier,fr,https://c.test/kim\n",
                                         encoding="utf-8")
    [page] = load_event(folder, options=options).articles
    assert all(sentence in page.text for sentence in story)
    assert not any(title in page.text or summary in page.text for title, summary in others)
    assert page.title == "Kim à Pékin"


def test_manifest_files_of_the_same_name_in_outlet_folders_are_distinct_articles(tmp_path, options):
    folder = tmp_path / "files"
    for outlet, text in [("lemonde", "Le défilé a eu lieu mercredi à Pékin."), ("spiegel", "Die Parade war in Peking.")]:
        (folder / outlet).mkdir(parents=True)
        (folder / outlet / "article.txt").write_text(text, encoding="utf-8")
    (folder / "article.md").write_text("The parade was in Beijing.", encoding="utf-8")
    manifest = "file,outlet\nlemonde/article.txt,Le Monde\nspiegel/article.txt,Spiegel\narticle.md,Wire\n"
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    event = load_event(folder, options=options)
    assert [(a.id, a.outlet) for a in event.articles] == [
        ("lemonde/article", "Le Monde"), ("spiegel/article", "Spiegel"), ("article", "Wire")]
    (folder / "article.txt").write_text("The parade was in Beijing, again.", encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest + "article.txt,Wire\n", encoding="utf-8")
    with pytest.raises(DuplicateArticleId, match=r"manifest.csv:5: article.txt and article.md \(line 4\) would "
                                                 r"both be article 'article'$"):
        load_event(folder, options=options)


def test_files_in_a_manifest_and_collected_articles_beside_them_are_all_read(tmp_path, options):
    # A journalist lists the files saved by hand in manifest.csv, then `parallax collect` writes articles.jsonl
    # beside it: both outlets are compared, neither file hides the other.
    folder = write_corpus(tmp_path / "ev", [article("elpais-1", outlet="El País", language="es",
                                                    text="Kim Jong Un llegó a Pekín en tren.")])
    (folder / "wire").mkdir()
    (folder / "wire" / "story.txt").write_text("Kim Jong Un arrived in Beijing by train.", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,outlet,language\nwire/story.txt,Wire,en\n", encoding="utf-8")
    event = load_event(folder, options=options)
    assert [(a.id, a.outlet) for a in event.articles] == [("elpais-1", "El País"), ("wire/story", "Wire")]
    assert event.outlets == ["El País", "Wire"]
    (folder / "articles.jsonl").write_text(json.dumps(article("wire/story")) + "\n", encoding="utf-8")
    with pytest.raises(DuplicateArticleId, match=r"manifest.csv:2: duplicate id 'wire/story' \(first on "
                                                 r".*articles.jsonl:1\)"):
        load_event(folder, options=options)


def test_markdown_files_are_read_as_rendered_so_no_markup_becomes_a_passage(tmp_path, options):
    from comparators.prepare import prepare_article

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "story.md").write_text(
        "# Xi hosts parade in Beijing\n\n*By Jane Doe* | 3 September 2025\n\nChina staged its largest **military\n"
        "parade** on Wednesday, with [Vladimir Putin](https://en.wikipedia.org/wiki/Vladimir_Putin) at Xi's side.\n\n"
        "## Weapons\n\n- New missiles were shown.\n- Drones rolled past.\n\n> \"It is unstoppable,\" Xi said.\n\n"
        "![Parade](https://img.test/parade.jpg)\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,outlet,language\nstory.md,Wire,en\n", encoding="utf-8")
    [story] = load_event(folder, options=options).articles
    assert story.title == "Xi hosts parade in Beijing"
    _, passages = prepare_article(story, options=options)
    assert [passage["text"] for passage in passages] == [
        "Xi hosts parade in Beijing", "By Jane Doe | 3 September 2025",
        "China staged its largest military parade on Wednesday, with Vladimir Putin at Xi's side.", "Weapons",
        "New missiles were shown.", "Drones rolled past.", '"It is unstoppable," Xi said.']


@pytest.mark.parametrize("manifest, message", [
    ('file,outlet,language\na.txt,A,en\nb.txt,"B,en\nc.txt,C,en\n', r"manifest.csv:3: not valid CSV \(unexpected end"),
    ('file,outlet\na.txt,"A"x\n', r"manifest.csv:2: not valid CSV \(',' expected after '\"'\)"),
])
def test_manifest_with_an_unclosed_quote_names_the_line_it_opens_on(tmp_path, options, manifest, message):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in "abc":
        (folder / f"{name}.txt").write_text(f"Article {name}.")
    (folder / "manifest.csv").write_text(manifest)
    with pytest.raises(CorpusFormatError, match=message) as caught:
        load_event(folder, options=options)
    assert "\n" not in str(caught.value)


def test_manifest_header_typed_as_the_readme_lists_it_with_spaces_is_read(tmp_path, options):
    folder = tmp_path / "files"
    (folder / "faro").mkdir(parents=True)
    (folder / "faro" / "desfile.txt").write_text("El desfile duró 70 minutos.", encoding="utf-8")
    (folder / "manifest.csv").write_text("file, outlet, language, url, published, title\n"
                                         "faro/desfile.txt, El Faro, es, https://faro.test/d, 2025-09-03, Desfile\n",
                                         encoding="utf-8")
    [story] = load_event(folder, options=options).articles
    assert (story.id, story.outlet, story.language, story.url, story.published, story.title) == (
        "faro/desfile", "El Faro", "es", "https://faro.test/d", "2025-09-03", "Desfile")


@pytest.mark.parametrize("header, message", [
    ("file,outlet,langauge", r"manifest.csv:1: unknown column 'langauge' \(did you mean 'language'\?\); the columns "
                             r"are file, outlet, language, url, published, title$"),
    ("file,outlet,notes", r"manifest.csv:1: unknown column 'notes'; the columns are file, outlet, language, url, "),
])
def test_manifest_refuses_an_unknown_column_rather_than_drop_what_it_holds(tmp_path, options, header, message):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a.txt").write_text("El desfile duró 70 minutos.", encoding="utf-8")
    (folder / "manifest.csv").write_text(f"{header}\na.txt,A,es\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=message):
        load_event(folder, options=options)


def test_manifest_rejects_paths_outside_the_folder(tmp_path, options):
    folder = tmp_path / "files"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    for line, name in enumerate(["../secret.txt", str(tmp_path / "secret.txt"), "link.txt"], start=2):
        (folder / "manifest.csv").write_text("file,outlet\n" + "\n" * (line - 2) + f"{name},A\n")
        with pytest.raises(CorpusFormatError, match=rf"manifest.csv:{line}: 'file' must name a file inside"):
            load_event(folder, options=options)


@pytest.mark.parametrize("event, message", [
    ('title = "T"\ndescripton = "typo"\n', r"event.toml:2: unknown key 'descripton'; allowed: "),
    ('title = "T"\n\n[shedule]\ninterval = 60\n', r"event.toml:3: unknown key 'shedule'"),
    ('title = ["T"]\n', r"event.toml:1: 'title' must be a string"),
    ('title = "T"\nlicense = 4\n', r"event.toml:2: 'license' must be a string"),
    ('title = "T"\nlicense = { url = "https://x.test" }\n', r"event.toml:2: 'license' must be .* or a table"),
    ('title = "T"\ndate = 2025\n', r"event.toml:2: 'date' must be a date such as 2025-09-03"),
    ('title = "T"\nlanguages = "es"\n', r"event.toml:2: 'languages' must be a list"),
])
def test_event_toml_typos_and_wrong_types_name_the_line(tmp_path, options, event, message):
    folder = write_corpus(tmp_path / "ev", [article("a1")], event=event)
    with pytest.raises(CorpusFormatError, match=message):
        load_event(folder, options=options)


def test_event_toml_with_every_documented_key_is_read(tmp_path, options):
    event = ('title = "T"\ndescription = "D"\ndate = "2025-09-03"\nlanguages = ["en"]\nlicense = "CC-BY-4.0"\n'
             '[[sources]]\ntype = "feed"\nurl = "https://x.test/rss"\n[outlets."x.test"]\nname = "X"\n'
             '[schedule]\ninterval = 3600\n')
    loaded = load_event(write_corpus(tmp_path / "ev", [article("a1")], event=event), options=options)
    assert (loaded.title, loaded.description, loaded.date, loaded.settings["license"]) == (
        "T", "D", "2025-09-03", "CC-BY-4.0")


def test_line_and_paragraph_separators_inside_json_strings_are_text(tmp_path, options):
    # json.dumps(..., ensure_ascii=False) leaves U+2028, U+2029 and U+0085 unescaped; they do not end a line.
    text = "Kim arrived.\u2028The parade began.\u2029It lasted 70 minutes.\x85Putin spoke."
    folder = write_corpus(tmp_path / "ev", [article("a1", text=text), "{not json"])
    with pytest.raises(CorpusFormatError) as caught:
        load_event(folder, options=options)
    assert caught.value.line == 2, "line numbers count only newlines"
    folder = write_corpus(tmp_path / "ev2", [article("a1", text=text), article("a2", outlet="B")])
    assert load_event(folder, options=options).articles[0].text == text
