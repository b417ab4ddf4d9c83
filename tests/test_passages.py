import pytest

from comparators.clean import story_blocks
from comparators.passages import split_passages


def split(text, options):
    return [text[start:end] for start, end in split_passages(text, story_blocks(text, options=options), options=options)]


def test_sentences_with_abbreviations_and_numbers(options):
    text = "Mr. Kim travelled 1,300 km. The U.S. reacted at 3 p.m. on Sept. 3! Did Xi speak? Yes."
    assert split(text, options) == ["Mr. Kim travelled 1,300 km.", "The U.S. reacted at 3 p.m. on Sept. 3!",
                                    "Did Xi speak? Yes."]


def test_headline_without_full_stop_is_its_own_passage(options):
    text = "Kim Jong Un in Beijing\n\nHe arrived by train on Tuesday. Putin was there too."
    assert split(text, options) == ["Kim Jong Un in Beijing", "He arrived by train on Tuesday.", "Putin was there too."]


def test_cjk_full_stops(options):
    text = "金正恩乘坐专列抵达北京。阅兵式持续了七十分钟！普京也出席了。"
    assert split(text, options) == ["金正恩乘坐专列抵达北京。", "阅兵式持续了七十分钟！", "普京也出席了。"]


def test_quotes_stay_with_their_sentence(options):
    text = "«La renaissance de la nation chinoise est inarrêtable.» Xi a parlé hier. “We are watching.” Trump wrote."
    assert split(text, options) == ["«La renaissance de la nation chinoise est inarrêtable.»", "Xi a parlé hier.",
                                    "“We are watching.”", "Trump wrote."]


def test_french_guillemets_after_a_no_break_space_stay_with_their_sentence(options):
    text = ("«\u00a0Nous ne reculerons pas\u00a0!\u00a0», a déclaré le ministre. «\u00a0C\u2019est fini.\u202f» "
            "Il est parti. « Jamais ! », dit-elle.")
    assert split(text, options) == ["«\u00a0Nous ne reculerons pas\u00a0!\u00a0», a déclaré le ministre.",
                                    "«\u00a0C\u2019est fini.\u202f»", "Il est parti.", "« Jamais ! », dit-elle."]


def test_offsets_point_into_the_original_text(seed_text, options):
    spans = split_passages(seed_text, story_blocks(seed_text, options=options), options=options)
    assert len(spans) > 60
    for start, end in spans:
        piece = seed_text[start:end]
        assert piece == piece.strip() and piece
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_overlong_sentences_are_cut_at_clause_boundaries(options):
    text = ", ".join(["a clause about the parade in Beijing"] * 60) + "."
    pieces = split(text, options)
    assert len(pieces) > 1 and all(len(piece) <= options.passages.max_chars for piece in pieces)
    assert " ".join(pieces).replace(", ", ",") .count("parade") == 60


def test_abbreviations_in_other_languages(options):
    text = "Los EE. UU. protestaron a las 3 p.m. del martes. El Rev. Smith habló después."
    assert split(text, options) == ["Los EE. UU. protestaron a las 3 p.m. del martes.", "El Rev. Smith habló después."]


def test_a_german_day_of_the_month_does_not_end_a_sentence(options):
    text = ("China hielt am 3. September 2025 eine Parade ab. Die Zahl der Gäste stieg auf 26. "
            "Die Parade dauerte 70 Minuten. Sie begann am 3. Um zehn Uhr sprach Xi.")
    assert split(text, options) == ["China hielt am 3. September 2025 eine Parade ab.",
                                    "Die Zahl der Gäste stieg auf 26.", "Die Parade dauerte 70 Minuten.",
                                    "Sie begann am 3.", "Um zehn Uhr sprach Xi."]


def test_german_quotes_and_ordinals(options):
    text = ("Die Parade markierte den 80. Jahrestag des Kriegsendes. Xi sagte: „Die Wiedergeburt ist unaufhaltsam.“ "
            "Im 19. Jahrhundert war das anders. Er nannte es ‚historisch.‘ Dann ging er. »Das war es.« Putin nickte.")
    assert split(text, options) == ["Die Parade markierte den 80. Jahrestag des Kriegsendes.",
                                    "Xi sagte: „Die Wiedergeburt ist unaufhaltsam.“",
                                    "Im 19. Jahrhundert war das anders.", "Er nannte es ‚historisch.‘",
                                    "Dann ging er.", "»Das war es.«", "Putin nickte."]


def test_russian_abbreviations(options):
    text = "Церковь Св. Мартина построили в 1870 г., а улицу назвали от англ. Bridge Street. Колокола молчат."
    assert split(text, options) == ["Церковь Св. Мартина построили в 1870 г., а улицу назвали от англ. Bridge Street.",
                                    "Колокола молчат."]


def test_a_russian_year_that_opens_its_clause_goes_on(options):
    # "В 2018 г. | Путин подписал закон" was two passages: a name and its verb after "г." ended the sentence.
    text = ("В 2018 г. Путин подписал закон. Как сообщалось, в 2019 г. Путин его изменил. "
            "Закон вступил в силу в 2020 г. Путин его хвалил. В 2021 г. Путин его отменил. "
            "В 2018 г. «Газпром» подписал контракт.")
    assert split(text, options) == ["В 2018 г. Путин подписал закон.", "Как сообщалось, в 2019 г. Путин его изменил.",
                                    "Закон вступил в силу в 2020 г.", "Путин его хвалил.",
                                    "В 2021 г. Путин его отменил.", "В 2018 г. «Газпром» подписал контракт."]


def test_a_quote_after_a_russian_year_opens_a_sentence(options):
    # NTREX's Russian "…первыми в инновациях ИИ к 2030 г. «Увеличение бюджета…»" was one passage; and "Вы" opens one.
    text = ("США хотят стать первыми к 2030 г. «Увеличение бюджета важно», сказал он. "
            "Встреча прошла 29 сентября 2018 г. Вы можете посмотреть её.")
    assert split(text, options) == ["США хотят стать первыми к 2030 г.", "«Увеличение бюджета важно», сказал он.",
                                    "Встреча прошла 29 сентября 2018 г.", "Вы можете посмотреть её."]


def test_words_that_abbreviate_only_before_a_number_end_a_sentence_elsewhere(options):
    # "no", "mar", "min", "est", "etc" and "m" abbreviate "No. 1", "Mar. 3", "max. 5", "est. 1850"; at the end of a
    # sentence they are words and units, and kept the next sentence glued to theirs (two statements in one passage).
    assert split("Xi said no. Putin agreed with him. Tanks, drones etc. The parade ended.", options) == [
        "Xi said no.", "Putin agreed with him.", "Tanks, drones etc.", "The parade ended."]
    assert split("Llegaron por mar. Después fueron a Pekín. El tren mide 300 m. Luego se detuvo.", options) == [
        "Llegaron por mar.", "Después fueron a Pekín.", "El tren mide 300 m.", "Luego se detuvo."]
    assert split("Le défilé a duré 70 min. Ensuite Xi a parlé. Il faisait 40 °C. Personne ne bougeait.",
                 options) == ["Le défilé a duré 70 min.", "Ensuite Xi a parlé.", "Il faisait 40 °C.",
                              "Personne ne bougeait."]
    assert split("The No. 1 priority, said Art. 5, ends Sept. 3. M. Macron agreed.", options) == [
        "The No. 1 priority, said Art. 5, ends Sept. 3.", "M. Macron agreed."]


def test_words_after_a_quoted_question_or_exclamation_stay_with_it(options):
    # A lowercase word after "?" or "!" goes on with the sentence: "he asked." is no statement of its own.
    text = "“Is it over?” he asked. No one answered. “We will win!” he shouted. The crowd cheered."
    assert split(text, options) == ["“Is it over?” he asked.", "No one answered.", "“We will win!” he shouted.",
                                    "The crowd cheered."]


def _assert_offsets_hold(text, spans):
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip() and piece
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_an_abbreviation_ends_a_sentence_before_a_typical_sentence_opener(options):
    # "a.m." and "U.S." kept the next sentence glued to theirs: two statements in one passage.
    text = ("The parade began at 10 a.m. The crowd cheered. Guests came from the U.S. The rest stayed home. "
            "The U.S. Senate met at 3 p.m. Trump spoke.")
    assert split(text, options) == ["The parade began at 10 a.m.", "The crowd cheered.", "Guests came from the U.S.",
                                     "The rest stayed home.", "The U.S. Senate met at 3 p.m.", "Trump spoke."]
    _assert_offsets_hold(text, split_passages(text, [(0, len(text))], options=options))


def test_an_abbreviation_ends_a_sentence_before_a_name_and_its_verb(options):
    # "…in the U.S. Trump said" stayed one passage; and "However" or "As" after "p.m." or "U.S." did not split.
    text = ("Rain will reach the southwest U.S. Rosa will bring 10 inches. It reached the U.S. Trump said so. "
            "No reports came by 1 p.m. However, turnout was low. It hit the West Coast of the U.S. As Rosa nears, "
            "rain falls.")
    assert split(text, options) == [
        "Rain will reach the southwest U.S.", "Rosa will bring 10 inches.", "It reached the U.S.", "Trump said so.",
        "No reports came by 1 p.m.", "However, turnout was low.", "It hit the West Coast of the U.S.",
        "As Rosa nears, rain falls."]
    _assert_offsets_hold(text, split_passages(text, [(0, len(text))], options=options))


@pytest.mark.parametrize("text", [
    "The U.S. Senate voted on it.", "U.S. President Donald Trump spoke.", "He met U.S. Secretary of State Mike Pompeo.",
    "U.S. Rep. Maxine Waters spoke.", "The U.N. General Assembly met.", "According to the U.S. Drought Monitor, it "
    "is dry.", "Rosa was here at 5 a.m. Eastern time Sunday.", "The rally is at 7 p.m. ET tonight.",
    "He spoke at 3 p.m. Monday at the White House.", "He spoke at 9 a.m. Beijing time today.",
    "Apple Inc. Chief Executive Tim Cook spoke.", "Martin Luther King Jr. Day is a holiday.",
    "Mr. Smith and Dr. Kim went to St. Petersburg.", "It was No. 5 for J. R. R. Tolkien and M. Macron.",
    "According to U.S. Defense officials, it failed.", "U.S. Intelligence agencies said so.",
    "The U.K. Foreign ministry spoke.",
    # A company, region or group: the capitalised word and its lowercase one are no new sentence's name and verb.
    "The sanctions hit U.S. Steel shares, which fell 4 percent.", "He told U.S. News that the plan would fail.",
    "The decision angered U.S. Catholic bishops, who called it unjust.", "Exports to the U.S. Midwest fell sharply.",
    "Meetings of U.S. Senators with Chinese officials are rare.", "Beijing protested the visit of a U.S. Congressional delegation to Taiwan.",
])
def test_an_abbreviation_before_what_it_names_goes_on(text, options):
    assert split(text, options) == [text]


def test_a_named_speaker_after_a_quoted_question_stays_with_it(options):
    # "Trump asked." was a passage of its own, the name taken for the start of a new sentence.
    text = ("“Is it over?” Trump asked. “We will win!” Kim Jong Un shouted. “Is it over?” Trump leaves the room. "
            "“Why now?” She said no one had told her. “We are watching.” Trump wrote.")
    assert split(text, options) == ["“Is it over?” Trump asked.", "“We will win!” Kim Jong Un shouted.",
                                     "“Is it over?”", "Trump leaves the room.", "“Why now?”",
                                     "She said no one had told her.", "“We are watching.”", "Trump wrote."]


def test_an_italian_numero_goes_on_to_its_number(options):
    # NTREX's Italian "il paese n. 1 nell'innovazione" was cut after "n.", leaving "1 nell'innovazione…" alone.
    text = "La Cina vuole diventare il paese n. 1 nell'IA entro il 2030. Lo ha detto Xi."
    assert split(text, options) == ["La Cina vuole diventare il paese n. 1 nell'IA entro il 2030.", "Lo ha detto Xi."]


def test_an_inline_list_number_goes_with_its_item(options):
    # "2." was left at the end of the item before it: "… is this. 2." and "The second …".
    text = "Two things matter. 1. The first thing is this. 2. The second thing is that. It rose to 26. Then it fell."
    assert split(text, options) == ["Two things matter.", "1. The first thing is this.",
                                    "2. The second thing is that.", "It rose to 26.", "Then it fell."]
    _assert_offsets_hold(text, split_passages(text, [(0, len(text))], options=options))


def test_overlong_chinese_sentences_are_cut_at_full_width_commas(options):
    # Without spaces to cut at, a piece ended wherever the length limit fell, mid-word.
    clause = "金正恩乘坐专列抵达北京参加阅兵式"
    text = "，".join([clause] * 30) + "、" + "、".join([clause] * 30) + "。"
    pieces = split(text, options)
    assert len(pieces) > 1 and all(len(piece) <= options.passages.max_chars for piece in pieces)
    assert all(piece.endswith(("，", "、", "。")) for piece in pieces)
    assert "".join(pieces) == text
    _assert_offsets_hold(text, split_passages(text, [(0, len(text))], options=options))
    spaced = ", ".join(["a clause about the parade in Beijing"] * 60) + "."
    assert all(piece.endswith((",", ".")) for piece in split(spaced, options))


def test_a_capitalised_title_goes_on_to_the_name_it_precedes(options):
    # NTREX's "U.S. Sens. | Lindsey Graham of South Carolina" and "Det. | Dennis McCarthy wrote" were two passages.
    text = ("The data included addresses of U.S. Sens. Lindsey Graham and Mike Lee. It was an ATM, Det. Dennis "
            "McCarthy said. Reps. Maxine Waters and Supt. John Byrne agreed with Insp. Clouseau.")
    assert split(text, options) == [
        "The data included addresses of U.S. Sens. Lindsey Graham and Mike Lee.",
        "It was an ATM, Det. Dennis McCarthy said.",
        "Reps. Maxine Waters and Supt. John Byrne agreed with Insp. Clouseau."]


def test_the_same_letters_in_lowercase_end_a_sentence(options):
    # French "sens" and Scandinavian "det" are words: only a capitalised title before a name goes on.
    assert split("Cela n'a pas de sens. Macron est parti.", options) == ["Cela n'a pas de sens.", "Macron est parti."]
    assert split("Jeg vet ikke om det. Han kom hjem.", options) == ["Jeg vet ikke om det.", "Han kom hjem."]


def test_a_german_ordinal_goes_on_to_any_noun_when_the_text_is_german(options):
    # NTREX's "der 34. | Einsatz als Startspieler" and "am 15. | Loch" were two passages each: only months and a
    # few nouns were known to follow an ordinal. A number that ends a sentence still ends it.
    text = ("Scherzer, für den dies der 34. Einsatz wäre, übte am Donnerstag. Sein Putt am 15. Loch entschied. "
            "Sie feiern den 80. Jahrestag zum 80. Geburtstag. Er wurde 34. Dann ging er. Sie begann am 3. "
            "Um zehn Uhr sprach Xi. Der Umsatz stieg auf 26. Die Aktie fiel.")
    spans = split_passages(text, [(0, len(text))], options=options, language="de")
    assert [text[start:end] for start, end in spans] == [
        "Scherzer, für den dies der 34. Einsatz wäre, übte am Donnerstag.", "Sein Putt am 15. Loch entschied.",
        "Sie feiern den 80. Jahrestag zum 80. Geburtstag.", "Er wurde 34.", "Dann ging er.", "Sie begann am 3.",
        "Um zehn Uhr sprach Xi.", "Der Umsatz stieg auf 26.", "Die Aktie fiel."]
    _assert_offsets_hold(text, spans)


def test_a_german_day_before_a_plural_ends_its_sentence(options):
    # "am 3. Polizisten" was kept whole as an ordinal: "am" ranks a singular thing or dates a day, and a plural
    # after the day opens the next sentence. Dates and ranks go on.
    text = ("Sie kamen am 3. Polizisten sicherten den Ort. Es waren 3. Polizisten kamen. Er kam am 3. September. "
            "Der 3. Platz ging an ihn. Am 3. Spieltag verlor er am 15. Loch.")
    spans = split_passages(text, [(0, len(text))], options=options, language="de")
    assert [text[start:end] for start, end in spans] == [
        "Sie kamen am 3.", "Polizisten sicherten den Ort.", "Es waren 3.", "Polizisten kamen.",
        "Er kam am 3. September.", "Der 3. Platz ging an ihn.", "Am 3. Spieltag verlor er am 15. Loch."]


def test_an_english_number_before_a_capitalised_word_still_ends_a_sentence(options):
    # "am" and "die" are English words too: the German rule holds only in German text.
    text = "I am 34. Einstein was older. Let the die 3. Loch Ness is far."
    assert split(text, options) == ["I am 34.", "Einstein was older.", "Let the die 3.", "Loch Ness is far."]
    assert [text[a:b] for a, b in split_passages(text, [(0, len(text))], options=options, language="en")] == [
        "I am 34.", "Einstein was older.", "Let the die 3.", "Loch Ness is far."]


def test_an_articles_language_reaches_the_splitter(options):
    from comparators.corpus import Article
    from comparators.prepare import prepare_article

    text = ("Sein Putt, der das Match am 15. Loch für sie entschied, löste einen ähnlichen Schrei aus. "
            "Die Europäer haben bis jetzt als Team besser gespielt und liegen am letzten Tag deutlich in Führung.")
    _, passages = prepare_article(Article(id="a", outlet="Zeit", text=text, language="de"), options=options)
    assert [passage["text"] for passage in passages] == [
        "Sein Putt, der das Match am 15. Loch für sie entschied, löste einen ähnlichen Schrei aus.",
        "Die Europäer haben bis jetzt als Team besser gespielt und liegen am letzten Tag deutlich in Führung."]


def test_russian_abbreviations_end_a_sentence_only_where_one_ends(options):
    # NTREX's "более 37 млрд. долл. | США" was two passages: "долл." took "США" for a new sentence; so did
    # "в г. | Москве", "по ст. | 105 УК", "т. е. | Москва" and "1941–1945 гг. | Советский Союз".
    def split_ru(text):
        return [text[start:end] for start, end in split_passages(text, [(0, len(text))], options=options,
                                                                language="ru")]

    assert split_ru("Лидеры пообещали более 37 млрд. долл. США, чтобы помочь. Президент выступил в г. Москве "
                    "перед студентами. Суд приговорил его по ст. 105 УК к десяти годам. Это далеко, т. е. Москва "
                    "ему не видна. В 1941–1945 гг. Советский Союз потерял миллионы людей.") == [
        "Лидеры пообещали более 37 млрд. долл. США, чтобы помочь.",
        "Президент выступил в г. Москве перед студентами.", "Суд приговорил его по ст. 105 УК к десяти годам.",
        "Это далеко, т. е. Москва ему не видна.", "В 1941–1945 гг. Советский Союз потерял миллионы людей."]
    assert split_ru("Это стоило 5 млрд. долл. Потом цены выросли. Их было 5 млн. Россия потеряла больше. Он "
                    "заплатил 300 руб. Он ушёл. Пришли 10 тыс. Люди стояли. Он родился в 1950 г. В Москве он учился. "
                    "Это было в XIX в. Потом пришёл век XX. Яблоки, груши и т. д. Потом овощи.") == [
        "Это стоило 5 млрд. долл.", "Потом цены выросли.", "Их было 5 млн.", "Россия потеряла больше.",
        "Он заплатил 300 руб.", "Он ушёл.", "Пришли 10 тыс.", "Люди стояли.", "Он родился в 1950 г.",
        "В Москве он учился.", "Это было в XIX в.", "Потом пришёл век XX.", "Яблоки, груши и т. д.", "Потом овощи."]
    assert split_ru("Він заплатив 5 млрд дол. США. Потім пішов.") == ["Він заплатив 5 млрд дол. США.", "Потім пішов."]
    assert split_ru("Він народився у 1950 р. Потім переїхав на р. Дніпро у Києві.") == [
        "Він народився у 1950 р.", "Потім переїхав на р. Дніпро у Києві."]


def test_us_written_without_its_dots_goes_on_to_what_it_names(options):
    # NTREX's "His comments come as US. | Secretary of State Mike Pompeo seems…" was two passages.
    text = "His comments come as US. Secretary of State Mike Pompeo travels. Guests came from the US. The rest stayed."
    assert split(text, options) == ["His comments come as US. Secretary of State Mike Pompeo travels.",
                                     "Guests came from the US.", "The rest stayed."]


def test_a_lowercase_word_after_an_opening_quote_goes_on(options):
    # NTREX's Catalan headline "Dures acusacions... | “i després ens vam enamorar”" was two passages.
    text = "Dures acusacions... “i després ens vam enamorar”, diu Trump. «Mai més», va dir ella."
    assert split(text, options) == ["Dures acusacions... “i després ens vam enamorar”, diu Trump.",
                                    "«Mai més», va dir ella."]


@pytest.mark.parametrize("text", [
    "「私たちは国際的な支援を受け入れる。」と李外相は言った。",
    "“이것은 엄청난 규모의 재난입니다.” 라고 인도네시아 적십자가 말했다.",
    "“如果我担心种族主义问题，那么我早就离开美国了。”他说。",
    "“水里有鲨鱼！” Hammel 接着说。",
    "「水の中にサメがいるって！」ハメルは語る。",
    "“그 친구는 많은 일을 해야 합니다.” 그가 말했다.",
    "\"يوجد قرش في المياه!\" كما أضاف هاميل.",
    "“你想看看问题究竟在哪儿吗？”，“他穿着超人斗篷。",
])
def test_a_quote_goes_on_to_its_particle_or_speaker_where_letters_have_no_case(text, options):
    assert split(text, options) == [text]


@pytest.mark.parametrize("text", [
    # NTREX's Japanese and Korean: a speaker clause longer than a name and its verb was a passage of its own.
    "「私はここにいる。」スターリッジはLiverpoolFC.comに言った。",
    "「我々は最後まで戦う。」安倍晋三首相は東京での記者会見でこう述べた。",
    "“우리는 이길 것입니다.” 수도 스코페의 유권자인 조세 타네프스키(Gjose Tanevski)(62세)가 말했습니다.",
    "“우리는 끝까지 싸울 것입니다.” 문재인 대통령은 청와대 기자회견에서 이렇게 말했다.",
])
def test_a_quote_goes_on_to_a_long_speaker_clause_where_letters_have_no_case(text, options):
    assert split(text, options) == [text]


def test_a_quote_ends_its_sentence_before_a_new_one_where_letters_have_no_case(options):
    text = "「これは国の災害だ。」私たちは国際的な支援を受け入れる準備をしている。"
    assert split(text, options) == ["「これは国の災害だ。」", "私たちは国際的な支援を受け入れる準備をしている。"]
    # A speech verb further on, past a full stop, is another sentence's.
    text = "“우리는 이깁니다.” 그는 경제가 좋아졌다고 생각한다. 그 다음 문제는 대통령이 말했다."
    assert split(text, options) == ["“우리는 이깁니다.”", "그는 경제가 좋아졌다고 생각한다.",
                                    "그 다음 문제는 대통령이 말했다."]


@pytest.mark.parametrize("text", [
    "إنهم صغار وفضوليون جدًا ... إنهم لا يهدفون إلى إيذائك.",
    "136년 전 오늘, 그리고... 독일에서 미래의 물리학자가 태어났습니다.",
    "距今136年，1882年9月30日这一天 ... 这一天物理学家在德国诞生。",
])
def test_an_ellipsis_goes_on_where_letters_have_no_case(text, options):
    assert split(text, options) == [text]


def test_an_ellipsis_before_a_capital_still_ends_a_sentence(options):
    assert split("We waited and waited... Nobody came back that night.", options) == [
        "We waited and waited...", "Nobody came back that night."]


def test_a_dotted_acronym_goes_on_into_korean(options):
    text = "미국은 A.I. 자금을 두 배로 확대해야 한다."
    assert split(text, options) == [text]
