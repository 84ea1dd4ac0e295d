"""Everything Walkthrough holds that is a person's own, as one ZIP they can keep when they leave.

Their notes, evidence, photos and reflections; the replies they wrote as a host; their coaching
record as they can see it (goals, cycles and the log entries shared with them); cohort reflections
and growth plans; logged learning; cover requests and schedule. Other people's words stay out:
notes a colleague shared with them belong to that colleague."""

import io
import json
import zipfile

from ...auth.models import User
from . import record, visits

README = """Your data from Walkthrough
==========================

Each .json file is plain text you can open in any editor or import elsewhere:

  profile.json        your account, roles and school
  visits_made.json    every visit you made: your notes, evidence, reflection and who you shared them with
  visits_hosted.json  visits to your class: when, who, the focus question and the replies you wrote
  signups.json        visits you booked or were booked on, and their status
  coaching.json       your coaching records: goals, cycles and the log entries your coach shared with you
  cohorts.json        your cohort memberships, attendance and meeting reflections
  learning.json       professional learning you logged
  coverage.json       cover requests for your classes
  schedule.json       your periods
  walks.json          classrooms you recorded on building walks, with your own evidence
  showcase.json       showcase items you proposed or hosted
  photos/             the photos you took during visits
  plans/              growth plans and cover plans you uploaded

Notes that colleagues shared with you are theirs, so they are not in this file.
"""


def build_archive(person: User) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        parts = {
            "profile.json": record.profile(person),
            "visits_made.json": visits.visits_made(person, archive),
            "visits_hosted.json": visits.visits_hosted(person),
            "signups.json": visits.signups(person),
            "coaching.json": record.coaching(person),
            "cohorts.json": record.cohorts(person, archive),
            "learning.json": record.learning(person),
            "coverage.json": record.coverage(person, archive),
            "schedule.json": record.schedule(person),
            "walks.json": record.walks(person),
            "showcase.json": record.showcase(person),
        }
        archive.writestr("README.txt", README)
        for name, content in parts.items():
            archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False))
    return out.getvalue()
