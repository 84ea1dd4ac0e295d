"""Template helpers: the navigation each role sees and small filters."""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .auth.models import Role
from .charts import sparkline
from .coverage.budget import hours
from .forms import required_attribute_allowed
from .text import clock, percent
from .urls import external_url

# Each menu item and the endpoints that count as being inside it.
MENU = [
    ("home.index", "Home", None, ()),
    ("visits.browse", "Open classrooms", None, ("visits.slot", "visits.pair")),
    ("visits.mine", "My visits", None, ("visits.open_classroom",)),
    ("observations.mine", "Notes", None, ("observations.view", "observations.start", "observations.finish")),
    ("protocols.library", "Protocols", None, ("protocols.detail", "protocols.edit")),
    ("toolkit.library", "Toolkit", None, ("toolkit.resource", "toolkit.edit", "toolkit.new")),
    (
        "walks.walks",
        "Walks",
        (Role.TEACHER, Role.COACH, Role.ADMIN),
        (
            "walks.new_walk",
            "walks.walk",
            "walks.capture",
            "walks.school_results",
            "walks.compare",
            "walks.tool_library",
            "walks.edit_tool",
        ),
    ),
    (
        "surveys.surveys",
        "Surveys",
        (Role.TEACHER, Role.COACH, Role.ADMIN),
        ("surveys.new_survey", "surveys.survey", "surveys.results", "surveys.answer"),
    ),
    ("showcase.gallery", "Showcase", (Role.TEACHER, Role.COACH, Role.ADMIN), ("showcase.item", "showcase.propose")),
    ("coaching.caseload_page", "Caseload", Role.COACH, ("coaching.find",)),
    ("coaching.my_record", "My growth", Role.TEACHER, ("coaching.record",)),
    ("cohorts.learning", "Learning", Role.TEACHER, ("cohorts.cohort", "cohorts.cohorts")),
    ("coverage.jobs", "Cover jobs", Role.SUBSTITUTE, ()),
    ("coverage.request_cover", "Ask for cover", Role.TEACHER, ()),
    (
        "coverage.board",
        "Coverage",
        Role.ADMIN,
        (
            "coverage.board_print",
            "coverage.report",
            "coverage.substitutes",
            "coverage.reasons_page",
            "coverage.verify_page",
        ),
    ),
    ("reports.dashboard", "Reports", Role.ADMIN, ("admin.audit_log",)),
    ("cohorts.cohorts", "Cohorts", Role.ADMIN, ("cohorts.cohort",)),
    ("trainings.trainings", "Trainings", Role.ADMIN, ("trainings.training", "trainings.report")),
    ("admin.schools", "Schools", Role.ADMIN, ("admin.school", "admin.new_school", "admin.edit_period")),
    ("admin.people", "People", Role.ADMIN, ("admin.person", "admin.invite_person")),
    ("admin.roster_upload", "Roster import", Role.ADMIN, ("admin.roster_preview",)),
    ("admin.email", "Email", Role.ADMIN, ()),
    ("home.account", "Account", None, ()),
]


def _place(endpoint: str, filename: str | None = None) -> str:
    """The address of a page that takes no values, or of a static file, built once per mount point:
    a page builds twenty or so (menu, bottom bar, scripts), and building them cost 0.3 ms a request."""
    key = (endpoint, filename, request.script_root)
    built = _PLACES.get(key)
    if built is None:
        built = url_for(endpoint) if filename is None else url_for(endpoint, filename=filename)
        if not current_app.debug:  # while developing, a static file's fingerprint changes under the server
            _PLACES[key] = built
    return built


_PLACES: dict[tuple[str, str | None, str], str] = {}


def template_url_for(endpoint: str, **values) -> str:
    """Templates' url_for: the fixed addresses come from _place, a row's address (whole numbers only) from its
    endpoint's pattern; anything else (text values, anchors, relative endpoints) is built as Flask builds it."""
    if not endpoint.startswith("."):
        if not values:
            return _place(endpoint)
        if endpoint == "static" and values.keys() == {"filename"}:
            return _place(endpoint, values["filename"])
        if all(type(value) is int for value in values.values()):
            pattern = _row_pattern(endpoint, tuple(values))
            if pattern is not None:
                return pattern.format(*values.values())
    return url_for(endpoint, **values)


# Lists build an address or two for every row (a caseload's 25 cards, a board's jobs): url_for costs about
# 20 µs each, a third of what rendering the row costs. An address whose values are all whole numbers (in its
# path or its query) is the same text with the numbers put in, so each endpoint's pattern is worked out once
# per mount point and names in the order given, by building it with numbers that can't appear in it otherwise.
_MARKER = 7_340_000_000_000_000_000


def _row_pattern(endpoint: str, names: tuple[str, ...]) -> str | None:
    key = (endpoint, names, request.script_root)
    if key not in _ROW_PATTERNS:
        markers = [str(_MARKER + n) for n in range(len(names))]
        built = url_for(endpoint, **{name: int(marker) for name, marker in zip(names, markers, strict=True)})
        pattern = None
        # An endpoint with a default value can build another rule's address for some numbers: left to url_for.
        with_defaults = any(rule.defaults for rule in current_app.url_map.iter_rules(endpoint))
        if not with_defaults and all(built.count(marker) == 1 for marker in markers):  # path or query, as digits
            pattern = built.replace("{", "{{").replace("}", "}}")
            for n, marker in enumerate(markers):
                pattern = pattern.replace(marker, "{" + str(n) + "}")
        if current_app.debug:
            return pattern
        _ROW_PATTERNS[key] = pattern
    return _ROW_PATTERNS[key]


_ROW_PATTERNS: dict[tuple[str, tuple[str, ...], str], str | None] = {}


def page_csrf_token() -> str:
    """Flask-WTF's csrf_token(), signed once a request; a list with a form on every row then reads it back
    instead of looking up its settings again each time."""
    return g.get("csrf_token") or generate_csrf()


def _menu_for(roles: frozenset[Role]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(label, url, endpoint, inside) of every item these roles may open, worked out once per set of roles
    and mount point: asking each item's roles through the current_user proxy on every page cost 0.1 ms."""
    key = (roles, request.script_root)
    menu = _MENUS.get(key)
    if menu is None:
        menu = _MENUS[key] = [
            (label, _place(endpoint), endpoint, inside)
            for endpoint, label, role, inside in MENU
            if role is None or roles.intersection(role if isinstance(role, tuple) else (role,))
        ]
    return menu


_MENUS: dict[tuple[frozenset[Role], str], list[tuple[str, str, str, tuple[str, ...]]]] = {}


def navigation() -> list[tuple[str, str, bool]]:
    """(label, url, is_current) for every page the signed-in person may open."""
    if not current_user.is_authenticated:
        return []
    here = request.endpoint
    menu = _menu_for(current_user.roles)
    return [(label, url, here == endpoint or here in inside) for label, url, endpoint, inside in menu]


# The phone's bottom bar: the four places each kind of person goes most, with labels that fit a fifth of
# a 360 px screen. The rest are under "More". The first role a person has, in this order, decides.
QUICK_PLACES = [
    (Role.ADMIN, ["home.index", "coverage.board", "reports.dashboard", "admin.people"]),
    (Role.COACH, ["home.index", "coaching.caseload_page", "visits.mine", "observations.mine"]),
    (Role.TEACHER, ["home.index", "visits.browse", "visits.mine", "observations.mine"]),
    (Role.SUBSTITUTE, ["home.index", "coverage.jobs", "visits.browse", "home.account"]),
]
SHORT_LABELS = {"visits.browse": "Classes", "coverage.board": "Cover", "coverage.jobs": "Jobs"}


def quick_navigation() -> list[tuple[str, str, bool]]:
    """(label, url, is_current) for the phone's bottom bar."""
    places = next((places for role, places in QUICK_PLACES if current_user.has_role(role)), ["home.index"])
    by_endpoint = {endpoint: (label, inside) for endpoint, label, _, inside in MENU}
    return [
        (
            SHORT_LABELS.get(endpoint, by_endpoint[endpoint][0]),
            _place(endpoint),
            request.endpoint == endpoint or request.endpoint in by_endpoint[endpoint][1],
        )
        for endpoint in places
    ]


def site_navigation() -> tuple[Markup, Markup]:
    """The header's menu and the phone's bottom bar, empty when nobody is signed in. They are the same for everyone
    with these roles on this page, so each pair is rendered once per set of roles, page and mount point: rendering
    them was 40 % of rendering the layout around every page."""
    if not current_user.is_authenticated:
        return Markup(""), Markup("")
    key = (current_user.roles, request.endpoint, request.script_root)
    found = _NAVIGATION.get(key)
    if found is None:
        items = navigation()
        menus = current_app.jinja_env.get_template("_navigation.html").module
        found = (menus.menu(items), menus.tabbar(quick_navigation(), items)) if items else (Markup(""), Markup(""))
        if not current_app.debug:  # while developing, templates change under the server
            _NAVIGATION[key] = found
    return found


_NAVIGATION: dict[tuple[frozenset[Role], str | None, str], tuple[Markup, Markup]] = {}


def school_options(schools, chosen_id) -> Markup:
    """The <option>s of a school picker, the chosen school selected. Built here rather than in a template loop,
    which cost about 37 Python calls an option: a district's 50 schools were a tenth of the open classrooms page."""
    return Markup(
        "".join(
            f'<option value="{int(school.id)}"{" selected" if school.id == chosen_id else ""}>'
            f"{escape(school.name)}</option>"
            for school in schools
        )
    )


def days_label(days: str) -> str:
    tokens = days.split()
    if tokens == ["mon", "tue", "wed", "thu", "fri"]:
        return "every weekday"
    if tokens == ["A", "B"]:
        return "A and B days"
    if tokens in (["A"], ["B"]):
        return f"{tokens[0]} days"
    return ", ".join(token.capitalize() for token in tokens)


def local_clock(moment, school=None) -> str:
    """An instant as a wall-clock time at the school (UTC when there is no school)."""
    if moment is None:
        return ""
    zone = ZoneInfo(school.timezone) if school else UTC
    return clock(moment.astimezone(zone))


def local_datetime(moment, school=None) -> str:
    """An instant as a date and time at the school given, else where the signed-in person works (UTC
    without a school)."""
    if moment is None:
        return ""
    if school is None:
        school = current_user.school if current_user.is_authenticated else None
    zone = ZoneInfo(school.timezone) if school else UTC
    local = moment.astimezone(zone)
    return f"{local:%-d %b %Y}, {clock(local)}"


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        url_for=template_url_for,
        csrf_token=page_csrf_token,
        sparkline=sparkline,
        percent=percent,
        site_navigation=site_navigation,
        school_options=school_options,
        Role=Role,
        external_url=external_url,
        required_attribute_allowed=required_attribute_allowed,
    )
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.filters["days_label"] = days_label
    app.jinja_env.filters["local_clock"] = local_clock
    app.jinja_env.filters["hours"] = hours
    app.context_processor(_signed_in_person)


def _signed_in_person() -> dict:
    # Registered after Flask-Login's, so templates get the person rather than the proxy: a page reads
    # current_user forty times, and each read through the proxy looked the person up again.
    return {"current_user": current_user._get_current_object()}
