"""Numeric discrepancies: numbers read per language convention, compared per quantity within a claim."""

import pytest

from comparators.numbers import find_discrepancies, parse_number, passage_quantities, read_numbers, unit_name
from tests._report_helpers import Claim, make_comparison


@pytest.mark.parametrize("written, language, value", [
    ("1,300", "en", 1300), ("1.300", "es", 1300), ("1.300", "de", 1300), ("1 300", "fr", 1300),
    ("1\u202f300", "fr", 1300), ("1\u00a0300", "ru", 1300), ("1300", "pt", 1300), ("1'300", "de", 1300),
    ("1,5", "de", 1.5), ("1.5", "en", 1.5), ("12.345.678", "it", 12345678), ("2,75", "fr", 2.75),
    ("\u0662\u0666", "ar", 26), ("\u0661\u066c\u0663\u0660\u0660", "ar", 1300),
    ("\uff11\uff13\uff10\uff10", "ja", 1300), ("1,30,000", "en", 130000), ("12,34,567.5", "en", 1234567.5),
])
def test_numbers_are_read_with_their_languages_conventions(written, language, value):
    assert parse_number(written, language=language) == value


@pytest.mark.parametrize("written, language", [("1,30", "en"), ("1.3000", "es"), ("1,3,000", "en"), ("123,45,678", "en"),
                                               ("1,30,000", "de")])
def test_malformed_groupings_are_not_numbers(written, language):
    assert parse_number(written, language=language) is None


def test_model_names_and_ordinals_are_not_counts_but_number_words_are():
    found = read_numbers("The DF-61 and G20, the 3rd parade: twenty-six leaders, 1,300 km, Су-57.",
                         language="en", words=True)
    assert [(value, written) for value, written, _, _ in found] == [(26, "twenty-six"), (1300, "1,300")]


def test_a_translation_that_keeps_the_source_format_is_read_the_sources_way():
    quantities = passage_quantities("El viaje de 1.300 km dura 20 horas.", "The trip of 1.300 km lasts 20 hours.",
                                    language="es")
    assert [(q.value, q.written, q.counts[0]) for q in quantities] == [(1300, "1.300", "km"),
                                                                       (1200, "20 horas", "minute")]


def test_a_kept_source_format_is_read_the_sources_way_beside_the_same_bare_number(options):
    # NTREX's Catalan "més de 5.000 accions ... 5 milions de dones" came out "more of 5.000 acts ... 5 million": the
    # 5 of "5 milions" made "5.000" read as 5.0, so "5.000 people" against another outlet's "5,000 people" differed.
    acts, _ = passage_quantities("després de més de 5.000 accions, arribarà a 5 milions de dones",
                                 "after more of 5.000 acts, will reach 5 million of wives", language="ca")
    assert (acts.value, acts.written, acts.counts) == (5000, "5.000", ("act",))
    ours = "More than 5,000 people signed the letter in 5 cities."
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Faro": ("Más de 5.000 personas firmaron la carta en 5 ciudades.",
                 "More than 5.000 people signed the letter in 5 cities.")})], options)
    assert found == []


def test_the_numbers_of_a_list_count_what_its_last_one_does(options):
    # NTREX: the French "âgés de 17, 18 et 20 ans" gave only 20 years, the Spanish "de 17 años, dos de 18 y uno de
    # 20" only 17 years: one outlet's 17 against another's 20, for outlets that tell the same three ages.
    quantities = passage_quantities("âgés de 17, 18 et 20 ans", "main of 17, 18 and 20 years", language="fr")
    assert [(q.value, q.counts) for q in quantities] == [(17, ("year",)), (18, ("year",)), (20, ("year",))]
    rain = passage_quantities("de 50 ou 75 l/m2", "of the 50 or 75 l/m2", language="gl")
    assert [(q.value, q.unit) for q in rain] == [(50, "mm"), (75, "mm")]
    viewers = passage_quantities("2,94, 2,89 e 2,52 millóns", "2,94, 2,89 and 2,52 million", language="gl")
    assert [q.value for q in viewers] == [2_940_000, 2_890_000, 2_520_000]
    outlets = {"Ledger": "en", "Faro": "es", "Courrier": "fr"}
    ours = "A 17-year-old, two 18-year-olds and a 20-year-old man were arrested overnight."
    faro = ("Un joven de 17 años, dos de 18 y uno de 20 fueron arrestados esa misma noche.",
            "A youngster of 17 years, two of 18 and one of 20 were arrested this same night.")
    courrier = ("La police a arrêté les quatre jeunes gens (âgés de 17, 18 et 20 ans) dans la nuit.",
                "The police has arrested the four young people (main of 17, 18 and 20 years) in the night.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro, "Courrier": courrier})], options,
                              outlets)
    assert found == []
    # Other ages are still other ages.
    courrier = ("Ils ont arrêté deux jeunes gens âgés de 16 et 19 ans.",
                "They have arrested two young people main of 16 and 19 years.")
    found, _ = _discrepancies([Claim(ours, {"Faro": faro, "Courrier": courrier})], options, outlets)
    assert [d.values for d in found] == [[16, 17, 19]]


def test_a_real_difference_in_a_translated_outlet_is_still_flagged(options):
    ours = "At least 12 people died in the floods, officials said."
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Faro": ("Al menos 15 personas murieron en las inundaciones, según las autoridades.",
                 "At least 15 people died in the floods, according to the authorities."),
        "Courrier": ("Au moins 12 personnes sont mortes dans les inondations.",
                     "At least 12 people are dead in the floods.")})], options)
    [discrepancy] = found
    assert discrepancy.values == [12, 15]
    assert {reading.outlet for reading in discrepancy.readings if reading.value == 15} == {"Faro"}


def test_years_are_kept_apart_from_durations_in_years():
    years, duration = passage_quantities("desde 1959, hace 66 años", "since 1959, 66 years ago", language="es")
    assert (years.value, duration.value) == (1959, 66)
    assert years.counts != duration.counts


@pytest.mark.parametrize("ours, theirs, differ", [
    ("It opened on September 3.", ("Abrió el 3 de septiembre.", "It opened the 3 of September."), False),
    ("It opened on Sept. 3, 2019.", ("Abrió el 3 de septiembre de 2019.", "It opened the 3 of September of 2019."),
     False),
    ("It opened on September 3 at noon.", ("Abrió el 4 de septiembre.", "It opened the 4 of September."), True),
    ("It opened on 3 September.", ("Abrió el 4 de septiembre.", "It opened the 4 of September."), True),
])
def test_a_day_after_its_month_is_compared_with_the_day_before_it(options, ours, theirs, differ):
    # "September 3" counted nothing, so another outlet's "4 of September" was never compared with it.
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": theirs})], options,
                              {"Ledger": "en", "Faro": "es"})
    assert bool(found) == differ


def test_a_count_after_a_month_is_no_day():
    died, = passage_quantities("In September 30 people died.", "In September 30 people died.", language="en")
    assert died.counts == ("person", "died")


def test_a_number_named_a_year_is_a_year_whatever_follows_it():
    quantities = passage_quantities("L'any 2019 van morir 20 persones.", "The year 2019 died 20 persons.",
                                    language="ca")
    assert [(q.value, q.counts[0]) for q in quantities] == [(2019, "(calendar year)"), (20, "person")]
    month, = passage_quantities("En septiembre 2019 ardieron 1200 casas.", "In September 2019 burned",
                                language="es")
    assert month.counts == ("(calendar year)",)


def _discrepancies(claims, options, outlets=None):
    outlets = outlets or {"Ledger": "en", "Faro": "es", "Courrier": "fr"}
    comparison = make_comparison(outlets, claims)
    return find_discrepancies(comparison.passages, comparison.coverage, options=options), comparison


def test_outlets_giving_different_counts_for_the_same_quantity_are_a_discrepancy(options):
    found, comparison = _discrepancies([
        Claim("26 foreign heads of state attended.", {
            "Ledger": ("Chinese officials said 26 foreign heads of state attended.",
                       "Chinese officials said 26 foreign heads of state attended."),
            "Faro": ("Asistieron 25 jefes de Estado extranjeros.", "They attended 25 heads of foreign State."),
            "Courrier": ("Au total, 26 chefs d'État étrangers y assistaient.",
                         "In total, 26 foreign heads of State attended."),
        }),
        Claim("The train covers 1,300 km.", {
            "Ledger": ("The train covers 1,300 km.", "The train covers 1,300 km."),
            "Faro": ("El tren recorre 1.300 km.", "The train covers 1.300 km."),
            "Courrier": ("Le train parcourt 1 300 km.", "The train covers 1 300 km."),
        }),
    ], options)
    assert len(found) == 1
    [discrepancy] = found
    assert discrepancy.claim_id == comparison.claims.filter(
        comparison.claims["text_en"].str.starts_with("26"))["claim_id"][0]
    assert discrepancy.values == [25, 26]
    assert {(r.outlet, r.value) for r in discrepancy.readings} == {("Ledger", 26), ("Faro", 25), ("Courrier", 26)}
    assert "heads" in discrepancy.quantity


def test_a_partial_match_is_compared_too(options):
    found, _ = _discrepancies([Claim("The parade lasted about 70 minutes.", {
        "Ledger": ("The parade lasted about 70 minutes.", "The parade lasted about 70 minutes."),
        "Faro": ("El desfile duró unos 70 minutos.", "The parade lasted some 70 minutes."),
    }, partial={"Courrier": ("Le défilé a duré environ 90 minutes.", "The parade has lasted roughly 90 minutes.")})],
        options)
    assert [(d.quantity, d.values) for d in found] == [("minutes", [70, 90])]


def test_different_quantities_in_one_claim_are_not_compared(options):
    found, _ = _discrepancies([Claim("26 leaders attended.", {
        "Ledger": ("26 leaders attended.", "26 leaders attended."),
        "Faro": ("Asistieron 3 ministros.", "3 ministers attended."),
    })], options)
    assert found == []


def test_tolerance_absorbs_rounding(options):
    claims = [Claim("The journey is 1,300 km.", {
        "Ledger": ("The journey is 1,300 km.", "The journey is 1,300 km."),
        "Faro": ("El viaje es de 1.302 km.", "The journey is of 1.302 km."),
    })]
    assert len(_discrepancies(claims, options)[0]) == 1
    tolerant = options.with_overrides({"numbers": {"tolerance": 0.01}})
    assert _discrepancies(claims, tolerant)[0] == []


def test_scale_words_multiply_the_number_before_it(options):
    found, _ = _discrepancies([
        Claim("About 300 soldiers marched.", {
            "Ledger": ("About 300 soldiers marched.", "About 300 soldiers marched."),
            "Faro": ("Unos trescientos soldados marcharon.", "Some three hundred soldiers marched."),
        }),
        Claim("1.5 million people were evacuated.", {
            "Ledger": ("1.5 million people were evacuated.", "1.5 million people were evacuated."),
            "Faro": ("Fueron evacuadas 1.500.000 personas.", "They were evacuated 1.500.000 people."),
            "Courrier": ("2 millions de personnes ont été évacuées.", "2 million people have been evacuated."),
        }),
    ], options)
    [discrepancy] = found  # 300 is three hundred; 1.5 million is 1,500,000 but not 2 million
    assert discrepancy.values == [1_500_000, 2_000_000]
    assert {(r.outlet, r.written) for r in discrepancy.readings} == {
        ("Ledger", "1.5 million"), ("Faro", "1.500.000"), ("Courrier", "2 millions")}


def test_hours_and_minutes_are_one_duration(options):
    # "an hour and ten minutes" is the 70 minutes of another outlet, not 10 minutes against 70.
    found, _ = _discrepancies([Claim("The parade lasted 70 minutes.", {
        "Ledger": ("The parade lasted 70 minutes.", "The parade lasted 70 minutes."),
        "Faro": ("El desfile duró una hora y diez minutos.", "The parade lasted an hour and ten minutes."),
    })], options)
    assert found == []
    found, _ = _discrepancies([Claim("The parade lasted 70 minutes.", {
        "Ledger": ("The parade lasted 70 minutes.", "The parade lasted 70 minutes."),
        "Faro": ("El desfile duró 1 hora y 10 minutos.", "The parade lasted 1 hour and 10 minutes."),
        "Courrier": ("Le défilé a duré une heure et vingt minutes.", "The parade lasted an hour and twenty minutes."),
    })], options)
    [discrepancy] = found
    # The originals' words for the hours are not found: no written form rather than the English as if written.
    assert {(r.outlet, r.value, r.written) for r in discrepancy.readings} == {
        ("Ledger", 70, "70"), ("Faro", 70, ""), ("Courrier", 80, "")}


def test_a_time_of_day_is_one_number_however_it_is_written(options):
    # "10:30" was read as 30 (of "in Beijing") and the Spanish "10.30" as 10.3: a difference that is not there.
    found, _ = _discrepancies([Claim("The parade began at 10:30 in Beijing.", {
        "Ledger": ("The parade began at 10:30 in Beijing.", "The parade began at 10:30 in Beijing."),
        "Faro": ("El desfile comenzó a las 10.30 en Pekín.", "The parade began to the 10.30 in Beijing."),
    })], options)
    assert found == []
    found, _ = _discrepancies([Claim("The parade began at 10:30 in Beijing.", {
        "Ledger": ("The parade began at 10:30 a.m. in Beijing.", "The parade began at 10:30 a.m. in Beijing."),
        "Faro": ("El desfile comenzó a las 10.30 en Pekín.", "The parade began to the 10.30 in Beijing."),
        "Courrier": ("Le défilé a commencé à 22:30 à Pékin.", "The parade began at 22:30 in Beijing."),
    })], options)
    [discrepancy] = found
    assert discrepancy.quantity == "(time of day)" and discrepancy.values == [10.3, 22.3]
    assert passage_quantities("It grew 10.30 percent.", "It grew 10.30 percent.", language="en")[0].value == 10.3


def test_a_range_agrees_with_a_number_within_it(options):
    # "10–12 people" was read as 12 people, so an outlet saying 10 or 11 seemed to differ from it.
    found, _ = _discrepancies([Claim("Between 10 and 12 people died.", {
        "Ledger": ("10–12 people died in the fire.", "10–12 people died in the fire."),
        "Faro": ("Murieron 10 personas en el incendio.", "Died 10 people in the fire."),
        "Courrier": ("Entre 10 et 12 personnes sont mortes.", "Between 10 and 12 people have died."),
    })], options)
    assert found == []
    found, _ = _discrepancies([Claim("Between 10 and 12 people died.", {
        "Ledger": ("10–12 people died in the fire.", "10–12 people died in the fire."),
        "Faro": ("Murieron 20 personas en el incendio.", "Died 20 people in the fire."),
    })], options)
    [discrepancy] = found
    assert {(r.outlet, r.low, r.value, r.written) for r in discrepancy.readings} == {
        ("Ledger", 10, 12, "10–12"), ("Faro", None, 20, "20")}
    scores = passage_quantities("They won 3-2 goals.", "They won 3-2 goals.", language="en")
    assert [(q.low, q.value, q.counts) for q in scores] == [(2, 3, ("(score)",))]  # a score is no range


@pytest.mark.parametrize("theirs, differ", [
    (("Le match commence à 16 h.", "The party begins to 16 h."), True),
    (("Le match commence à 15 h.", "The party begins to 15 h."), False),
    (("Le match commence vers 15h30.", "The party begins to the 15h30."), True),
    (("Le match commence dès 15 heures.", "The party begins from 15 hours."), False),
])
def test_a_french_hour_given_as_a_time_of_day_is_compared_with_a_clock(options, theirs, differ):
    # "à 15 h" was 15 hours, 900 minutes: never compared with another outlet's "3 p.m.", so 4 p.m. passed.
    found, _ = _discrepancies([Claim("The match starts at 3 p.m.", {
        "Ledger": ("The match starts at 3 p.m.", "The match starts at 3 p.m."), "Courrier": theirs})],
        options, {"Ledger": "en", "Courrier": "fr"})
    assert bool(found) == differ
    if differ:
        assert found[0].quantity == "(time of day)"


@pytest.mark.parametrize("text, text_en, value, counts", [
    ("Le match commence à 15 h 30.", "The party begins to 15 h 30.", 15.3, ("(time of day)",)),
    ("Le concert a lieu de 20 h à 23 h.", "The concert takes place of 20 h to 23 h.", 20, ("(time of day)",)),
    # Durations stay durations, in minutes: after "pendant" or "en", before "de route", "à 2 h de Paris".
    ("Ils ont marché pendant 3 h.", "They have walked during 3 h.", 180, ("minute",)),
    ("Il y a 3 h de route.", "There is 3 h of road.", 180, ("minute",)),
    ("Il l'a fait en 2 h.", "It has done it in 2 h.", 120, ("minute",)),
    ("La ville est à 2 h de Paris.", "The city is to 2 h of Paris.", 120, ("minute",)),
    # Given as a time and as a duration, "15 h" in the English may be either: it stays a duration.
    ("Il part à 15 h, après avoir marché pendant 15 h.", "It leaves to 15 h, after having walked during 15 h.",
     900, ("minute",)),
])
def test_a_french_hour_is_a_time_of_day_only_where_the_source_says_so(text, text_en, value, counts):
    first, *_ = passage_quantities(text, text_en, language="fr")
    assert (first.value, first.counts) == (value, counts)


@pytest.mark.parametrize("text, text_en, expected", [
    ("Le trajet se fait en 2h05.", "The distance does in 2h05.", [(125, "2h05", ("minute",))]),
    ("La ville est à 2 h 30 de route.", "The city is to 2 h 30 of road.", [(150, "2 h 30", ("minute",))]),
    ("Le match a duré 2 heures 30.", "The party has lasted 2 hours 30.", [(150, "2 heures 30", ("minute",))]),
    # A time of day stays one, beside a duration.
    ("Il est arrivé à 15 h 30 après 2 h 30 de route.", "It is arrived to 15 h 30 after 2 h 30 of road.",
     [(15.3, "15 h 30", ("(time of day)",)), (150, "2 h 30", ("minute",))]),
    ("Il a marché 2 h 30 min.", "It has walked 2 h 30 min.", [(150, "2 h 30 min", ("minute",))]),
])
def test_a_french_duration_in_hours_and_minutes_is_one_number_of_minutes(text, text_en, expected):
    # "en 2h05" was 120 minutes, its 05 dropped; "à 2 h 30 de route" 120 minutes and a separate "30 road".
    quantities = passage_quantities(text, text_en, language="fr")
    assert [(q.value, q.written, q.counts) for q in quantities] == expected


@pytest.mark.parametrize("theirs, differ", [
    (("Le défilé a duré 2 h 30.", "The parade lasted 2 h 30."), False),
    (("Le défilé a duré 2 h 05.", "The parade lasted 2 h 05."), True),
    (("Le défilé a duré 2 h.", "The parade lasted 2 h."), True),
])
def test_a_french_duration_in_hours_and_minutes_is_compared_with_an_english_one(options, theirs, differ):
    found, _ = _discrepancies([Claim("The parade lasted two and a half hours.", {
        "Ledger": ("The parade lasted two and a half hours.", "The parade lasted two and a half hours."),
        "Courrier": theirs})], options, {"Ledger": "en", "Courrier": "fr"})
    assert bool(found) == differ


@pytest.mark.parametrize("text, text_en, language, value", [
    ("L'accident s'est produit aux environs de 10h15 heure locale.",
     "The accident has produced to the surroundings of the 10h15 local hour.", "fr", 10.15),
    ("O voo partiu pelas 19h30, hora local.", "The flight departed by the 19h30, local hour.", "pt", 19.3),
])
def test_an_unmarked_hour_and_minutes_is_a_time_of_day(text, text_en, language, value):
    # Nothing says "aux environs de 10h15 heure locale" lasts: in news such an hour is a time, not 600 minutes (its
    # 15 dropped) nor 615.
    first, *_ = passage_quantities(text, text_en, language=language)
    assert (first.value, first.counts) == (value, ("(time of day)",))


@pytest.mark.parametrize("text, text_en, value", [
    ("Foi encontrada às 7h55 da manhã.", "It was found to the 7h55 of the morning.", 7.55),
    ("O jogo começa às 7h30 da noite.", "The game begins to the 7h30 of the night.", 19.3),
])
def test_an_hour_and_minutes_of_the_morning_or_evening_is_a_time_of_day(text, text_en, value):
    # Portuguese "às 7h55 da manhã" was 420 minutes, its 55 dropped, never compared with another outlet's 7:55 a.m.
    time, = passage_quantities(text, text_en, language="pt")
    assert (time.value, time.counts) == (value, ("(time of day)",))


_LAUNCH = "The rocket lifted off at 12:55 p.m. ET."


@pytest.mark.parametrize("theirs, language, differ", [
    # One moment in each outlet's zone: New York's summer 12:55 is 18:55 in Madrid, 19:55 in Moscow, 00:55 in Beijing.
    (("El cohete despegó a las 18:55 h (hora peninsular).", "The rocket despegó to the 18:55 h (peninsular hour)."),
     "es", False),
    (("Despegó a las 19:55 hora de Moscú.", "Despegó To the 19:55 hour of Moscow."), "es", False),
    (("Le lancement a eu lieu à 18h55, heure de Paris.",
      "The launching has taken place to the 18h55, hour of Paris."), "fr", False),
    (("It lifted off at 18:55 CET.", "It lifted off at 18:55 CET."), "en", False),
    # In March New York is on summer time and Europe not yet: 5 hours apart.
    (("It lifted off at 17:55 CET.", "It lifted off at 17:55 CET."), "en", False),
    (("It lifted off at 19:55 Moscow time.", "It lifted off at 19:55 Moscow time."), "en", False),
    (("It lifted off at 00:55 GMT+8.", "It lifted off at 00:55 GMT+8."), "en", False),
    (("It lifted off at 16:55 UTC.", "It lifted off at 16:55 UTC."), "en", False),
    (("It lifted off at 12:55 a.m. Beijing time.", "It lifted off at 12:55 a.m. Beijing time."), "en", False),
    # Other moments, each with its zone, differ; so does the same clock in another zone.
    (("El cohete despegó a las 19:55 h (hora peninsular).", "The rocket despegó to the 19:55 h (peninsular hour)."),
     "es", True),
    (("It lifted off at 21:55 Moscow time.", "It lifted off at 21:55 Moscow time."), "en", True),
    (("It lifted off at 12:55 CET.", "It lifted off at 12:55 CET."), "en", True),
    # EST and CEST are 7 hours apart, never ET and CET: winter time in New York is winter time in Europe.
    (("It lifted off at 19:55 CET.", "It lifted off at 19:55 CET."), "en", True),
    # A time without a zone, or in local time, is compared as written.
    (("El cohete despegó a las 18:55 h.", "The rocket despegó to the 18:55 h."), "es", True),
    (("It lifted off at 18:55 local time.", "It lifted off at 18:55 local time."), "en", True),
    (("It lifted off at 12:55 local time.", "It lifted off at 12:55 local time."), "en", False),
])
def test_times_of_day_in_different_zones_are_compared_as_moments(options, theirs, language, differ):
    # "12:55 p.m. ET" and "a las 18:55 h (hora peninsular)" tell one moment, and were flagged as differing times.
    found, _ = _discrepancies([Claim(_LAUNCH, {"Ledger": (_LAUNCH, _LAUNCH), "Faro": theirs})], options,
                              {"Ledger": "en", "Faro": language})
    assert bool(found) == differ


@pytest.mark.parametrize("ours, theirs, differ", [
    # The abbreviation that says its season is held to it: 12:55 EDT is 17:55 BST, 12:55 EST 17:55 GMT.
    ("at 12:55 p.m. EDT", "at 17:55 BST", False),
    ("at 12:55 p.m. EST", "at 17:55 BST", True),
    ("at 12:55 p.m. EST", "at 17:55 GMT", False),
    ("at 12:55 p.m. EDT", "at 17:55 GMT", True),
    ("at 9:55 a.m. PT", "at 12:55 Eastern time", False),
    ("at 10:30 a.m. EDT", "at 9:00 p.m. IST", True),
    ("at 10:30 a.m. EST", "at 9:00 p.m. IST", False),
    ("at 16:55 UTC+0", "at 22:25 UTC+05:30", False),
    # The same clock in the same zone; a regional zone is not moved against itself.
    ("at 12:55 p.m. ET", "at 1:55 p.m. ET", True),
])
def test_a_zone_that_says_its_season_keeps_its_offset(options, ours, theirs, differ):
    found, _ = _discrepancies([Claim(f"It lifted off {ours}.", {
        "Ledger": (f"It lifted off {ours}.", f"It lifted off {ours}."),
        "Times": (f"It lifted off {theirs}.", f"It lifted off {theirs}.")})], options, {"Ledger": "en", "Times": "en"})
    assert bool(found) == differ


@pytest.mark.parametrize("text_en, value, zone, phrase", [
    ("It began at 12:55 p.m. ET on Monday.", 12.55, "ET", "12:55 p.m. ET"),
    ("It began at 6:55 a.m. Beijing time.", 6.55, "Beijing time", "6:55 a.m. Beijing time"),
    ("It began at 12:55 (Eastern Daylight Time).", 12.55, "EDT", "12:55 (Eastern Daylight Time)"),
    ("It began at 10:30 UTC+05:30.", 10.3, "UTC+5:30", "10:30 UTC+05:30"),  # the offset is no second time
    ("It began at 10:30 GMT-5.", 10.3, "UTC-5", "10:30 GMT-5"),
    ("It began at 10:30 local time.", 10.3, None, "10:30"),
    # After a comma only a zone's name is one; a capital word that is no zone ends nothing.
    ("At 10:30, CT scans showed it.", 10.3, None, "10:30"),
    ("At 10:30, Moscow time, it began.", 10.3, "MSK", "10:30, Moscow time"),
    ("At 10:30 ETA Madrid arrived.", 10.3, None, "10:30"),
])
def test_a_zone_right_after_a_time_of_day_is_read_with_it(text_en, value, zone, phrase):
    time, *_ = passage_quantities(text_en, text_en, language="en")
    assert (time.value, time.unit, time.phrase) == (value, zone, phrase)


def test_indian_grouping_is_one_number():
    # "1,30,000" was read as three numbers, 1, 30 and 0: an outlet's 130,000 people became 1 person.
    assert [value for value, *_ in read_numbers("1,30,000 people", language="en")] == [130000]
    quantity, = passage_quantities("1,30,000 लोग आए", "1,30,000 people came", language="hi")
    assert (quantity.value, quantity.counts[0]) == (130000, "person")


def test_hours_and_half_hours_are_counted_in_minutes(options):
    # "1.5 hours" counted hours and "90 minutes" minutes: never compared, so 1.5 hours against 80 minutes passed.
    same = {"Ledger": ("The parade lasted 90 minutes.", "The parade lasted 90 minutes."),
            "Faro": ("El desfile duró 1,5 horas.", "The parade lasted 1,5 hours."),
            "Courrier": ("Le défilé a duré une heure et demie.", "The parade lasted an hour and a half.")}
    assert _discrepancies([Claim("The parade lasted 90 minutes.", same)], options)[0] == []
    found, _ = _discrepancies([Claim("The parade lasted 90 minutes.", {
        **same, "Courrier": ("Le défilé a duré 80 minutes.", "The parade lasted 80 minutes.")})], options)
    [discrepancy] = found
    assert {(r.outlet, r.value, r.written) for r in discrepancy.readings} == {
        ("Ledger", 90, "90"), ("Faro", 90, "1,5 horas"), ("Courrier", 80, "80")}
    spelled = passage_quantities("x", "Half an hour of speeches, then two and a half hours of march.", language="en")
    assert [(q.value, q.counts) for q in spelled] == [(30, ("minute",)), (150, ("minute",))]
    # A time of day and a count of hours stay what they are.
    day, = passage_quantities("x", "The parade began at 10:30 in Beijing.", language="en")
    assert day.counts == ("(time of day)",)


def test_money_in_scale_words_and_abbreviations_is_one_quantity(options):
    # "$1.2 billion" counted "billion" and "1,200 million dollars" "million dollar": never compared.
    outlets = {"Ledger": "en", "Faro": "es", "Times": "en"}
    same = {"Ledger": ("The loan was $1.2 billion.", "The loan was $1.2 billion."),
            "Faro": ("El préstamo fue de 1.200 millones de dólares.", "The loan was 1.200 million dollars."),
            "Times": ("The loan was US$1,200m.", "The loan was US$1,200m.")}
    assert _discrepancies([Claim("The loan was $1.2 billion.", same)], options, outlets)[0] == []
    found, _ = _discrepancies([Claim("The loan was $1.2 billion.", {
        **same, "Times": ("The loan was $1.3bn.", "The loan was $1.3bn.")})], options, outlets)
    [discrepancy] = found
    assert discrepancy.values == [1_200_000_000, 1_300_000_000]
    assert ("Times", "1.3bn") in {(r.outlet, r.written) for r in discrepancy.readings}


@pytest.mark.parametrize("text, value, counts", [
    ("£3bn was spent.", 3e9, ("pound",)), ("1.2m people fled.", 1.2e6, ("person",)),
    ("5k people ran.", 5e3, ("person",)), ("€300m was lent.", 3e8, ("euro",)),
    # Metres stay metres: no currency before, no people or money after.
    ("A 300m tower fell.", 300, ("metre", "tower")), ("It rose 300m.", 300, ("metre",)),
    ("The 300 m race ended.", 300, ("metre", "race")),
])
def test_abbreviated_scales_are_read_by_context(text, value, counts):
    quantity, = passage_quantities(text, text, language="en")
    assert (quantity.value, quantity.counts[:len(counts)]) == (value, counts)


@pytest.mark.parametrize("text, value, counts", [
    # "¥" was no currency: "¥5 billion" counted "billion" and was never compared with "5 billion yen" or "yuan".
    ("¥5 billion was lent.", 5e9, ("yen", "yuan")), ("It cost \uffe5300.", 300, ("yen", "yuan")),
    ("CN¥5bn was lent.", 5e9, ("yuan",)), ("CNY 5 billion was lent.", 5e9, ("yuan",)),
    ("It was 5 million USD.", 5e6, ("dollar",)), ("₩3 trillion was spent.", 3e12, ("won",)),
    ("₹500 crore was spent.", 5e9, ("rupee",)), ("Rs 500 crore was spent.", 5e9, ("rupee",)),
    ("There were 2 lakh people.", 2e5, ("person",)), ("₽300 million was lent.", 3e8, ("ruble",)),
    ("It cost 300 million roubles.", 3e8, ("ruble",)), ("It cost US$5mn.", 5e6, ("dollar",)),
    # A dollar with a country's letters is another currency, never compared with US dollars.
    ("HK$5 billion was lent.", 5e9, ("hong kong dollar",)), ("A$5 billion was lent.", 5e9, ("australian dollar",)),
    ("R$ 5 billion was lent.", 5e9, ("real",)), ("MX$5 billion was lent.", 5e9, ("mx$",)),
    # A sum with nothing after it is money all the same.
    ("The ticket cost $5.", 5, ("dollar",)), ("It cost €3, or so.", 3, ("euro",)),
])
def test_currencies_are_read_from_their_signs_and_codes(text, value, counts):
    quantity, = passage_quantities(text, text, language="en")
    assert (quantity.value, quantity.counts) == (value, counts)


def test_yen_and_yuan_amounts_are_compared_as_money(options):
    outlets = {"Ledger": "en", "Faro": "es", "Times": "en"}
    found, _ = _discrepancies([Claim("The loan was 5 billion yuan.", {
        "Ledger": ("The loan was ¥5 billion.", "The loan was ¥5 billion."),
        "Faro": ("El préstamo fue de 5.000 millones de yuanes.", "The loan was 5.000 million yuan."),
        "Times": ("The loan was CNY 6 billion.", "The loan was CNY 6 billion."),
    })], options, outlets)
    [discrepancy] = found
    assert discrepancy.values == [5e9, 6e9]
    found, _ = _discrepancies([Claim("The loan was 5 billion dollars.", {
        "Ledger": ("The loan was HK$5 billion.", "The loan was HK$5 billion."),
        "Times": ("The loan was US$640 million.", "The loan was US$640 million."),
    })], options, outlets)
    assert found == []  # Hong Kong and US dollars are different quantities


def test_a_sums_range_is_money_with_the_sign_at_either_end():
    for text in ("It cost $10-$12 million.", "It cost between $10 and $12 million.", "It cost $10–12 million."):
        quantity, = passage_quantities(text, text, language="en")
        assert (quantity.low, quantity.value, quantity.counts) == (10e6, 12e6, ("dollar",)), text


@pytest.mark.parametrize("text", ["She won the 5k run.", "He ran a 10K race.", "It streams 4K video.",
                                  "The 5k-run began."])
def test_a_k_before_a_singular_noun_names_a_kind_of_thing(text):
    # "5k run" was read as 5,000 of "run", against another outlet's "5-kilometre run" or the "five" runs of a third.
    assert passage_quantities(text, text, language="en") == []


@pytest.mark.parametrize("text, value", [("He got a $5k bonus.", 5e3), ("5k people ran.", 5e3),
                                         ("It had 10K views.", 1e4), ("Crowds of 50k.", 5e4)])
def test_a_k_after_a_currency_or_before_what_is_counted_is_thousands(text, value):
    quantity, = passage_quantities(text, text, language="en")
    assert quantity.value == value


def test_a_score_written_team_by_team_agrees_with_one_written_score_first(options):
    # "Livingston 1 - Rangers 0" gave Rangers the 1 across the spaced dash, against the 0 of "1 - 0 Rangers".
    found, _ = _discrepancies([Claim("Livingston 1 - 0 Rangers.", {
        "Ledger": ("Livingston 1 - 0 Rangers: Menga goal downs Gerrard's men",
                   "Livingston 1 - 0 Rangers: Menga goal downs Gerrard's men"),
        "Faro": ("Livingston 1 - Rangers 0: el gol de Menga tumba a los hombres de Gerrard",
                 "Livingston 1 - Rangers 0: the goal of Menga tomb to the men of Gerrard"),
    })], options)
    assert found == []
    quantity, = passage_quantities("a 20-degree rise", "a 20-degree rise", language="en")
    assert quantity.counts[0] == "degree"


@pytest.mark.parametrize("theirs, differ", [
    (("Rangers 0, Livingston 1: Menga goal", "Rangers 0, Livingston 1: Menga goal"), False),  # the other team first
    (("Livingston 1 - Rangers 0 after extra time", "Livingston 1 - Rangers 0 after extra time"), False),
    (("Livingston 2 - Rangers 0: Menga double", "Livingston 2 - Rangers 0: Menga double"), True),
    (("Rangers 1, Livingston 1: a late equaliser", "Rangers 1, Livingston 1: a late equaliser"), True),
])
def test_a_score_written_team_by_team_is_compared_as_its_pair(options, theirs, differ):
    # "Livingston 1 - Rangers 0" and "Rangers 0, Livingston 1" read no score, so a 2-0 or 1-1 elsewhere went unseen.
    outlets = {"Ledger": "en", "Other": "en"}
    found, _ = _discrepancies([Claim("Livingston 1 - 0 Rangers.", {
        "Ledger": ("Livingston 1 - 0 Rangers: Menga goal", "Livingston 1 - 0 Rangers: Menga goal"),
        "Other": theirs})], options, outlets)
    assert [d.quantity for d in found] == (["(score)"] if differ else [])


@pytest.mark.parametrize("text, expected", [
    ("Rangers 0, Livingston 1", [(0, 1, "0, Livingston 1")]),
    ("Celtic beat them: Celtic 2, Rangers 1.", [(1, 2, "2, Rangers 1")]),
    ("Flights to Paris 3, London 4, Rome 2.", []),
    ("Livingston 1 - Rangers 0 after extra time", [(0, 1, "1 - Rangers 0")]),
    ("See Article 5, Section 3 of the law.", []),
    ("He visited Paris 3, London 4 times.", []),
    ("Flights to Paris 3, London 4 and Rome 2 were cancelled.", []),
])
def test_team_by_team_scores_are_read_and_numbered_things_are_not(text, expected):
    quantities = passage_quantities(text, text, language="en")
    assert [(q.low, q.value, q.written) for q in quantities if q.counts == ("(score)",)] == expected


@pytest.mark.parametrize("theirs, differ", [
    (("Liverpool won 4-1.", "Liverpool won 4-1."), True),
    (("Liverpool lost 1-3 to them.", "Liverpool lost 1-3 to them."), False),  # told from the other side
    (("El Liverpool ganó 3 a 1.", "The Liverpool won 3 to 1."), False),
    (("El Liverpool ganó 4 a 1.", "The Liverpool won 4 to 1."), True),
    (("Le Liverpool a gagné 3 à 2.", "The Liverpool has won 3 to 2."), True),
    (("El Liverpool va guanyar 2 a 1.", "The Liverpool grossed 2 at 1."), True),
    (("Chelsea 1-3 Liverpool", "Chelsea 1-3 Liverpool"), False),
    (("Chelsea 1-1 Liverpool", "Chelsea 1-1 Liverpool"), True),
])
def test_a_score_is_compared_as_its_pair(options, theirs, differ):
    # Only the second number of "won 3-1" was read (nothing after it, nothing counted): 3-1 and 4-1 agreed.
    outlets = {"Ledger": "en", "Other": "es"}
    found, _ = _discrepancies([Claim("Liverpool won 3-1.", {
        "Ledger": ("Liverpool won 3-1.", "Liverpool won 3-1."), "Other": theirs})], options, outlets)
    assert bool(found) == differ
    if differ:
        assert found[0].quantity == "(score)"


@pytest.mark.parametrize("text, expected", [
    ("The Senate voted 52-48 to confirm him.", [(48, 52, "52-48")]),
    ("She won 6-4, 6-3.", [(4, 6, "6-4"), (3, 6, "6-3")]),
    ("Livingston 1 - 0 Rangers: Menga goal", [(0, 1, "1 - 0")]),
    ("a 2-2 draw", [(2, 2, "2-2")]),
])
def test_scores_and_tallies_are_read_as_pairs(text, expected):
    quantities = passage_quantities(text, text, language="en")
    assert [(q.low, q.value, q.written) for q in quantities if q.counts == ("(score)",)] == expected


@pytest.mark.parametrize("text, low, value, counts", [
    ("10-12 people died in the fire.", 10, 12, ("person", "died")),
    ("Between 10 and 12 people died.", 10, 12, ("person", "died")),
    ("The match lasted 2 to 3 hours.", 120, 180, ("minute",)),
    ("The win cost $10-12 million.", 10e6, 12e6, ("dollar",)),
    ("After 9-11 the world changed.", 9, 11, ("world", "changed")),
    ("The vote fell from 20 to 10 percent.", None, 10, ("percent",)),
    ("It won 3-4 houses.", 3, 4, ("house",)),
])
def test_ranges_and_counts_are_no_scores(text, low, value, counts):
    *_, last = passage_quantities(text, text, language="en")
    assert (last.low, last.value, last.counts) == (low, value, counts)


def test_a_years_range_is_no_score():
    first, last = passage_quantities("The 2019-2020 season.", "The 2019-2020 season.", language="en")
    assert (first.value, first.counts, last.value) == (2019, ("(calendar year)",), 2020)


def test_a_percentage_whose_sign_the_translation_lost_is_still_a_percentage(options):
    # Apertium's Italian turns "al 16%" into "to the 16": the turnout of 17 % against 16 % went unseen.
    outlets = {"Ledger": "en", "Gazzetta": "it"}
    found, _ = _discrepancies([Claim("Turnout stood at only 16 percent.", {
        "Ledger": ("Turnout stood at only 16 percent.", "Turnout stood at only 16 percent."),
        "Gazzetta": ("L’affluenza era solo al 17%.", "The influx was only to the 17."),
    })], options, outlets)
    [discrepancy] = found
    assert discrepancy.values == [16, 17]
    # Only a value the original gives with the sign alone: the 16 of "16 % et 16 villes" may be the towns.
    towns, = passage_quantities("Il y a 16 % et 16 villes.", "There are 16 and 16 towns.", language="fr")
    assert towns.counts == ("town",)


@pytest.mark.parametrize("text, counts", [
    ("Winds reached 85 miles per hour.", ("mile/hour",)), ("Winds reached 85 mph.", ("mile/hour",)),
    ("The tsunami moved at 800 kph.", ("km/hour",)), ("The tsunami moved at 800 km/h.", ("km/hour",)),
    ("Jones has a 40 per cent stake.", ("percent", "stake")),
    ("It invests $100 million per year.", ("dollar", "/year")),
])
def test_a_rate_is_a_quantity_of_its_own(text, counts):
    # "per" was read as "percent" and "km/h" as km: "85 miles per hour" was compared with "40 per cent" and a
    # speed of 136 km/h with a distance of 620 km.
    quantity, = passage_quantities(text, text, language="en")
    assert quantity.counts == counts


def test_a_speed_is_not_compared_with_a_distance_or_a_share(options):
    found, _ = _discrepancies([Claim("Rosa had winds of 136 km/h, 620 km off the coast.", {
        "Ledger": ("Rosa had winds of 136 km/h.", "Rosa had winds of 136 km/h."),
        "Faro": ("Rosa estaba a 620 km de la costa.", "Rosa was to 620 km of the coast."),
        "Courrier": ("Les vents de Rosa ont atteint 40 %.", "The winds of Rosa reached 40 %."),
    }, partial={"Times": ("Rosa had winds of 85 miles per hour.", "Rosa had winds of 85 miles per hour.")})],
        options, {"Ledger": "en", "Faro": "es", "Courrier": "fr", "Times": "en"})
    assert found == []


def test_a_whole_hour_with_am_or_pm_is_a_time_of_day(options):
    # "3 p.m." counted "p" and was never compared with the "15.00" of another outlet.
    claim = "The parade began at 3 p.m. in Beijing."
    same = {"Ledger": ("The parade began at 3 p.m. in Beijing.", "The parade began at 3 p.m. in Beijing."),
            "Faro": ("El desfile comenzó a las 15.00 en Pekín.", "The parade began to the 15.00 in Beijing.")}
    assert _discrepancies([Claim(claim, same)], options)[0] == []
    found, _ = _discrepancies([Claim(claim, {**same, "Courrier": (
        "Le défilé a commencé à 16:00 à Pékin.", "The parade began at 16:00 in Beijing.")})], options)
    [discrepancy] = found
    assert discrepancy.quantity == "(time of day)" and discrepancy.values == [15, 16]
    assert [q.value for q in passage_quantities("x", "From 10am to 12 a.m.", language="en")] == [10, 0]
    # "12:30 a.m." was 12:30, half past noon, where the 00:30 of another outlet is the same time.
    assert [q.value for q in passage_quantities("x", "From 12:30 a.m. to 10:15 a.m.", language="en")] == [0.3, 10.15]


def test_apertiums_hour_of_the_morning_or_evening_is_a_time_of_day(options):
    # "a las 7 de la mañana" comes out "to the 7 of the morning": 7 "morning"s, never compared with "7 a.m.".
    claim = "The polls opened at 7 a.m."
    found, _ = _discrepancies([Claim(claim, {
        "Ledger": ("The polls opened at 7 a.m.", "The polls opened at 7 a.m."),
        "Faro": ("Los colegios abrieron a las 8 de la mañana.", "The schools opened to the 8 of the morning."),
    })], options)
    [discrepancy] = found
    assert discrepancy.values == [7, 8]
    spelled = "At 7:55 of the evening, the 5 h of the morning, 4h of the tomorrow, 11 of the night."
    assert [q.value for q in passage_quantities("x", spelled, language="es")] == [19.55, 5, 4, 23]


def test_apertiums_millardos_of_dollars_are_billions_of_dollars(options):
    # French and Italian reach English through Spanish: "2 milliards de dollars" became "2 millardos of dollars",
    # 2 of "millardo" never compared with the $2 billion of another outlet.
    claim = "DARPA announced a $2 billion investment."
    outlets = {"Ledger": "en", "Courrier": "fr", "Gazzetta": "it"}
    found, _ = _discrepancies([Claim(claim, {
        "Ledger": ("DARPA announced a $2 billion investment.", "DARPA announced a $2 billion investment."),
        "Courrier": ("La DARPA a annoncé un investissement de 2 milliards de dollars.",
                     "The DARPA has announced an investment of 2 millardos of dollars."),
        "Gazzetta": ("La DARPA ha annunciato un investimento di 2,5 miliardi di dollari.",
                     "The DARPA has announced an investment of 2,5 millardos of dollars."),
    })], options, outlets)
    [discrepancy] = found
    assert discrepancy.values == [2e9, 2.5e9]
    assert {(r.outlet, r.value) for r in discrepancy.readings} == {
        ("Ledger", 2e9), ("Courrier", 2e9), ("Gazzetta", 2.5e9)}


def test_a_year_after_in_or_the_is_a_year_whatever_verb_follows(options):
    # "A fire in 1939 left…" counted 1939 "left", never compared with the 1940 of an outlet that wrote "En 1940,".
    found, _ = _discrepancies([Claim("A fire in 1939 left the building damaged.", {
        "Ledger": ("A fire in 1939 left the building damaged.", "A fire in 1939 left the building damaged."),
        "Faro": ("En 1940, un incendio dejó el edificio dañado.", "In 1940, a fire left the damaged building."),
    })], options)
    [discrepancy] = found
    assert discrepancy.quantity == "(calendar year)" and discrepancy.values == [1939, 1940]
    election, = passage_quantities("x", "the 2017 general election", language="en")
    assert election.counts == ("(calendar year)",)
    # A plural or a unit after it still counts: "in 1500 cases", "the 1200 km trip".
    assert [q.counts[0] for q in passage_quantities("x", "in 1500 cases, on the 1200 km trip", language="en")] == [
        "case", "km"]


@pytest.mark.parametrize("ours, theirs", [
    ("Rosa had winds of 85 mph.", "Rosa had winds of 137 km/h."),
    ("Rosa had winds of 85 miles an hour.", "Rosa had winds of 135 kilometres by hour."),
    ("Up to 10 inches of rain fell.", "Up to 250 mm of rain fell."),
    ("The wall is 5 feet high.", "The wall is 1.5 metres high."),
    ("The box weighs 3 pounds.", "The box weighs 1.4 kg."),
    ("The 550 pound hog.", "The hog of almost 250 kilos."),
    ("The tank holds 20 gallons.", "The tank holds 75 litres."),
    ("The tank holds 20 gallons.", "The tank holds 91 litres."),  # imperial gallons
    ("It carried 5 tons.", "It carried 4.5 tonnes."),  # US tons
    ("The storm was 200 miles away.", "The storm was 300 km away."),
    ("It burned 2 square miles.", "It burned 5 km² ."),
    ("It reached 80 °F.", "It reached 26 °C."),
    ("Rain fell at 2 to 3 inches per hour.", "Rain fell at 5 to 7.5 cm per hour."),
])
def test_measures_in_other_units_agree_when_their_roundings_meet(options, ours, theirs):
    # "85 mph" and "137 km/h" were never compared (different units), nor "80 °F" read as a temperature at all.
    claim = Claim(ours, {"Ledger": (ours, ours), "Times": (theirs, theirs)})
    found, _ = _discrepancies([claim], options, {"Ledger": "en", "Times": "en"})
    assert found == []
    (ours_quantity, *_), (theirs_quantity, *_) = (passage_quantities(text, text, language="en")
                                                  for text in (ours, theirs))
    assert ours_quantity.unit and theirs_quantity.unit and ours_quantity.unit != theirs_quantity.unit


@pytest.mark.parametrize("ours, theirs", [
    ("Rosa had winds of 85 mph.", "Rosa had winds of 160 km/h."),
    ("Up to 10 inches of rain fell.", "Up to 15 cm of rain fell."),
    ("Up to 10 inches of rain fell.", "Up to 25 mm of rain fell."),
    ("The 550 pound hog.", "The hog of 227 kilos."),
    ("It reached 80 °F.", "It reached 35 °C."),
])
def test_measures_in_other_units_that_differ_beyond_rounding_still_differ(options, ours, theirs):
    claim = Claim(ours, {"Ledger": (ours, ours), "Times": (theirs, theirs)})
    found, _ = _discrepancies([claim], options, {"Ledger": "en", "Times": "en"})
    [discrepancy] = found
    assert {r.outlet for r in discrepancy.readings} == {"Ledger", "Times"}


@pytest.mark.parametrize("ours, faro, courrier, differ", [
    ("Rosa had winds of 85 mph.", "Rosa tuvo vientos de 136 km/h.", "Rosa avait des vents de 138 km/h.", False),
    ("The storm was 200 miles away.", "La tormenta estaba a 322 km.", "La tempête était à 300 km.", False),
    ("The 650 pound pig.", "El cerdo de 295 kilos.", "Le cochon de 300 kg.", False),
    ("New York could reach 80 degrees.", "Nueva York podría alcanzar 26 grados.",
     "New York pourrait atteindre 27 degrés.", False),
    # 150 km/h converts no 85 mph: the outlets still differ.
    ("Rosa had winds of 85 mph.", "Rosa tuvo vientos de 136 km/h.", "Rosa avait des vents de 150 km/h.", True),
])
def test_two_conversions_of_one_figure_rounded_apart_do_not_differ(options, ours, faro, courrier, differ):
    # Translators convert the English figure each their own way (136 and 138 km/h for 85 mph, 26 and 27 °C for
    # 80 °F); compared as written, the two conversions were reported as a difference between the outlets.
    claim = Claim(ours, {"Ledger": (ours, ours), "Faro": (faro, _english(faro)),
                         "Courrier": (courrier, _english(courrier))})
    found, _ = _discrepancies([claim], options)
    assert bool(found) == differ
    # Without the figure they both convert, two outlets' 136 and 138 km/h are two different numbers.
    if not differ:
        alone = Claim(ours, {"Faro": (faro, _english(faro)), "Courrier": (courrier, _english(courrier))})
        assert _discrepancies([alone], options)[0] != []


def _english(text: str) -> str:
    """A stand-in translation that keeps the numbers and units a Romance source writes, as Apertium does."""
    words = {"vientos": "winds", "tormenta": "storm", "tempête": "storm", "cerdo": "pig", "cochon": "pig",
             "grados": "degrees", "degrés": "degrees", "vents": "winds"}
    return " ".join(words.get(word, word) for word in text.split())


@pytest.mark.parametrize("ours, theirs, differ", [
    ("The 6-foot-6 forward.", ("El delantero de 1,98 m.", "The forward of 1,98 m."), False),
    ("The 6-foot-6 forward.", ("El delantero de 1,83 m.", "The forward of 1,83 m."), True),
    ("He is 5 feet 11 inches tall.", ("Mide 1,80 m.", "It measures 1,80 m."), False),
    ("He is 6ft 2in tall.", ("Mide 1,83 m.", "It measures 1,83 m."), True),
])
def test_a_height_in_feet_and_inches_is_one_length(options, ours, theirs, differ):
    # "6-foot-6" was 6 feet, whose rounding (5.5 to 6.5 feet) took in both 1.83 m and 1.98 m.
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": theirs})], options,
                              {"Ledger": "en", "Faro": "es"})
    assert bool(found) == differ


def test_bare_degrees_agree_if_either_fahrenheit_or_celsius_reading_does(options):
    # An American "80 degrees" is the 26 degrees of a European outlet; a bare degree says neither scale.
    outlets = {"Ledger": "en", "Faro": "es", "Times": "en"}
    same = {"Ledger": ("New York could reach 80 degrees.", "New York could reach 80 degrees."),
            "Faro": ("Nueva York podría alcanzar 26 grados.", "New York could achieve 26 degrees."),
            "Times": ("New York could reach 26 °C.", "New York could reach 26 °C.")}
    assert _discrepancies([Claim("New York could reach 80 degrees.", same)], options, outlets)[0] == []
    found, _ = _discrepancies([Claim("New York could reach 80 degrees.", {
        **same, "Faro": ("Nueva York podría alcanzar 35 grados.", "New York could achieve 35 degrees.")})],
        options, outlets)
    [discrepancy] = found
    assert discrepancy.values == [26, 35, 80]


@pytest.mark.parametrize("ours, theirs, differ", [
    ("It fell to -5C overnight.", ("Bajó a -5 grados.", "It lowered to -5 degrees."), False),
    ("It fell to minus 5C overnight.", ("Bajó a 5 grados bajo cero.", "It lowered to 5 degrees under zero."), False),
    ("It fell to \u22125C overnight.", ("Bajó a 5 grados.", "It lowered to 5 degrees."), True),
    ("It fell to -5C overnight.", ("Bajó a 5 grados.", "It lowered to 5 degrees."), True),
    ("It reached 23F overnight.", ("Bajó a 5 grados.", "It lowered to 5 degrees."), True),
])
def test_temperatures_below_zero_keep_their_sign(options, ours, theirs, differ):
    # The minus was dropped and a glued "5C" was no temperature: -5C and 5 degrees agreed.
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": theirs})], options,
                              {"Ledger": "en", "Faro": "es"})
    assert bool(found) == differ


def test_a_dash_that_joins_numbers_or_names_is_no_minus():
    found = read_numbers("Rangers won 3-1, then 2 -1; the DF-61 and Covid-19.", language="en")
    assert [value for value, *_ in found] == [3, 1, 2, 1]


def test_a_change_of_temperature_converts_without_the_offset(options):
    # "10 degrees above average" is 5.5 °C above, not -12 °C; and it is no temperature to compare with "80".
    outlets = {"Ledger": "en", "Faro": "pt"}
    ours = "New York could reach 80 degrees, 10 degrees above average."
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Faro": ("Nova Iorque pode atingir os 27 graus, cerca de 5,5 graus acima da média.",
                 "New York can achieve the 27 degrees, near of 5,5 degrees above the average.")})],
        options, outlets)
    assert found == []
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Faro": ("Nueva York podría alcanzar 26 grados, unos 12 grados por encima de la media.",
                 "New York could achieve 26 degrees, some 12 degrees above the average.")})],
        options, {"Ledger": "en", "Faro": "es"})
    [discrepancy] = found
    assert discrepancy.values == [10, 12]


def test_a_change_of_temperature_named_before_the_number_converts_without_the_offset(options):
    # NTREX: Portugal's "uma diferença de quase 11 graus" converts the "20-degree temperature difference" of the
    # English (20 °F is 11 °C apart), but only a change named after the number was read as one: 11 against 20.
    outlets = {"Ledger": "en", "Faro": "pt", "Courrier": "ca"}
    ours = "There is nearly a 20-degree temperature difference between Kansas City and Omaha."
    faro = ("Há uma diferença de quase 11 graus entre Kansas City e Omaha.",
            "There is a difference of almost 11 degrees among Kansas City and Omaha.")
    courrier = ("S'han registrat diferències de temperatura de gairebé 20 graus entre Kansas City i Omaha.",
                "They have registered differences of temperature of almost 20 ranks among Kansas City and Omaha.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro, "Courrier": courrier})], options,
                              outlets)
    assert found == []
    # The Spanish "casi 7 grados" is no conversion of 20 °F apart (11 °C): still a difference.
    outlets["Faro"] = "es"
    faro = ("Habrá una diferencia de casi 7 grados entre Kansas City y Omaha.",
            "There will be a difference of almost 7 degrees among Kansas City and Omaha.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro})], options, outlets)
    assert [d.values for d in found] == [[7, 20]]
    # ...even beside the Portuguese 11: it converts the 20 as Celsius, the 7 only as Fahrenheit (6.1 °C apart).
    outlets["Courrier"] = "pt"
    courrier = ("Há uma diferença de quase 11 graus entre Kansas City e Omaha.",
                "There is a difference of almost 11 degrees among Kansas City and Omaha.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro, "Courrier": courrier})], options,
                              outlets)
    assert [d.values for d in found] == [[7, 11, 20]]


def test_measures_of_another_scale_or_money_are_not_compared_as_lengths_or_weights(options):
    found, _ = _discrepancies([Claim("The 300 m tower stands 1,300 km from Beijing.", {
        "Ledger": ("The 300 m tower stands in Beijing.", "The 300 m tower stands in Beijing."),
        "Faro": ("La torre está a 1.300 km de Pekín.", "The tower is to 1.300 km of Beijing."),
    })], options)
    assert found == []
    fine, = passage_quantities("x", "The fine was £5.", language="en")
    weight, = passage_quantities("x", "It weighed 5 pounds.", language="en")
    assert (fine.unit, weight.unit) == (None, "pound")


@pytest.mark.parametrize("text, english, language, unit", [
    # Apertium's French "degrés" comes out "terracings", its Catalan "graus" "ranks": the source says degrees.
    ("Il fera 26 degrés.", "It will do 26 terracings.", "fr", "degree"),
    ("Farà 27 graus.", "It will do 27 ranks.", "ca", "degree"),
    # Rain in litres a square metre is millimetres; Italian miles stay "miglia".
    ("Caerán 250 l/m2 de lluvia.", "They will fall 250 l/m2 of rain.", "gl", "mm"),
    ("Si trova a 385 miglia.", "It finds to 385 miglia.", "it", "mile"),
])
def test_what_apertium_makes_of_a_unit_is_read_as_the_source_meant_it(text, english, language, unit):
    quantity, = passage_quantities(text, english, language=language)
    assert quantity.unit == unit


@pytest.mark.parametrize("unit, value, name", [
    ("mile/hour", 85, "mph"), ("km/hour", 137, "km/h"), ("yard", 30, "yards"), ("yard", 1, "yard"),
    ("foot", 5, "feet"), ("inch", 1.5, "inches"), ("inch/hour", 2, "inches per hour"), ("celsius", 26, "°C"),
    ("degree change", 10, "degrees"), ("mile²", 2, "square miles"), ("metre²", 40, "m²"), ("lb", 550, "lb"),
    ("ET", 12.55, "ET"), ("Beijing time", 6.55, "Beijing time"), ("UTC+5:30", 10.3, "UTC+5:30"),  # a time's zone
])
def test_units_are_named_as_english_news_write_them(unit, value, name):
    assert unit_name(unit, value) == name


def test_a_number_is_written_as_the_original_has_it_or_not_at_all():
    # The Spanish "2800 billones" was given as written "2800 trillion": the English scale word, as if written.
    scaled, = passage_quantities("Una deuda de 2800 billones de pesos.", "A debt of 2800 trillion pesos.",
                                 language="es")
    assert (scaled.value, scaled.written) == (2.8e15, "2800 billones")
    # Where the original's figure differs (Chinese 28亿 for "2.8 billion") or its words are not found, nothing.
    assert passage_quantities("债务为28亿元。", "The debt is 2.8 billion yuan.", language="zh")[0].written == ""
    assert passage_quantities("Entre 10 y 12 personas.", "Between 10 and 12 people.", language="es")[0].written == ""
    english, = passage_quantities("A debt of $3bn.", "A debt of $3bn.", language="en")
    assert english.written == "3bn"


def test_apertiums_books_for_french_pounds_are_pounds(options):
    # Apertium's Spanish takes the French "livres" for books: "2,8 milliards de livres" came out "2,8 millardos of
    # books", never compared with the £2.8 billion of another outlet, so the French outlet was left out.
    outlets = {"Ledger": "en", "Courrier": "fr", "Matin": "fr", "Faro": "es"}
    found, _ = _discrepancies([Claim("The club was sold for £2.8 billion.", {
        "Ledger": ("The club was sold for £2.8 billion.", "The club was sold for £2.8 billion."),
        "Courrier": ("Le club a été vendu pour 2,8 milliards de livres.",
                     "The club has been sold for 2,8 millardos of books."),
        "Matin": ("Le club a été vendu pour 2,8 milliards de livres sterling.",
                  "The club has been sold for 2,8 millardos of books sterling."),
        "Faro": ("El club fue vendido por 3.000 millones de libras.", "The club was sold by 3.000 million pounds."),
    })], options, outlets)
    [discrepancy] = found
    assert {(r.outlet, r.value) for r in discrepancy.readings} == {
        ("Ledger", 2.8e9), ("Courrier", 2.8e9), ("Matin", 2.8e9), ("Faro", 3e9)}
    books, = passage_quantities("Il a écrit 500 livres.", "He wrote 500 books.", language="fr")
    assert books.counts == ("book",)


def test_sums_in_one_currency_are_one_quantity_only_when_what_they_are_of_agrees(options):
    # "£11million deal" and "£1.5 million bonus" shared "pound", the currency, and were compared as one quantity.
    deal = ("He joined in a £11million deal.", "He joined in a £11million deal.")
    found, _ = _discrepancies([Claim("He joined in a £11million deal.", {
        "Ledger": deal, "Times": ("He gets a £1.5 million bonus.", "He gets a £1.5 million bonus.")})],
        options, {"Ledger": "en", "Times": "en"})
    assert found == []
    found, _ = _discrepancies([Claim("He joined in a £11million deal.", {
        "Ledger": deal, "Times": ("He joined in a £12m transfer deal.", "He joined in a £12m transfer deal."),
        "Faro": ("Fichó por 13 millones de libras.", "He signed for 13 million pounds.")})],
        options, {"Ledger": "en", "Times": "en", "Faro": "es"})
    [discrepancy] = found
    assert {(r.outlet, r.value) for r in discrepancy.readings} == {
        ("Ledger", 11e6), ("Times", 12e6), ("Faro", 13e6)}


def test_a_bare_sum_does_not_join_sums_of_different_things(options):
    # A bare "£1.5 million" joined the deal and the bonus into one quantity: the £12m deal agreed with the £11m one
    # through the bonus both outlets give.
    outlets = {"Ledger": "en", "Times": "en"}
    ours = "He joined in a £11million deal and gets a £1.5 million bonus."
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Times": ("He joined in a £12m deal. He gets £1.5 million.", "He joined in a £12m deal. He gets £1.5 million.")
    })], options, outlets)
    [discrepancy] = found
    assert {(r.outlet, r.value) for r in discrepancy.readings} == {("Ledger", 11e6), ("Times", 12e6)}
    # A bare sum that agrees with neither is no alarm: which of the two it tells is unknown.
    found, _ = _discrepancies([Claim(ours, {
        "Ledger": (ours, ours),
        "Times": ("He joined in a £11m deal. He gets £2 million.", "He joined in a £11m deal. He gets £2 million.")
    })], options, outlets)
    assert found == []


def test_a_number_counts_nothing_past_a_word_that_opens_a_phrase_of_its_own(options):
    # NTREX's Italian "è 18-7 con un ERA di 2.53" came out "is 18-7 with an ERA of 2.53": the 7 read as 7 ERA,
    # flagged against the English "2.53 ERA".
    outlets = {"Ledger": "en", "Gazzetta": "it"}
    ours = "The Washington right-hander is 18-7 with a 2.53 ERA and 300 strikeouts this season."
    gazzetta = ("Il lanciatore di Washington è 18-7 con un ERA di 2.53 ERA e 300 strikeout per questa stagione.",
                "The launcher of Washington is 18-7 with an ERA of 2.53 WAS and 300 strikeout for this season.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Gazzetta": gazzetta})], options, outlets)
    assert found == []
    # What a number counts still comes before such a word: 300 against 250 strikeouts differ.
    gazzetta = ("Il lanciatore è 18-7 con 250 strikeout con un ERA di 2.53.",
                "The launcher is 18-7 with 250 strikeout with an ERA of 2.53.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Gazzetta": gazzetta})], options, outlets)
    assert [d.values for d in found] == [[250, 300]]


def test_a_count_before_a_passive_verb_counts_its_participle(options):
    # "150 were rescued" against "160 were rescued": the commonest shape of a toll, a difference to show.
    outlets = {"Ledger": "en", "Faro": "es"}
    ours = "Nineteen people died and 150 were rescued."
    faro = ("Murieron 19 personas y 160 fueron rescatadas.", "19 people died and 160 were rescued.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro})], options, outlets)
    assert [d.values for d in found] == [[150, 160]]


def test_a_share_of_a_counted_whole_counts_what_the_whole_does(options):
    # NTREX: "he has now lost 19 of his 29 matches" gave the 19 nothing to count, so the Portuguese "perdeu 19 das
    # partidas" (Apertium's "lost 19 of the parties", without the 29) was flagged against the others' 29 parties.
    share, whole = passage_quantities("ha perdido 19 de sus 29 partidos", "has lost 19 of his 29 parties",
                                      language="es")
    assert [(share.value, share.counts), (whole.value, whole.counts)] == [(19, ("party",)), (29, ("party",))]
    outlets = {"Ledger": "en", "Faro": "es", "Jornal": "pt"}
    ours = "He has now lost 19 of his 29 matches in fourballs."
    faro = ("Ha perdido 19 de sus 29 partidos de fourballs.", "Has lost 19 of his 29 parties of fourballs.")
    jornal = ("Já perdeu 19 das partidas em fourballs.", "Already lost 19 of the parties in fourballs.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Faro": faro, "Jornal": jornal})], options,
                              outlets)
    assert found == []
    # A share of another size is still flagged.
    jornal = ("Já perdeu 17 das partidas em fourballs.", "Already lost 17 of the parties in fourballs.")
    found, _ = _discrepancies([Claim(ours, {"Faro": faro, "Jornal": jornal})], options, outlets)
    assert [d.values for d in found] == [[17, 19, 29]]
    # Romance ages and dates are no shares: "two of 18 years" are two aged 18, "247 of 30 September" no Septembers.
    ages = passage_quantities("dos de 18 años", "two of 18 years", language="es")
    assert [(q.value, q.counts) for q in ages] == [(18, ("year",))]
    date = passage_quantities("247 del 30 de septiembre", "247 of the 30 of September", language="es")
    assert [(q.value, q.counts) for q in date] == [(30, ("september",))]


def test_apertiums_eight_of_each_12_points_is_a_share(options):
    # NTREX's French "huit points sur 12" came out "eight of each 12 points": the eight counted "each", and the
    # French 12 points were flagged against the English eight points.
    outlets = {"Ledger": "en", "Courrier": "fr"}
    ours = "Jim Furyk's side need eight points from Sunday's 12 singles matches to retain the trophy."
    courrier = ("Les hommes de Jim Furyk doivent décrocher huit points sur 12 dimanche.",
                "The men of Jim Furyk have to décrocher eight of each 12 points Sunday.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Courrier": courrier})], options, outlets)
    assert found == []


def test_a_whole_number_and_a_fraction_are_one_number(options):
    # NTREX: "220 2/3 innings" read as 3 innings, and Apertium's "220 2/3 entrances" as 3 entrances.
    innings, = passage_quantities("in 220 2/3 innings", "in 220 2/3 innings", language="en")
    assert (round(innings.value, 3), innings.written, innings.counts) == (220.667, "220 2/3", ("inning",))
    outlets = {"Ledger": "en", "Jornal": "pt", "Xornal": "gl"}
    ours = "He has 300 strikeouts in 220 2/3 innings this season."
    found, _ = _discrepancies([Claim(ours, {
        "Jornal": ("Tem 300 strikeouts em 220 2/3 entradas.", "Has 300 strikeouts in 220 2/3 entrances."),
        "Xornal": ("Ten 300 strikeouts en 220 entradas.", "Has 300 strikeouts in 220 entrances.")})],
        options, outlets)
    assert [[round(value, 3) for value in d.values] for d in found] == [[220, 220.667]]


@pytest.mark.parametrize("text, text_en, language, low, value", [
    ("S'esperen de 50 a 100 mm de pluja.", "They expect of 50 at 100 mm of rain.", "ca", 50, 100),
    ("Se esperan entre 5 y 10 centímetros de lluvia.", "They expect among 5 and 10 centimetres of rain.", "es", 5, 10),
    ("dai 2 ai 10 cm di pioggia", "of the 2 to the 10 cm of rain", "it", 2, 10),
])
def test_apertiums_romance_ranges_are_ranges(text, text_en, language, low, value):
    quantity, = passage_quantities(text, text_en, language=language)
    assert (quantity.low, quantity.value) == (low, value)


def test_apertiums_catalan_range_agrees_with_the_english_inches_it_converts(options):
    # NTREX's Catalan "de 50 a 100 mm" read as 100 mm alone: a range of 2 to 4 inches is 51 to 102 mm; 150 to
    # 200 mm is another range.
    outlets = {"Ledger": "en", "Diari": "ca"}
    ours = "As much as 2 to 4 inches of rain is expected in parts of the Southwest."
    diari = ("S'esperen de 50 a 100 mm de pluja a parts del sud-oest.",
             "They expect of 50 at 100 mm of rain at south parts-west.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Diari": diari})], options, outlets)
    assert found == []
    diari = ("S'esperen de 150 a 200 mm de pluja a parts del sud-oest.",
             "They expect of 150 at 200 mm of rain at south parts-west.")
    found, _ = _discrepancies([Claim(ours, {"Ledger": (ours, ours), "Diari": diari})], options, outlets)
    assert [[(r.low, r.value) for r in d.readings] for d in found] == [[(150, 200), (2, 4)]]
    # "4 at 1" alone is still a Catalan score.
    score, = passage_quantities("Va guanyar per 4 a 1.", "It won by 4 at 1.", language="ca")
    assert (score.low, score.value, score.counts) == (1, 4, ("(score)",))


@pytest.mark.parametrize("text_en", [
    "The goal of Livingston to the 34è minute.", "The goal has arrived to the 29º minute.",
    "Against the sellers of the 125ª street.",
])
def test_apertiums_romance_ordinals_are_not_counts(text_en):
    assert passage_quantities(text_en, text_en, language="it") == []


def test_a_degree_sign_after_a_number_is_still_a_degree():
    twist, = passage_quantities("Va fer un gir de 180º i va prendre posicions.",
                                "It made a twist of 180º and took positions.", language="ca")
    assert (twist.value, twist.unit) == (180, "degree")
    heat, = passage_quantities("Arribarà als 26º.", "It will reach the 26º.", language="ca")
    assert heat.unit == "degree"


def test_a_number_a_translation_gives_in_words_has_no_written_form():
    # A French "six" was noted as written "six" (the English word spelt as the French one), a Spanish "tenían"
    # gave "ten" as written, while the Spanish "cinco" got no note: the original's words are not read, so none do.
    assert [q.written for q in passage_quantities("Six personnes sont mortes.", "Six people died.",
                                                  language="fr")] == [""]
    assert [q.written for q in passage_quantities("Murieron cinco personas.", "Five people died.",
                                                  language="es")] == [""]
    assert [q.written for q in passage_quantities("Tenían diez hijos.", "They had ten children.",
                                                  language="es")] == [""]
    assert [q.written for q in passage_quantities("Six people died.", "Six people died.", language="en")] == ["Six"]
