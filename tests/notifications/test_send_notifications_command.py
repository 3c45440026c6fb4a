"""The sending command: clear output, clear errors."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.management.commands.send_notifications import JOBS

pytestmark = pytest.mark.django_db


def test_it_reports_each_job():
    out = StringIO()

    call_command("send_notifications", stdout=out)

    assert out.getvalue().splitlines() == [f"{job.name}: 0 sent" for job in JOBS]
    assert {"emails", "digests"} <= {job.name for job in JOBS}


def test_one_job_can_be_run_alone():
    out = StringIO()

    call_command("send_notifications", "--only", "digests", stdout=out)

    assert out.getvalue().splitlines() == ["digests: 0 sent"]


def test_an_unknown_job_is_an_error_naming_the_known_ones():
    with pytest.raises(CommandError) as error:
        call_command("send_notifications", "--only", "reminderz")

    assert "reminderz" in str(error.value) and "digests" in str(error.value)
    assert error.value.returncode == 2
