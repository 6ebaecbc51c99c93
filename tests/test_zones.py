"""The machine's time zone: one source for edition times and the daemon's slots.

The zone is set the way a machine sets it for a process, through ``TZ``
(a name, ``:name``, a zone file, or a copied zone file that no name points
at), and the C library is told with ``time.tzset``.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefer.schedule import Daemon, Schedule
from briefer.settings import Settings

from .clirun import run_briefer
from .helpers import SEEDS, make_settings

ZONE = "America/Argentina/Buenos_Aires"  # UTC-3 all year, a three-part name
OFFSET = timedelta(hours=-3)


def zone_file(name: str) -> Path:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path
    pytest.skip(f"no zone file for {name} on this machine")


@pytest.fixture
def machine_tz() -> Iterator[Callable[[str], None]]:
    """Set the machine's zone for this process (``TZ``), restored afterwards."""
    before = os.environ.get("TZ")

    def set_tz(value: str) -> None:
        os.environ["TZ"] = value
        time.tzset()

    yield set_tz
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def tz_values(tmp_path: Path) -> dict[str, str]:
    source = zone_file(ZONE)
    copied = tmp_path / "etc" / "localtime"
    copied.parent.mkdir()
    shutil.copyfile(source, copied)  # a copy, not a link: no zone name to read off its path
    return {
        "name": ZONE,
        "colon name": f":{ZONE}",
        "zone file": str(source),
        "copied file": str(copied),
        "colon copied file": f":{copied}",
    }


def machine_settings(tmp_path: Path, **overrides) -> Settings:
    values = {"timezone": None, "as_of": None, "schedule": {"cron": "0 7 * * *"}}
    values.update(overrides)
    return make_settings(tmp_path, **values)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize(
    "form", ["name", "colon name", "zone file", "copied file", "colon copied file"]
)
def test_slots_and_editions_use_the_machines_zone(tmp_path: Path, machine_tz, form) -> None:
    machine_tz(tz_values(tmp_path)[form])
    # What the C library (and so the rest of the machine) takes as local time.
    assert datetime.now().astimezone().utcoffset() == OFFSET
    settings = machine_settings(tmp_path)
    assert settings.edition_time().utcoffset() == OFFSET
    schedule = Schedule(settings)
    morning = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)  # 06:00 in Buenos Aires
    slot = schedule.next_after(morning)
    assert slot == datetime(2026, 1, 2, 10, 0, tzinfo=UTC)
    assert slot.astimezone(schedule.zone).hour == 7
    # The daemon's edition for the 07:00 slot is dated 07:00.
    daemon = Daemon(settings, clock=Clock(datetime(2026, 1, 2, 10, 30, tzinfo=UTC)))
    result = daemon.run_slot()
    assert result is not None and result.ok, result
    assert result.slot == slot
    assert result.edition == "briefing-2026-01-02-0700"


def test_check_shows_the_schedule_in_the_machines_zone(tmp_path: Path) -> None:
    copied = tz_values(tmp_path)["colon copied file"]
    config = tmp_path / "briefer.toml"
    config.write_text(f'seeds_dir = "{SEEDS}"\n[schedule]\ncron = "0 7 * * *"\n', encoding="utf-8")
    done = run_briefer("check", "--config", str(config), cwd=tmp_path, env={"TZ": copied})
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("OK: schedule")]
    assert line.startswith("OK: schedule cron '0 7 * * *' in the machine's zone, next run ")
    assert line.endswith(" 07:00 -03")


def test_the_schedule_follows_the_edition_zone_setting(tmp_path: Path, machine_tz) -> None:
    machine_tz(ZONE)
    settings = machine_settings(tmp_path, timezone="Asia/Tokyo")
    clock = Clock(datetime(2026, 1, 2, 7, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")))
    result = Daemon(settings, clock=clock).run_slot()
    assert result is not None and result.ok
    assert result.edition == "briefing-2026-01-02-0700"
    assert result.slot == datetime(2026, 1, 1, 22, 0, tzinfo=UTC)


def test_editions_of_a_zoned_schedule_are_dated_in_its_zone(tmp_path: Path, machine_tz) -> None:
    machine_tz(ZONE)
    london = zoneinfo.ZoneInfo("Europe/London")
    london_schedule = {"cron": "0 7 * * *", "timezone": "Europe/London"}
    settings = machine_settings(tmp_path, schedule=london_schedule)
    clock = Clock(datetime(2026, 7, 2, 7, 30, tzinfo=london))  # summer: BST, UTC+1
    result = Daemon(settings, clock=clock).run_slot()
    assert result is not None and result.ok
    assert result.edition == "briefing-2026-07-02-0700"
    # Set explicitly, `timezone` still dates the editions.
    other = machine_settings(tmp_path / "utc", timezone="UTC", schedule=london_schedule)
    result = Daemon(other, clock=clock).run_slot()
    assert result is not None and result.ok
    assert result.edition == "briefing-2026-07-02-0600"


def test_a_zone_only_the_c_library_reads_keeps_its_offset(
    tmp_path: Path, machine_tz, caplog: pytest.LogCaptureFixture
) -> None:
    machine_tz("XST+5")  # POSIX form: 5 hours behind UTC, no IANA name
    assert datetime.now().astimezone().utcoffset() == timedelta(hours=-5)
    with caplog.at_level(logging.WARNING, logger="briefer"):
        settings = machine_settings(tmp_path)
        assert settings.edition_time().utcoffset() == timedelta(hours=-5)
        daemon = Daemon(settings, clock=Clock(datetime(2026, 1, 2, 12, 30, tzinfo=UTC)))
        result = daemon.run_slot()
    assert result is not None and result.ok
    assert result.edition == "briefing-2026-01-02-0700"
    warned = [r.getMessage() for r in caplog.records if "XST+5" in r.getMessage()]
    assert warned == [
        "the machine's time zone TZ='XST+5' is not an IANA zone name: using its offset "
        "now, UTC-05:00, without daylight-saving changes; set timezone in the settings "
        "file (an IANA name such as Europe/London)"
    ]


# -- /etc/localtime itself, in a mount namespace of its own -------------------

# Runs "$@" with /etc showing the real /etc's entries but localtime (as set
# up by $LOCALTIME) and timezone: a private mount namespace, so the machine's
# own /etc is never touched.
_ETC = r"""
set -e
real="$WORK/real-etc"
mkdir -p "$real"
mount --bind /etc "$real"
mount -t tmpfs tmpfs /etc
for entry in "$real"/* "$real"/.[!.]*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case "${entry##*/}" in localtime|timezone) ;; *) ln -s "$entry" "/etc/${entry##*/}" ;; esac
done
eval "$LOCALTIME"
exec "$@"
"""

_RUN_SLOT = """
import sys
from datetime import UTC, datetime
from briefer.schedule import Daemon
from briefer.settings import load_settings
settings = load_settings(sys.argv[1])
daemon = Daemon(settings, clock=lambda: datetime(2026, 1, 2, 10, 30, tzinfo=UTC))
result = daemon.run_slot()
offset = settings.edition_time().utcoffset()
print(result.slot.isoformat(), result.edition, int(offset.total_seconds()))
"""


@pytest.mark.parametrize("how", ["symlink", "copy"])
def test_etc_localtime_link_or_copy_is_the_machines_zone(tmp_path: Path, how: str) -> None:
    source = zone_file(ZONE)
    setup = {"symlink": f"ln -s '{source}' /etc/localtime", "copy": f"cp '{source}' /etc/localtime"}
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode().strip()}")
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "{SEEDS}"\nout_dir = "out"\nstate_dir = "state"\n'
        '[schedule]\ncron = "0 7 * * *"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "TZ" and not k.startswith("BRIEFER_")}
    env.update(WORK=str(tmp_path), LOCALTIME=setup[how])

    def in_machine(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", _ETC, "sh", *command],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    done = in_machine(sys.executable, "-c", "import time; print(time.strftime('%z'))")
    assert (done.returncode, done.stdout) == (0, "-0300\n"), done.stderr  # the C library's view
    done = in_machine(sys.executable, "-c", _RUN_SLOT, str(config))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "2026-01-02T07:00:00-03:00",
        "briefing-2026-01-02-0700",
        "-10800",
    ]
    done = in_machine(sys.executable, "-m", "briefer", "check", "--config", str(config))
    assert done.returncode == 0, done.stderr
    named = ZONE if how == "symlink" else "the machine's zone"
    assert f"OK: schedule cron '0 7 * * *' in {named}, next run " in done.stdout
