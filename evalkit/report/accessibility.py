"""The accessibility statement (tillgänglighetsredogörelse) of a run's pages, and the links to it.

Lagen (2018:1937) om tillgänglighet till digital offentlig service requires a public body to
publish a statement of how accessible its digital service is, linked from every page (or the
start page), with the elements Digg's regulations list: who stands behind the pages, how far
they comply (helt / delvis / inte förenlig), what is not accessible and why, how to ask for
content in another form and report shortcomings, Digg's complaint function, how the pages were
assessed and when. ``statement_html`` writes that page from the organisation's details (params
``report.organisation`` and ``report.accessibility``); ``evalkit.report.export.write_statement`` puts it in a run folder
as ``STATEMENT_FILE``, which the page template links to from every page.
"""

from __future__ import annotations

import html
from datetime import date

import evalkit
from evalkit.params import AccessibilityInfo, Organisation

#: File name of the statement in a run folder (beside ``index.html``), linked from every page.
STATEMENT_FILE = "tillganglighet.html"
#: The run's overview page.
INDEX_FILE = "index.html"
#: Digg's function for reporting digital public services that are not accessible.
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
#: What evalkit's own browser tests check on every page of a test run before a release.
TESTED_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
TESTED_WIDTHS = (1280, 390, 320)


WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "nav_label": "Webbplats",
        "to_index": "Till översikten över alla insatser",
        "statement_link": "Tillgänglighetsredogörelse",
        "made_with": "Skapad {date} med evalkit {version}.",
        "title": "Tillgänglighetsredogörelse",
        "subtitle": "för rapporterna om arbetsmarknadsinsatsernas effekter",
        "intro": "{org} står bakom de här rapporterna. Vi vill att så många som möjligt ska kunna "
        "läsa dem. Här beskriver vi hur rapporterna uppfyller lagen (2018:1937) om tillgänglighet "
        "till digital offentlig service, vilka brister vi känner till och hur du kan meddela oss "
        "brister så att vi kan åtgärda dem.",
        "how_title": "Hur tillgängliga är rapporterna?",
        "full": "Rapporterna är helt förenliga med lagen om tillgänglighet till digital "
        "offentlig service.",
        "partial": "Rapporterna är delvis förenliga med lagen om tillgänglighet till digital "
        "offentlig service, på grund av de brister som beskrivs nedan.",
        "none": "Rapporterna är inte förenliga med lagen om tillgänglighet till digital "
        "offentlig service, på grund av de brister som beskrivs nedan.",
        "built_in": "Varje diagram har en textbeskrivning som säger vad diagrammet visar, och "
        "diagrammets uppgifter finns i en tabell under det. Sidorna går att läsa i 320 pixlars "
        "bredd utan att sidan behöver rullas i sidled; breda tabeller rullas i sidled inom sin "
        "egen ruta. Sidorna går att skriva ut.",
        "help_title": "Vad kan du göra om du inte kan använda delar av rapporterna?",
        "help": "Om du behöver innehåll ur rapporterna i en annan form kan du kontakta {who}.",
        "response": "Vi svarar normalt inom {days} arbetsdagar.",
        "report_title": "Rapportera brister i rapporternas tillgänglighet",
        "report": "Vi strävar efter att förbättra rapporternas tillgänglighet. Om du upptäcker "
        "problem som inte beskrivs här, eller om du anser att vi inte uppfyller lagens krav, "
        "meddela {who} så att vi får veta att problemet finns.",
        "supervision_title": "Tillsyn",
        "supervision": "Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn "
        "enligt lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med "
        "hur vi hanterar dina synpunkter kan du kontakta Digg och påtala det.",
        "digg_link": "Anmäl digital offentlig service som inte är tillgänglig (Digg)",
        "issues_title": "Innehåll som inte är tillgängligt",
        "no_issues": "Vi känner inte till några brister.",
        "files": "Filerna bredvid rapporterna (resultatfiler i JSON-format och de körda "
        "Jupyter-anteckningsböckerna) är underlag för utvärderare och är inte anpassade för "
        "skärmläsare. Allt som rapporterna slutsatser bygger på står också på sidorna.",
        "test_title": "Hur vi testat rapporterna",
        "self_assessment": "Bedömningen är en självskattning.",
        "automatic": "Programmet som skapar rapporterna, evalkit, testas automatiskt före "
        "varje version: axe-core kontrollerar alla sidor i en provkörning mot WCAG 2.1 nivå A "
        "och AA (den standard som lagen hänvisar till via EN 301 549), och sidorna kontrolleras "
        "i {widths} pixlars bredd och i utskrift.",
        "assessed": "{org} granskade senast rapporterna {date}.",
        "not_assessed": "{org} har ännu inte granskat rapporterna själv (datum anges i "
        "parameterfilen under report.accessibility.assessed).",
        "facts_title": "Uppgifter om redogörelsen",
        "publisher": "Ansvarig",
        "namnd": "Ansvarig nämnd",
        "unit": "Enhet",
        "contact": "Kontakt",
        "created": "Sidorna skapades",
        "updated": "Redogörelsen uppdaterades senast",
        "version": "evalkit-version",
        "missing": "inte angivet",
        "missing_org": "Organisationen (inte angiven: report.organisation.name i parameterfilen)",
        "the_unit": "oss",
        "email": "e-post {email}",
        "phone": "telefon {phone}",
        "or": " eller ",
        "and": "och",
    },
    "en": {
        "nav_label": "Site",
        "to_index": "To the overview of all measures",
        "statement_link": "Accessibility statement",
        "made_with": "Made {date} with evalkit {version}.",
        "title": "Accessibility statement",
        "subtitle": "for the reports on the effects of labour-market measures",
        "intro": "{org} publishes these reports. We want as many people as possible to be able "
        "to read them. This statement describes how the reports meet the Swedish Act on "
        "accessibility to digital public services (2018:1937), which shortcomings we know of, "
        "and how you can tell us about shortcomings so that we can fix them.",
        "how_title": "How accessible are the reports?",
        "full": "The reports fully comply with the Act on accessibility to digital public "
        "services.",
        "partial": "The reports partially comply with the Act on accessibility to digital public "
        "services, because of the shortcomings described below.",
        "none": "The reports do not comply with the Act on accessibility to digital public "
        "services, because of the shortcomings described below.",
        "built_in": "Every chart has a text alternative that says what it shows, and its figures "
        "are in a table below it. The pages can be read at 320 pixels width without scrolling "
        "the page sideways; wide tables scroll sideways within their own box. The pages print.",
        "help_title": "What can you do if you cannot use parts of the reports?",
        "help": "If you need content from the reports in another form, contact {who}.",
        "response": "We normally answer within {days} working days.",
        "report_title": "Report shortcomings in the reports' accessibility",
        "report": "We try to improve the reports' accessibility. If you find problems that are "
        "not described here, or think that we do not meet the Act's requirements, tell {who} so "
        "that we know of the problem.",
        "supervision_title": "Supervision",
        "supervision": "The Agency for Digital Government (Digg) supervises the Act on "
        "accessibility to digital public services. If you are not satisfied with how we handle "
        "your comments, you can contact Digg.",
        "digg_link": "Report a digital public service that is not accessible (Digg)",
        "issues_title": "Content that is not accessible",
        "no_issues": "We know of no shortcomings.",
        "files": "The files beside the reports (results in JSON format and the executed Jupyter "
        "notebooks) are material for evaluators and are not adapted for screen readers. "
        "Everything the reports conclude is also on the pages.",
        "test_title": "How we tested the reports",
        "self_assessment": "The assessment is a self-assessment.",
        "automatic": "The program that makes the reports, evalkit, is tested automatically "
        "before every release: axe-core checks every page of a test run against WCAG 2.1 level "
        "A and AA (the standard the Act refers to through EN 301 549), and the pages are checked "
        "at {widths} pixels width and in print.",
        "assessed": "{org} last reviewed the reports on {date}.",
        "not_assessed": "{org} has not yet reviewed the reports itself (the date goes in the "
        "params file under report.accessibility.assessed).",
        "facts_title": "About this statement",
        "publisher": "Responsible",
        "namnd": "Responsible committee",
        "unit": "Unit",
        "contact": "Contact",
        "created": "Pages made",
        "updated": "Statement last updated",
        "version": "evalkit version",
        "missing": "not given",
        "missing_org": "The organisation (not given: report.organisation.name in the params file)",
        "the_unit": "us",
        "email": "e-mail {email}",
        "phone": "phone {phone}",
        "or": " or ",
        "and": "and",
    },
}


def words(lang: str) -> dict[str, str]:
    """The statement's and the site links' words in ``lang`` (Swedish unless English)."""
    return WORDS["en" if lang == "en" else "sv"]


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def site_nav(lang: str, *, index: bool = True) -> str:
    """The navigation above a page's content: a link back to the overview (not on the overview)."""
    w = words(lang)
    if not index:
        return ""
    return (
        f'<nav class="evalkit-nav evalkit-site" aria-label="{_esc(w["nav_label"])}"><ul>'
        f'<li><a href="{INDEX_FILE}">{_esc(w["to_index"])}</a></li></ul></nav>'
    )


def site_footer(lang: str, *, made: date | None = None, statement: bool = True) -> str:
    """The footer of every page: the link to the accessibility statement, and when it was made."""
    w = words(lang)
    made_text = w["made_with"].format(
        date=(made or date.today()).isoformat(), version=evalkit.__version__
    )
    link = (
        f'<ul><li><a href="{STATEMENT_FILE}">{_esc(w["statement_link"])}</a></li></ul>'
        if statement
        else ""
    )
    return f'<footer class="evalkit-footer evalkit-site">{link}<p>{_esc(made_text)}</p></footer>'


def _contact(org: Organisation, lang: str) -> tuple[str, str]:
    """Who to contact, as HTML (with a mail link) and as plain words for the facts list."""
    w = words(lang)
    ways_html, ways_text = [], []
    if org.contact_email:
        link = f'<a href="mailto:{_esc(org.contact_email)}">{_esc(org.contact_email)}</a>'
        ways_html.append(w["email"].format(email=link))
        ways_text.append(w["email"].format(email=org.contact_email))
    if org.contact_phone:
        ways_html.append(_esc(w["phone"].format(phone=org.contact_phone)))
        ways_text.append(w["phone"].format(phone=org.contact_phone))
    who = _esc(org.unit or org.name or w["the_unit"])
    if not ways_html:
        return who, w["missing"]
    return f"{who}, {w['or'].join(ways_html)}", w["or"].join(ways_text)


def statement_html(
    org: Organisation,
    info: AccessibilityInfo | None = None,
    *,
    lang: str = "sv",
    created: date | None = None,
) -> list[str]:
    """The statement's content as HTML parts (title first), for ``export.html_page``."""
    info = info or AccessibilityInfo()
    w = words(lang)
    created = created or date.today()
    org_name = org.name or w["missing_org"]
    who, contact_text = _contact(org, lang)

    def h2(key: str, anchor: str) -> str:
        return f'<h2 id="{anchor}">{_esc(w[key])}</h2>'

    def p(text: str) -> str:
        return f"<p>{_esc(text)}</p>"

    issues = [*info.known_issues, w["files"]]
    widths = ", ".join(str(x) for x in TESTED_WIDTHS[:-1]) + f" {w['and']} {TESTED_WIDTHS[-1]}"
    assessed = (
        w["assessed"].format(org=org_name, date=info.assessed.isoformat())
        if info.assessed
        else w["not_assessed"].format(org=org_name)
    )
    facts = [
        (w["publisher"], org.name or w["missing"]),
        (w["namnd"], org.namnd or w["missing"]),
        (w["unit"], org.unit or w["missing"]),
        (w["contact"], contact_text),
        (w["created"], created.isoformat()),
        (w["updated"], created.isoformat()),
        (w["version"], evalkit.__version__),
    ]
    help_text = w["help"].format(who="\x00")
    response = " " + _esc(w["response"].format(days=org.response_days)) if org.response_days else ""
    report_text = w["report"].format(who="\x00")
    body = [
        f'<h1>{_esc(w["title"])}</h1><p class="subtitle">{_esc(w["subtitle"])}</p>',
        p(w["intro"].format(org=org_name)),
        h2("how_title", "how"),
        p(w[info.conformance]),
        p(w["built_in"]),
        h2("help_title", "help"),
        f"<p>{_esc(help_text).replace(chr(0), who)}{response}</p>",
        h2("report_title", "report"),
        f"<p>{_esc(report_text).replace(chr(0), who)}</p>",
        h2("supervision_title", "supervision"),
        p(w["supervision"]),
        f'<p><a href="{DIGG_REPORT_URL}">{_esc(w["digg_link"])}</a></p>',
        h2("issues_title", "issues"),
        "<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in issues) + "</ul>",
        h2("test_title", "testing"),
        p(" ".join([w["self_assessment"], w["automatic"].format(widths=widths)])),
        p(info.method) if info.method else "",
        p(assessed),
        h2("facts_title", "facts"),
        "<dl>" + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in facts) + "</dl>",
    ]
    return [f'<div class="evalkit-statement">{"".join(b for b in body if b)}</div>']
