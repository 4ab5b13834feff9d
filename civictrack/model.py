"""The content model: typed, strict, and the single source of the JSON Schema.

Pydantic (v2) is used because one declaration gives three things this project
needs: strict validation with a precise location for every error (unknown keys,
wrong types, missing fields), typed objects for the rest of the build, and a JSON
Schema for editors (``python build.py schema``).  Cross-file rules (references,
quotes found verbatim in the source text, formulas) live in the ``check`` package.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from civictrack.urls import BASE_URL_PATTERN, WEB_URL_PATTERN

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80),
               Field(description="Stable lowercase ASCII id: letters, digits and single hyphens.")]
Text = Annotated[str, StringConstraints(min_length=1), Field(description="Non-empty text.")]
WebUrl = Annotated[str, StringConstraints(pattern=WEB_URL_PATTERN, max_length=2000),
                  Field(description="An http://, https:// or mailto: address.")]
SiteUrl = Annotated[str, StringConstraints(pattern=BASE_URL_PATTERN, max_length=2000),
                   Field(description="The absolute http:// or https:// address the site is published at, ending "
                                     "in /, e.g. https://owner.github.io/repo/.")]
IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN),
                    Field(description='A date written as a quoted string, "YYYY-MM-DD".')]

HOSTNAME_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
Hostname = Annotated[str, StringConstraints(pattern=HOSTNAME_PATTERN, max_length=253),
                     Field(description="A bare host name such as data.example.org: lowercase, with a dot, "
                                       "no https://, no path, no port.")]

Qualifier = Literal["exact", "more_than", "nearly", "about", "at_least", "at_most"]
"""How a stated number relates to the true value: 余/超/more than = more_than, 近/nearly = nearly, 约/about =
about, 至少/at least = at_least, up to = at_most."""

Language = Literal["zh-CN", "en"]
"""A language the site can speak (its interface catalogs live in civictrack/i18n/catalogs/)."""


def _en(what: str) -> Any:
    """An optional English rendering of a field, shown by the site's English edition."""
    return Field(None, description=f"English {what}, shown by the English edition (/en/); without it the edition "
                                   "shows the original, marked as such.")



class Strict(BaseModel):
    """Base for every data model: unknown keys and loose types are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


# --- vocabularies -----------------------------------------------------------------


class VocabEntry(Strict):
    id: Id
    name: Text = Field(description="Chinese name as the source writes it.")
    name_en: Optional[Text] = Field(None, description="English name, shown by the English edition (/en/); without "
                                                     "it the edition shows the original name, marked as such.")
    description: Optional[Text] = None
    description_en: Optional[Text] = _en("description")
    other_names: list[Text] = Field(default_factory=list, description="Other forms the source text writes the "
                                    "name in (市教委 for 重庆市教育委员会); `civictrack draft` finds the entry by them.")
    aliases: list[Id] = Field(default_factory=list, description="Former ids; each old URL becomes a redirect here.")
    unreviewed: bool = Field(False, description="True while drafted by `civictrack draft` and not yet checked by an "
                                                "editor: the site marks it 待核对 and `--strict` refuses it. "
                                                "Remove the line once reviewed.")


class Body(VocabEntry):
    """A government body, legislature, party organ, group or school."""

    kind: Literal["government", "legislature", "party", "department", "group", "national", "school", "role"]
    parent: Optional[Id] = Field(None, description="Id of the body this one belongs to.")


class Place(VocabEntry):
    """A municipality, district, county or other area."""

    kind: Literal["municipality", "district", "county", "new-area", "region", "province"]
    parent: Optional[Id] = None


class Document(VocabEntry):
    """A named policy document (《…》) or a named programme, campaign or system."""

    kind: Literal["document", "programme"]
    short_name: Optional[Text] = Field(None, description="Short form the text uses, e.g. 《规划》.")
    report: Optional[Id] = Field(None, description="Id of the report this document is, if it is one.")


class Tag(VocabEntry):
    """A topic."""


class Status(VocabEntry):
    """A step of the status scale: an editorial reading of the report's own wording."""

    order: int = Field(description="Position on the scale, 1 = most advanced.")
    done: bool = Field(False, description="True if an action in this status is done: it is then never overdue, "
                                          "and its target counts as met (or met late).")
    keywords: list[Text] = Field(default_factory=list, description="Typical wording in the source (完成, 正在, 拟…).")


# --- corrections ------------------------------------------------------------------


class Correction(Strict):
    """A published value corrected: the old value stays visible, struck through, with date and reason."""

    date: IsoDate = Field(description="When the correction was published.")
    field: Literal["value", "unit", "qualifier", "written", "label", "quote", "status", "text"] = Field(
        description="Which field was wrong: a figure's value, unit, qualifier, written, label or quote; "
                    "an action's status, text or quote.")
    was: Text = Field(description="The value as it was published before the correction.")
    reason: Text = Field(description="Why it was corrected, in one sentence.")


# --- figures -----------------------------------------------------------------------


class Comparison(Strict):
    """A comparison exactly as the report states it."""

    kind: Literal["change", "national_average", "rank", "from_to"]
    text: Text = Field(description="The comparing words, verbatim from the quote, e.g. 较上年增加33.71亿元.")
    figure: Optional[Id] = Field(None, description="Id of the figure stating the other side, if any.")


class Figure(Strict):
    """One number the report states (or, marked derived, one it implies)."""

    id: Id
    indicator: Id = Field(description="Series id: figures of one indicator across periods and reports form a series.")
    label: Text = Field(description="What is counted, in the language of the source.")
    label_en: Optional[Text] = _en("label")
    value: Text = Field(description='The number as written, quoted: "57.5", "1.4", "两", "1,200".')
    unit: Text = Field(description="The unit as written, without qualifier: 万名, 亿元, %, 个百分点. In English (site "
                                   "language en): the written figure without its qualifier words and its number: "
                                   "£bn for £1.2bn, £ million for £45 million, per cent, people.")
    qualifier: Qualifier = "exact"
    written: Optional[Text] = Field(None, description="The figure exactly as it stands in the quote: 1.4亿余元, 超4.4亿人次.")
    occurrence: int = Field(1, ge=1, description="Which occurrence of `written` in the quote is meant, when it repeats.")
    quote: Text = Field(description="The verbatim sentence from the source text.")
    quote_en: Optional[Text] = Field(None, description="An English rendering of the quote, shown beside it on the "
                                                     "English edition and labelled as an unofficial translation.")
    paragraph: Optional[Id] = Field(None, description="Anchor of the paragraph holding the quote; default: the item's.")
    period: Optional[Text] = Field(None, description='Period the figure covers, e.g. "2024".')
    period_en: Optional[Text] = _en("period, where it is not a year")
    as_of: Optional[IsoDate] = Field(None, description="Date the figure stands at (截至目前 = the report's date).")
    comparison: Optional[Comparison] = None
    derived: bool = Field(False, description="True if the report implies but does not state this value.")
    formula: Optional[Text] = Field(None, description="For derived figures: figure ids joined by + and -.")
    note: Optional[Text] = None
    note_en: Optional[Text] = _en("note")
    corrections: list[Correction] = Field(default_factory=list, description="Earlier published values of this "
                                          "figure, oldest first (field value, unit, qualifier, written, label or quote).")
    aliases: list[Id] = Field(default_factory=list, description="Former ids; each old URL becomes a redirect here.")
    unreviewed: bool = Field(False, description="True while drafted by `civictrack draft` and not yet checked by an "
                                                "editor: the site marks it 待核对 and `--strict` refuses it. "
                                                "Remove the line once reviewed.")


# --- items and reports ----------------------------------------------------------------


class Target(Strict):
    """What an action promises by when, as the source states it."""

    text: Text = Field(description="The deadline as written in the quote: 到2025年, 2027年底前, 一年内.")
    date: IsoDate = Field(description="The last day the target allows, e.g. 2025-12-31 for 到2025年.")
    quote: Optional[Text] = Field(None, description="The verbatim sentence stating the target; default: the action's "
                                                    "quote. It must hold `text`.")
    paragraph: Optional[Id] = Field(None, description="Anchor of the paragraph holding `quote`; default: the "
                                                      "action's.")


class OutsideSource(Strict):
    """A document outside the project (not a report kept here): its quote is shown, not checked."""

    title: Text
    issuer: Text = Field(description="Who published it, as named.")
    date: IsoDate
    url: Optional[WebUrl] = None


class Update(Strict):
    """A dated, sourced change of an action's status after its report."""

    date: IsoDate = Field(description="The date the source states the new status (its publication date).")
    status: Id = Field(description="Id from data/statuses.yaml: the status read from the quote.")
    status_basis: Text = Field(description="The words in the quote the status is read from.")
    quote: Text = Field(description="The verbatim sentence of the source.")
    report: Optional[Id] = Field(None, description="A report in this project that states it (its quote is checked "
                                                   "against its text); or give `source`.")
    paragraph: Optional[Id] = Field(None, description="With `report`: the anchor of the paragraph holding the quote.")
    source: Optional[OutsideSource] = Field(None, description="A document outside the project; or give `report`.")
    note: Optional[Text] = None


class FollowUp(Strict):
    """The earlier action a later report's action follows up."""

    item: Id = Field(description="Id of the earlier item.")
    action: Id = Field(description="Id of the action in that item.")


class Action(Strict):
    """One thing the report says was done, is under way or is planned."""

    id: Id
    text: Text = Field(description="Short summary of the action, in the language of the source.")
    text_en: Optional[Text] = _en("summary of the action")
    status: Id = Field(description="Id from data/statuses.yaml.")
    status_basis: Text = Field(description="The words in the quote the status is read from (印发, 正在, 拟…).")
    quote: Text = Field(description="The verbatim sentence behind the action.")
    quote_en: Optional[Text] = Field(None, description="An English rendering of the quote, shown beside it on the "
                                                     "English edition and labelled as an unofficial translation.")
    paragraph: Optional[Id] = None
    target: Optional[Target] = Field(None, description="The deadline the source states for this action, if any.")
    updates: list[Update] = Field(default_factory=list, description="Later, dated changes of status, oldest first.")
    follows: Optional[FollowUp] = Field(None, description="The earlier report's action this action follows up: it "
                                                          "becomes a dated update of that action.")
    corrections: list[Correction] = Field(default_factory=list, description="Earlier published values of this "
                                          "action, oldest first (field status, text or quote).")


class ItemChart(Strict):
    """A chart comparing some of an item's figures; the title says the finding."""

    id: Id
    title: Text = Field(description="What the chart shows, as a finding, e.g. 三项学前教育指标均高于全国平均水平.")
    title_en: Optional[Text] = _en("title")
    figures: list[Id] = Field(min_length=2, description="Ids of the figures to compare, in display order.")
    scale: Literal["linear", "log"] = Field("linear", description="log draws dots, for values of very different size.")
    note: Optional[Text] = None
    note_en: Optional[Text] = _en("note")


class Item(Strict):
    """One reform measure: a numbered section (一)(二)… under an area."""

    id: Id
    report: Id
    area: Id
    order: int = Field(ge=1)
    number: Text = Field(description="The report's own numbering, e.g. (一).")
    title: Text
    title_en: Optional[Text] = _en("title")
    summary: Text
    summary_en: Optional[Text] = _en("summary")
    body: Optional[Text] = Field(None, description="Editor's notes in Markdown, shown on the item page (raw HTML is "
                                                   "escaped); figures are cited from `figures`, not from here.")
    paragraph: Id = Field(description="Anchor of the item's paragraph in the report text, e.g. s2-1.")
    actions: list[Action] = Field(min_length=1)
    bodies: list[Id] = Field(default_factory=list)
    places: list[Id] = Field(default_factory=list)
    documents: list[Id] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    charts: list[ItemChart] = Field(default_factory=list, description="Comparison charts of this item's figures.")
    answers: list[Id] = Field(default_factory=list, description="Ids of the asks (of the report this item's report "
                                                                "responds to) that this item answers.")
    aliases: list[Id] = Field(default_factory=list, description="Former ids; each old URL becomes a redirect here.")
    unreviewed: bool = Field(False, description="True while drafted by `civictrack draft` and not yet checked by an "
                                                "editor: the site marks it 待核对 and `--strict` refuses it. "
                                                "Remove the line once reviewed.")


class Area(Strict):
    """A top-level section of a report (一 … 五)."""

    id: Id
    order: int = Field(ge=1)
    number: Text = Field(description="The report's own numbering, e.g. 一.")
    title: Text
    title_en: Optional[Text] = _en("title")
    concern: Optional[Text] = Field(None, description="What the legislature's concern was, in short.")
    concern_en: Optional[Text] = _en("concern")
    paragraph: Id
    aliases: list[Id] = Field(default_factory=list, description="Former ids; each old URL becomes a redirect here.")


class Ask(Strict):
    """A point the legislature raised in its review opinions."""

    id: Id
    number: Optional[Text] = Field(None, description="The opinions' own numbering, e.g. 一 or 1.")
    title: Text = Field(description="The ask in short.")
    title_en: Optional[Text] = _en("title")
    quote: Optional[Text] = Field(None, description="The verbatim sentence, when the opinions' text is kept.")
    paragraph: Optional[Id] = Field(None, description="Anchor of the paragraph holding `quote`.")


class NonFigure(Strict):
    """A number in the source text that is not a figure (a date, a name)."""

    text: Text = Field(description="The exact text containing the number, e.g. 2024年6月18日.")
    reason: Text


class Report(Strict):
    """A source document: a government's response, the review opinions it answers…"""

    id: Id
    title: Text
    title_en: Optional[Text] = _en("title")
    short_title: Optional[Text] = None
    short_title_en: Optional[Text] = _en("short title")
    kind: Literal["government_response", "review_opinions", "government_report"]
    issuer: Id = Field(description="Body id.")
    addressee: Optional[Id] = Field(None, description="Body id.")
    date: IsoDate
    meeting: Optional[Text] = None
    meeting_en: Optional[Text] = _en("name of the meeting")
    responds_to: Optional[Id] = Field(None, description="Id of the report this one answers.")
    series: Optional[Text] = Field(None, description="Name of the series the report belongs to (reports of one "
                                                     "topic over the years); the front page groups by it. Default: "
                                                     "the series of the report it responds to, else its short title.")
    source_url: Optional[WebUrl] = None
    text: Optional[Text] = Field(None, description="Path of the full text under content/, if kept.")
    areas: list[Area] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list, description="Figures outside any item (e.g. the preamble).")
    non_figures: list[NonFigure] = Field(default_factory=list)
    asks: list[Ask] = Field(default_factory=list, description="Review opinions: the points raised, which response "
                                                              "items answer (their `answers`).")
    aliases: list[Id] = Field(default_factory=list, description="Former ids; each old URL becomes a redirect here.")
    unreviewed: bool = Field(False, description="True while drafted by `civictrack draft` and not yet checked by an "
                                                "editor: the site marks it 待核对 and `--strict` refuses it. "
                                                "Remove the line once reviewed.")


class Change(Strict):
    """One dated entry of the change log (data/changes.yaml): what changed in the data."""

    id: Id
    date: IsoDate
    kind: Literal["added", "revised", "status", "corrected", "removed", "note"] = Field(
        description="added: new report/item/figure; revised: a figure or text changed; status: an action's "
                    "status moved; corrected: an error fixed; removed: something withdrawn (keep its URL "
                    "with an alias); note: anything else.")
    summary: Text = Field(description="What changed, in the language of the source, one sentence.")
    summary_en: Optional[Text] = _en("summary")
    details: Optional[Text] = None
    reports: list[Id] = Field(default_factory=list)
    items: list[Id] = Field(default_factory=list)
    figures: list[Id] = Field(default_factory=list)


class SiteConfig(Strict):
    """Settings in site.yaml."""

    title: Text = Field(description="The site's title, in the data's language: shown on every page, in feeds and "
                                    "citations.")
    description: Text = Field(description="One sentence on what the site holds (the front page, search engines).")
    base_url: SiteUrl = Field(description="Absolute http(s) URL the site is published at, ending in /.")
    language: Language = Field("zh-CN", description="The language of the data and of the reports' texts (their "
                                                    "numbering, units and qualifiers are read in it).")
    languages: Optional[list[Language]] = Field(
        None, min_length=1, description="The site's editions: the first (the data's `language`) at the root, each "
                                        "other one under /<language>/ with the same ids (en: /en/items/<id>/). "
                                        "Default: the data's language alone.")
    title_en: Optional[Text] = _en("site title")
    description_en: Optional[Text] = _en("site description")
    publisher_en: Optional[Text] = _en("publisher name")
    corrections_url: WebUrl = Field(description="Where to report an error: an issue tracker URL or mailto: address.")
    data_licence: Text = Field(description="The licence of the data this site compiles, e.g. CC BY 4.0.")
    data_licence_url: WebUrl = Field(description="The address of that licence's text.")
    publisher: Text = Field(description="Who keeps this site: named in citations and the open data.")
    cname: Optional[Hostname] = Field(
        None, description="Custom domain for GitHub Pages, e.g. data.example.org; the build writes it to "
                          "site/CNAME. Set base_url to https://<this domain>/ as well.")
    as_of: Optional[IsoDate] = Field(
        None, description="The date the data stands at: an action past its target by then and not done is overdue. "
                          "Default: the latest date of a report or an update in the data; never the build "
                          "machine's clock.")
    listing_page_size: int = Field(
        100, ge=1, description="Rows a listing page shows: the figures and items indexes, area and vocabulary "
                               "entry pages are split into pages of this many (later pages at …/page/2/, …/page/3/); "
                               "the overview lists at most this many key figures, and this many items shared "
                               "among its areas (at least one each).")

    @model_validator(mode="after")
    def _editions(self) -> SiteConfig:
        if self.languages is not None:
            if self.languages[0] != self.language:
                raise ValueError(f"languages must start with the data's language ({self.language}): the first "
                                 "edition is the one at the site's root")
            if len(set(self.languages)) != len(self.languages):
                raise ValueError("languages lists a language twice")
        return self



VOCABULARIES: dict[str, type[VocabEntry]] = {
    "bodies": Body,
    "places": Place,
    "documents": Document,
    "tags": Tag,
    "statuses": Status,
}
"""Vocabulary name → model; each lives in data/<name>.yaml as a list."""
