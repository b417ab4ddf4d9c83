"""[schedule] tables in event.toml: what `parallax serve` accepts, and errors that name the file."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from comparators.errors import NoScheduledEvents, OptionsError, ScheduleFormatError
from flows.cli import main
from flows.monitor import build_task_runner
from flows.serve import scheduled_events


def event(corpora, name: str, schedule: str | None, extra: str = ""):
    folder = corpora / name
    folder.mkdir(parents=True)
    text = f'title = "{name}"\n{extra}' + (f"\n[schedule]\n{schedule}\n" if schedule is not None else "")
    (folder / "event.toml").write_text(text, encoding="utf-8")
    return folder


def test_only_events_with_a_schedule_are_served(tmp_path):
    event(tmp_path, "hourly", "interval = 3600")
    event(tmp_path, "six-hourly", 'cron = "0 */6 * * *"\ntimezone = "Europe/Madrid"')
    event(tmp_path, "by-hand", None)

    events = {found.name: found for found in scheduled_events(tmp_path, min_interval=60)}

    assert sorted(events) == ["hourly", "six-hourly"]
    assert events["hourly"].schedule.interval == timedelta(hours=1)
    assert events["hourly"].schedule.timezone == "UTC"
    assert events["six-hourly"].schedule.cron == "0 */6 * * *"
    assert events["six-hourly"].schedule.timezone == "Europe/Madrid"
    assert events["hourly"].folder == (tmp_path / "hourly").resolve()


def test_intervals_count_from_a_fixed_anchor_so_a_restart_keeps_the_times(tmp_path):
    event(tmp_path, "hourly", "interval = 3600")
    event(tmp_path, "daily", 'interval = 86400\ntimezone = "Europe/Madrid"')

    first = {found.name: found.schedule for found in scheduled_events(tmp_path, min_interval=60)}
    restarted = {found.name: found.schedule for found in scheduled_events(tmp_path, min_interval=60)}

    assert first["hourly"].anchor_date == datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert first["daily"].anchor_date == datetime(2020, 1, 1, tzinfo=ZoneInfo("Europe/Madrid")), "local midnight"
    assert [schedule.anchor_date for schedule in first.values()] == [
        schedule.anchor_date for schedule in restarted.values()]


def test_the_interval_floor_is_an_option_and_a_rare_cron_is_not_refused(tmp_path):
    event(tmp_path, "quick", "interval = 5")
    event(tmp_path, "leap-day", 'cron = "0 0 29 2 *"')  # every four years

    events = {found.name: found.schedule for found in scheduled_events(tmp_path, min_interval=1)}

    assert events["quick"].interval == timedelta(seconds=5) and events["leap-day"].cron == "0 0 29 2 *"


@pytest.mark.parametrize("schedule, says, line", [  # the event file's line 3 is [schedule]
    ("interval = 0", "interval must be a positive number of seconds", 4),
    ('interval = "hourly"', "interval must be a positive number of seconds", 4),
    ("interval = true", "interval must be a positive number of seconds", 4),
    ('timezone = "UTC"\ninterval = inf', "interval must be a positive number of seconds, not inf", 5),
    ("interval = nan", "interval must be a positive number of seconds, not nan", 4),
    ("interval = 1e300", "interval must be a positive number of seconds", 4),
    ("interval = 0.1", "interval 0.1 s is below the 60 s floor ([serve] min_interval): a run takes longer", 4),
    ('timezone = "UTC"\ninterval = 59', "interval 59 s is below the 60 s floor", 5),
    ('cron = "0 0 31 2 *"', "cron '0 0 31 2 *' never fires", 4),
    ('timezone = "Europe/Madrid"\ncron = "0 12 30 2 *"', "cron '0 12 30 2 *' never fires", 5),
    ('interval = 60\ncron = "* * * * *"', "exactly one of interval", 4),
    ('timezone = "UTC"', "exactly one of interval", 3),
    ('timezone = "UTC"\ncron = "61 * * * *"', "is not a cron expression", 5),
    ("cron = 5", "cron must be a string", 4),
    ('interval = 60\ntimezone = "Mars/Olympus"', "is not an IANA time zone", 5),
    ("interval = 60\nevery = 5", "unknown key(s) every", 5),
])
def test_a_bad_schedule_names_the_event_file_and_line(tmp_path, schedule, says, line):
    folder = event(tmp_path, "broken", schedule)
    with pytest.raises(ScheduleFormatError) as raised:
        scheduled_events(tmp_path, min_interval=60)
    assert str(raised.value).startswith(f"{folder / 'event.toml'}:{line}: ")
    assert says in str(raised.value)


def test_a_schedule_that_is_not_a_table_and_broken_toml_name_the_file(tmp_path):
    event(tmp_path, "flat", None, extra="schedule = 3600\n")
    with pytest.raises(ScheduleFormatError, match="flat/event.toml:2: .*must be a table"):
        scheduled_events(tmp_path, min_interval=60)
    (tmp_path / "flat" / "event.toml").write_text('title = "x"\n[schedule\n')
    with pytest.raises(ScheduleFormatError, match=r"flat/event.toml: not valid TOML.*line 2"):
        scheduled_events(tmp_path, min_interval=60)


def test_serve_says_in_one_line_when_there_is_nothing_to_serve(tmp_path, capsys):
    event(tmp_path, "by-hand", None)
    assert main(["serve", "--corpora", str(tmp_path), "--once"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "has a [schedule] table" in error and "Traceback" not in error
    with pytest.raises(NoScheduledEvents, match="does not exist"):
        scheduled_events(tmp_path / "missing", min_interval=60)


def test_the_task_runner_is_threads_or_dask(options):
    assert type(build_task_runner(options)).__name__ == "ThreadPoolTaskRunner"
    dask = build_task_runner(options.with_overrides({"serve": {"task_runner": "dask",
                                                               "dask_address": "tcp://127.0.0.1:8786"}}))
    assert type(dask).__name__ == "DaskTaskRunner" and dask.address == "tcp://127.0.0.1:8786"
    with pytest.raises(OptionsError, match="task_runner must be one of threads, dask, not 'processes'"):
        build_task_runner(options.with_overrides({"serve": {"task_runner": "processes"}}))


def test_languages_translated_apart_merge_back_in_passage_order():
    import polars as pl

    from comparators.translate import TranslationSummary
    from flows.compare import merge_translations

    passages = pl.DataFrame({"passage_id": ["p1", "p2", "p1", "p3"], "language": ["en", "es", "en", "es"],
                             "text": ["Hello.", "Hola.", "Hello.", "Adiós."]})  # an article given twice
    parts = []
    for (language,), group in passages.group_by("language"):  # in any order, as parallel tasks finish
        english = {"Hello.": "Hello.", "Hola.": "Hello.", "Adiós.": "Goodbye."}
        parts.append((group.with_columns(text_en=pl.col("text").replace_strict(english), engine=pl.lit("e"),
                                         model=pl.lit(language)),
                      TranslationSummary(passages={language: group.height}, cache_hits=1, notes=[language])))

    merged, summary = merge_translations(passages, parts)

    assert merged["passage_id"].to_list() == ["p1", "p2", "p1", "p3"]
    assert merged["text_en"].to_list() == ["Hello.", "Hello.", "Hello.", "Goodbye."]
    assert summary.passages == {"en": 2, "es": 2} and summary.cache_hits == 2
    assert sorted(summary.notes) == ["en", "es"]


def test_deployment_names_tell_apart_two_event_folders_of_one_name_and_hold_across_reruns(tmp_path):
    event(tmp_path / "a" / "corpora", "parade", "interval = 3600")
    event(tmp_path / "b" / "corpora", "parade", "interval = 3600")

    first, second = (scheduled_events(tmp_path / side / "corpora", min_interval=60)[0] for side in ("a", "b"))

    assert first.deployment_name != second.deployment_name
    assert first.deployment_name.startswith("parade-") and second.deployment_name.startswith("parade-")
    assert scheduled_events(tmp_path / "a" / "corpora", min_interval=60)[0].deployment_name == first.deployment_name


def test_serve_refuses_in_one_line_a_reports_folder_of_another_event_folder_of_that_name(tmp_path, capsys):
    from comparators.errors import ReportsFolderTaken
    from comparators.history import claim_event_reports

    ours = event(tmp_path / "a" / "corpora", "parade", "interval = 3600").resolve()
    theirs = event(tmp_path / "b" / "corpora", "parade", "interval = 3600").resolve()
    reports = tmp_path / "reports"
    claim_event_reports(reports / "parade", ours)  # as serving a/corpora did
    claim_event_reports(reports / "parade", ours)  # and does again at its next start

    assert main(["serve", "--corpora", str(tmp_path / "b" / "corpora"), "--reports", str(reports), "--once"]) == 1

    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error, error
    assert f"holds the runs of the event folder {ours}, not of {theirs}" in error
    assert "rename one of the two event folders, or give it its own --reports" in error
    with pytest.raises(ReportsFolderTaken):
        claim_event_reports(reports / "parade", theirs)
    assert sorted(path.name for path in (reports / "parade").iterdir()) == [".event-folder"], "no temporary left"
