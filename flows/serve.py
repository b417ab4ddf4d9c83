"""Serving: one Prefect deployment per event whose event.toml has a [schedule] table, each run a monitor run.

    [schedule]
    interval = 3600        # seconds; or cron = "0 */6 * * *"
    timezone = "UTC"       # IANA name; cron times are read in it

A deployment runs one event at a time: a scheduled run that comes while the previous one still runs is cancelled
rather than queued, so a slow collection cannot pile up runs.

Intervals count from a fixed anchor, midnight of 1 January 2020 in the schedule's time zone, not from when serve
started (Prefect's default): a restart of serve, weekly for months, would otherwise shift every event's times,
and an hourly interval runs on the hour, a daily one at midnight.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from prefect._vendor.croniter import CroniterBadDateError, croniter
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron, Interval, Schedule
from prefect.types.entrypoint import EntrypointType

from comparators.corpus import EVENT_FILE
from comparators.errors import NoScheduledEvents, ParallaxError, ScheduleFormatError
from comparators.options import Options

from .monitor import monitor_event

SCHEDULE_KEYS = {"interval", "cron", "timezone"}
INTERVAL_ANCHOR = datetime(2020, 1, 1)  # in the schedule's time zone
ONE_RUN_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)
# Deployments read per request: the server gives at most PREFECT_API_DEFAULT_LIMIT (200) at once, and a pool
# shared by corpora folders whose events accumulate over months holds more than that.
DEPLOYMENTS_PAGE = 100
# Prefect picks the async variant of to_deployment and apply when it believes it runs in an event loop or an
# async run context (it did within the whole test suite); this code is synchronous throughout.
SYNC = True


@dataclass(frozen=True)
class ScheduledEvent:
    folder: Path
    schedule: Schedule

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def deployment_name(self) -> str:
        """The folder's name and a hash of its path: unique on a Prefect server that serves two corpora folders
        holding an event folder of the same name, and the same at every rerun of serve for that folder."""
        return f"{self.name}-{hashlib.sha256(str(self.folder).encode()).hexdigest()[:8]}"


def scheduled_events(corpora: Path, *, min_interval: float, required: bool = True) -> list[ScheduledEvent]:
    """Every event folder directly under `corpora` whose event.toml has a [schedule], by folder name; an interval
    below `min_interval` seconds is refused, and so is finding none unless not `required`."""
    if not corpora.is_dir():
        raise NoScheduledEvents(f"corpora folder {corpora} does not exist")
    events = []
    for event_file in sorted(corpora.glob(f"*/{EVENT_FILE}")):
        try:
            text = event_file.read_text(encoding="utf-8")
            settings = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ScheduleFormatError(event_file, getattr(error, "lineno", None), f"not valid TOML: {error}",
                                      hint="fix the TOML syntax") from None
        if "schedule" in settings:
            events.append(ScheduledEvent(event_file.parent.resolve(),
                                         parse_schedule(settings["schedule"], event_file, text=text,
                                                                        min_interval=min_interval)))
    if not events and required:
        raise NoScheduledEvents(f"no event under {corpora} has a [schedule] table in its {EVENT_FILE}")
    return events


def parse_schedule(table, event_file: Path, *, text: str = "", min_interval: float) -> Schedule:
    """The Prefect schedule for a [schedule] table; ScheduleFormatError naming `event_file`, and the line in its
    `text` of the key at fault, when it is wrong: also for an interval below `min_interval` seconds, and for a
    cron that never fires (31 February)."""
    def bad(message: str, key: str | None = None) -> ScheduleFormatError:
        return ScheduleFormatError(event_file, schedule_line(text, key), f"[schedule] {message}")

    if not isinstance(table, dict):
        raise bad("must be a table")
    unknown = sorted(set(table) - SCHEDULE_KEYS)
    if unknown:
        raise bad(f"unknown key(s) {', '.join(unknown)}; use interval or cron, and timezone", unknown[0])
    timezone = table.get("timezone", "UTC")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise bad(f"timezone {timezone!r} is not an IANA time zone such as \"UTC\" or \"Europe/Madrid\"",
                  "timezone") from None
    if ("interval" in table) == ("cron" in table):
        raise bad("needs exactly one of interval (seconds) or cron", "interval" if "interval" in table else None)
    if "interval" in table:
        interval = table["interval"]
        try:  # TOML's inf and nan are floats too, and a huge number is no length of time
            if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not interval > 0:
                raise ValueError
            every = timedelta(seconds=interval)
        except (ValueError, OverflowError):
            raise bad(f"interval must be a positive number of seconds, not {interval!r}", "interval") from None
        if interval < min_interval:
            raise bad(f"interval {interval:g} s is below the {min_interval:g} s floor ([serve] min_interval): a run "
                      "takes longer than that, so most runs would be cancelled for overlapping the one before",
                      "interval")
        return Interval(every, anchor_date=INTERVAL_ANCHOR.replace(tzinfo=zoneinfo.ZoneInfo(timezone)),
                        timezone=timezone)
    cron = table["cron"]
    if not isinstance(cron, str):
        raise bad(f"cron must be a string such as \"0 */6 * * *\", not {cron!r}", "cron")
    try:
        schedule = Cron(cron, timezone=timezone)
    except ValueError:
        raise bad(f"cron {cron!r} is not a cron expression (minute hour day month weekday)", "cron") from None
    try:  # the library Prefect's scheduler computes cron dates with: a date it cannot find is never scheduled
        croniter(cron, datetime.now(zoneinfo.ZoneInfo(timezone))).get_next(datetime)
    except CroniterBadDateError:
        raise bad(f"cron {cron!r} never fires: no date matches its day and month fields", "cron") from None
    return schedule


def schedule_line(text: str, key: str | None) -> int | None:
    """The line of `key` in the [schedule] table of an event.toml's `text`, else of the table's header (or of
    `schedule = …`); None when neither is found."""
    lines = text.splitlines()
    header = next((number for number, line in enumerate(lines, 1)
                   if re.match(r"\s*(\[\s*schedule\s*\]|schedule\s*=)", line)), None)
    if header is None or key is None:
        return header
    for number, line in enumerate(lines[header:], header + 1):
        if re.match(r"\s*\[", line):  # the next table
            break
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return header


def build_deployments(events: list[ScheduledEvent], reports: Path, settings: Options, *,
                      work_pool: str | None = None) -> list:
    """A deployment of the monitor flow per event (ScheduledEvent.deployment_name). For a work pool, the flow is
    found by its module path, so any worker with Parallax installed can run it."""
    return [
        monitor_event.to_deployment(
            name=event.deployment_name, schedules=[event.schedule], concurrency_limit=ONE_RUN_AT_A_TIME,
            parameters={"event_dir": str(event.folder), "reports_dir": str(reports.resolve()),
                        "options": settings.as_dict()},
            description=f"Parallax monitor of {event.folder}", tags=["parallax"], work_pool_name=work_pool,
            entrypoint_type=EntrypointType.MODULE_PATH, _sync=SYNC)
        for event in events
    ]


def serve_events(events: list[ScheduledEvent], reports: Path, settings: Options) -> None:
    """Serve the events' deployments from this process until it is stopped."""
    from prefect import serve

    serve(*build_deployments(events, reports, settings), print_starting_message=False)


class WorkPoolNotFound(ParallaxError):
    """--work-pool names a pool the Prefect server does not have."""


def register_on_work_pool(corpora: Path, events: list[ScheduledEvent], reports: Path, settings: Options,
                          work_pool: str) -> list[str]:
    """Create or update the deployments of `corpora`'s scheduled `events` on `work_pool`, for `prefect worker start
    --pool` to run, and retire the pool's others of that folder (retire_deployments), all of them when `events` is
    empty. Returns the names of those."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
        except ObjectNotFound:  # else Prefect's traceback, at the first deployment
            raise WorkPoolNotFound(f"the Prefect server has no work pool {work_pool!r}",
                                   hint=f"create it with `prefect work-pool create {work_pool} --type process`, "
                                        "or name an existing one") from None
    for deployment in build_deployments(events, reports, settings, work_pool=work_pool):
        deployment.apply(work_pool_name=work_pool, _sync=SYNC)
    return retire_deployments(corpora, events, work_pool)


def retire_deployments(corpora: Path, events: list[ScheduledEvent], work_pool: str | None) -> list[str]:
    """Delete the deployments on `work_pool` (None: those a `parallax serve` process serves) of events of the
    `corpora` folder that are not among `events`: their [schedule] or their folder is gone, or they carry
    a name of an earlier version of Parallax. Workers would go on running them; a served one left active (serve
    killed, not stopped) would gather a late run at every tick, for months. Returns the names deleted."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterTags, FlowFilter, FlowFilterName
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName
    from prefect.client.schemas.sorting import DeploymentSort

    corpora, served = corpora.resolve(), {str(event.folder): event.deployment_name for event in events}
    with get_client(sync_client=True) as client:
        found, page = [], None
        while page is None or len(page) == DEPLOYMENTS_PAGE:  # the server answers one page at most
            page = client.read_deployments(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[monitor_event.name])),
                deployment_filter=DeploymentFilter(tags=DeploymentFilterTags(all_=["parallax"])),
                work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[work_pool])) if work_pool else None,
                sort=DeploymentSort.NAME_ASC, limit=DEPLOYMENTS_PAGE, offset=len(found))
            found.extend(page)
        retired = [deployment for deployment in found
                   if deployment.work_pool_name == work_pool
                   and Path(deployment.parameters.get("event_dir", "/")).parent == corpora
                   and served.get(deployment.parameters["event_dir"]) != deployment.name]
        for deployment in retired:
            client.delete_deployment(deployment.id)
    return sorted(deployment.name for deployment in retired)
