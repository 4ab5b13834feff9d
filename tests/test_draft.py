"""`build.py draft`: a report's text → data marked unreviewed.  One test per rule family, on
sentences of the bundled (real) report and of made-up web texts in the genre's style
(tests/fixtures/draft/, marked as made up); the comparison with the hand-made data; a
property test that drafting never crashes and what it writes passes `check`; and `--strict`
refusing unreviewed data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civictrack.check import check_project
from civictrack.cli import main
from civictrack.draft import Options, TextProblem, draft_text
from civictrack.draft.actions import keywords_of, read_actions
from civictrack.draft.files import Refused, write_draft
from civictrack.draft.numbers import read_numbers, time_of
from civictrack.draft.refs import Vocab
from civictrack.draft.rules import load_rules
from civictrack.errors import ErrorSink
from civictrack.units import normalize, qualifier_of

from .conftest import ROOT, fresh_project
from .sitetools import run_build, run_cli

RULES = load_rules("zh-CN")
DRAFT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "draft"


def figure(sentence: str, written: str):
    found = [f for f in read_numbers(sentence, RULES).figures if f.written == written]
    assert found, f"no figure {written!r} in {sentence!r}: " + \
        repr([f.written for f in read_numbers(sentence, RULES).figures])
    return found[0]


def non_figures(sentence: str) -> dict[str, str]:
    return {sentence[n.start:n.end]: n.reason for n in read_numbers(sentence, RULES).non_figures}


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- figures: qualifiers, units and multipliers ----------------------------------------


@pytest.mark.parametrize("sentence, written, value, unit, qualifier", [
    ("平台访问量超4.4亿人次。", "超4.4亿人次", "4.4", "亿人次", "more_than"),
    ("普通高中招生计划数占比较上年提高近6个百分点,", "近6个百分点", "6", "个百分点", "nearly"),
    ("投入经费1.4亿余元,实施完成国培计划", "1.4亿余元", "1.4", "亿元", "more_than"),
    ("汇聚在线课程8100余门次、数字图书50余万册、数字资源600余万条,", "50余万册", "50", "万册", "more_than"),
    ("全市培训各级各类教师和教育管理者3万余人。", "3万余人", "3", "万人", "more_than"),
    ("新建改扩建幼儿园12所,新增学位约5400个,", "约5400个", "5400", "个", "about"),
    ("学前教育毛入园率保持在90%以上。", "90%以上", "90", "%", "at_least"),
    ("每个区县建成至少3所标准化学校。", "至少3所", "3", "所", "at_least"),
    ("受益群众逾100万人。", "逾100万人", "100", "万人", "more_than"),
    ("全年开展宣讲活动100多场。", "100多场", "100", "场", "more_than"),
    ("日均服务超过1.2万人次。", "超过1.2万人次", "1.2", "万人次", "more_than"),
    ("将近30个区县完成评估。", "将近30个区县", "30", "个区县", "nearly"),
])
def test_qualifiers_are_read_into_the_figure(sentence: str, written: str, value: str, unit: str,
                                             qualifier: str) -> None:
    found = figure(sentence, written)
    assert (found.value, found.unit, found.qualifier) == (value, unit, qualifier)
    assert qualifier_of(found.written) == qualifier  # what `check` reads from the written form


def test_every_qualifier_word_of_the_rules_reads_the_same_in_check() -> None:
    for word, meaning in RULES.qualifiers_before:
        assert qualifier_of(f"{word}5个") == meaning, word
    for word, meaning in RULES.qualifiers_after:
        assert qualifier_of(f"5{word}个") == meaning, word
    for word, meaning in RULES.qualifiers_after_unit:
        assert qualifier_of(f"5个{word}") == meaning, word


@pytest.mark.parametrize("sentence, written, unit, normalised", [
    ("全市57.5万名义务教育阶段学生使用", "57.5万名", "万名", ("575000", "名")),
    ("全年安排市级补助资金2715万元。", "2715万元", "万元", ("27150000", "元")),
    ("汇聚在线课程8100余门次、", "8100余门次", "门次", ("8100", "门次")),
    ("共增设投放684个副高级教师岗位", "684个", "个", ("684", "个")),
    ("正在对8个区县开展县域义务教育优质均衡发展市级督导评估", "8个区县", "个区县", ("8", "个区县")),
    ("截至目前全市学前教育毛入园率达到93.06%、", "93.06%", "%", ("93.06", "%")),
    ("增加普通高中学位1.9万个。", "1.9万个", "万个", ("19000", "个")),
    ("全年全市安排各类教育专项转移支付资金175.7亿元,", "175.7亿元", "亿元", ("17570000000", "元")),
])
def test_units_and_multipliers(sentence: str, written: str, unit: str, normalised: tuple[str, str]) -> None:
    found = figure(sentence, written)
    assert found.unit == unit
    number, base = normalize(found.value, found.unit)
    assert (format(number.normalize(), "f"), base) == normalised


def test_thousands_separators_and_full_width_digits_stay_as_written(tmp_path: Path) -> None:
    found = figure("共收到代表建议1,284件,占93.2%。", "1,284件")
    assert (found.value, found.unit) == ("1,284", "件") and normalize(found.value, found.unit)[0] == 1284
    found = figure("群众满意度达到９８．５％。", "９８．５％")
    assert found.value == "９８．５" and str(normalize(found.value, found.unit)[0]) == "98.5"
    project = fresh_project(tmp_path / "p")
    text = tmp_path / "t.txt"
    text.write_text("关于代表建议办理情况的报告\n共收到代表建议1,284件,已全部办复,满意率达到９８．５％。\n", encoding="utf-8")
    assert main(["--root", str(project), "draft", str(text), "--id", "t", "--date", "2025-01-01",
                 "--issuer", "cq-government"]) == 0
    item = _read(project, "data/items/t-p2.yaml")
    assert [(f["value"], f["written"]) for f in item["figures"]] == [("1,284", "1,284件"), ("９８．５", "９８．５％")]
    assert main(["--root", str(project), "check"]) == 0  # every number accounted for, as written


def test_a_project_extends_the_rules(tmp_path: Path) -> None:
    sentence = "新增养老床位500张,护理型床位320床。"
    assert "320" in "".join(non_figures(sentence))  # 床 is no unit of the generator's rules
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "zh-CN.yaml").write_text("units: [床]\n", encoding="utf-8")
    rules = load_rules("zh-CN", tmp_path)
    assert [f.written for f in read_numbers(sentence, rules).figures] == ["500张", "320床"]


# --- non-figures -------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, text, reason", [
    ("2024年6月18日,市六届人大常委会第二十二次主任会议审议通过", "2024年6月18日", "日期"),
    ("研究制定《重庆加快建设教育强市推进教育现代化规划(2024—2035年)》。", "2024—2035年", "年份区间"),
    ("印发《关于加强养老服务的意见》(渝府发〔2024〕12号)。", "〔2024〕12号", "文号"),
    ("完成全市教育数据仓软件和“重庆市教育实景图V1.0”部署,", "V1.0", "名称或型号中的数字"),
    ("全市5个项目通过国家“5G+智慧教育”应用试点验收,", "5G", "名称或型号中的数字"),
    ("系统部署“33356”学生健康促进工作体系。", "33356", "名称中的数字"),
    ("将每年5月设立为重庆市中小学“五育润心”心理健康主题宣传月", "每年5月", "日期"),
    ("19个案例入选教育部2024年度智慧教育优秀案例。", "2024年度", "年份"),
    ("计划于2026年6月底前完成全部在办建议的答复。", "2026年6月底", "日期"),
])
def test_non_figures_get_their_reason(sentence: str, text: str, reason: str) -> None:
    assert non_figures(sentence).get(text) == reason, non_figures(sentence)


def test_month_ranges_and_open_comparisons() -> None:
    assert non_figures("2024年1—10月,全市规模以上工业增加值增长8.5%。")["1—10月"] == "日期"
    text = "中小学生近视率为52.3%,较2023年下降1.2个百分点。"
    assert figure(text, "52.3%").comparison == ("change", "较2023年下降1.2个百分点")
    assert figure("全市规模以上工业增加值增长8.5%。", "8.5%").qualifier == "exact"  # 以上 of a name


def test_header_lines_of_a_web_page() -> None:
    from civictrack.draft.text import clean_lines, read_header

    raw = ("索引号：11500000/2024-00123\n主题分类：教育\n文章来源: 某网 发布时间: 2024-09-01 责任编辑: 某某\n+|-\n"
           "重庆市人民政府\n关于某项工作情况的报告\n"
           "——2024年8月27日在市六届人大常委会第十次会议上\n市人民政府副市长 某某\n市人大常委会：\n"
           "　　现将有关情况报告如下。\n上一篇：关于另一项工作的报告\n")
    lines = clean_lines(raw, RULES)
    assert lines[0] == "重庆市人民政府" and lines[-1] == "现将有关情况报告如下。"
    header, body = read_header(lines)
    assert (header.title, header.date, header.meeting, header.addressee) == (
        "重庆市人民政府关于某项工作情况的报告", "2024-08-27", "市六届人大常委会第十次会议", "市人大常委会")
    assert lines[body] == "现将有关情况报告如下。"


def test_a_pasted_page_that_repeats_the_heading() -> None:
    """A page with its own heading lines above the report: the date line the salutation follows
    is the report's, and the title the lines right above it."""
    from civictrack.draft.text import clean_lines, read_header

    raw = ("2023年 某市人民政府关于某项工作情况的报告\n某局局长 某某(受市政府委托)\n2023年8月30日于会议厅\n"
           "(在某市第五届人民代表大会常务委员会第九次会议上)\n• 相关导览\n某市人民政府关于某项工作情况的报告\n"
           "——2023年8月30日在某市第五届人民代表大会常务委员会第九次会议上\n某局局长 某 某\n某市人大常委会:\n"
           "受市政府委托,我向市人大常委会报告有关情况,请审议。\n")
    lines = clean_lines(raw, RULES)
    header, body = read_header(lines)
    assert (header.title, header.date, header.meeting, header.addressee) == (
        "某市人民政府关于某项工作情况的报告", "2023-08-30", "某市第五届人民代表大会常务委员会第九次会议", "某市人大常委会")
    assert lines[body].startswith("受市政府委托")


def test_list_numbering_is_no_figure() -> None:
    found = read_numbers("1.推进居家养老。为8000余户家庭实施适老化改造。", RULES, "1.")
    assert [f.written for f in found.figures] == ["8000余户"]
    assert [(n.start, n.reason) for n in found.non_figures] == [(0, "编号")]


def test_a_number_without_a_unit_is_listed_not_guessed() -> None:
    found = read_numbers("群众满意度测评得分为96。", RULES)
    assert found.figures == [] and [n.reason for n in found.non_figures] == ["没有单位，未当作数字记录"]


def test_rank_is_a_figure_with_a_rank_comparison() -> None:
    found = figure("其中3个项目入选应用试点全国典型,入选数量居全国第3;", "第3")
    assert (found.value, found.unit, found.comparison) == ("3", "位", ("rank", "居全国第3"))


def test_chinese_numerals_count_only_before_their_units() -> None:
    assert figure("发布检查表,组织开展两轮拉网式风险排查,", "两轮").value == "两"
    for sentence in ("市委六届六次全会召开后,推动", "采取新建、改扩建一批公办园的方式", "严格落实“两个只增不减”要求"):
        assert read_numbers(sentence, RULES).figures == [], sentence


# --- comparisons, time, quotes --------------------------------------------------------------


def test_comparisons_as_stated() -> None:
    text = "同时,积极争取中央资金支持,全年全市安排各类教育专项转移支付资金175.7亿元,较上年增加33.71亿元。"
    assert figure(text, "175.7亿元").comparison == ("change", "较上年增加33.71亿元")
    assert figure(text, "33.71亿元").comparison is None  # the change itself stays its own figure
    text = "截至目前全市学前教育毛入园率达到93.06%、公办园在园幼儿占比达到56.56%、普惠率达到94.61%,均高于全国平均水平。"
    assert {figure(text, w).comparison for w in ("93.06%", "56.56%", "94.61%")} == \
        {("national_average", "均高于全国平均水平")}
    text = "专项资金由现行的每年400万元提高到每年700万元,着力解决重庆西藏中学资金缺口问题。"
    assert figure(text, "700万元").comparison == ("from_to", "由现行的每年400万元提高到每年700万元")
    assert figure(text, "400万元").comparison is None


@pytest.mark.parametrize("sentence, written, expected", [
    ("今年,全市57.5万名义务教育阶段学生使用系统完成报名入学工作,", "57.5万名", ("2024", None)),
    ("截至目前全市学前教育毛入园率达到93.06%、", "93.06%", (None, "2024-12-27")),
    ("2024年,我市基础教育领域获评全国教育系统先进集体11个、", "11个", ("2024", None)),
    ("截至2024年6月底,全市累计建成120个社区食堂。", "120个", (None, "2024-06-30")),
    ("全年培训养老护理员3600余人次,持证率由去年的61.5%提高到78.3%。", "61.5%", ("2023", None)),
    ("全年培训养老护理员3600余人次,持证率由去年的61.5%提高到78.3%。", "78.3%", ("2024", None)),
    ("新增普通高中学校6所,", "6所", (None, "2024-12-27")),
])
def test_period_or_as_of_from_the_sentence(sentence: str, written: str, expected: tuple) -> None:
    assert time_of(sentence, figure(sentence, written), RULES, "2024-12-27") == expected


def test_quote_is_the_whole_sentence_and_repeats_are_counted() -> None:
    text = ("持续实施普通高中发展促进计划,提高普通高中多样化发展品质,批准14所学校开展综合高中试点工作,"
            "立项建设课程创新基地20个、校本教研基地20个、新课程新教材实施示范校35个。下一句。")
    found = [f for f in read_numbers(text, RULES).figures if f.written == "20个"]
    assert [f.occurrence for f in found] == [1, 2]
    assert text[found[1].quote.start:found[1].quote.end] == text[:text.index("。") + 1]


# --- statuses ------------------------------------------------------------------------------


def actions_of(sentence: str) -> list[tuple[str, str, str]]:
    vocab = Vocab.read(ROOT)
    found = read_actions(sentence, 0, keywords_of(vocab.statuses()), RULES)
    return [(sentence[a.start:a.end], a.basis, a.status) for a in found]


@pytest.mark.parametrize("sentence, basis, status", [
    ("市教委深入开展阳光招生专项行动和基础教育“规范管理年”行动", "深入开展", "ongoing"),
    ("研究制定《重庆市加快推进基础教育发展共同体建设的指导意见》", "研究制定", "in-progress"),
    ("拟作为《规划》的配套文件。", "拟", "planned"),
    ("将教共体建设纳入教育强市建设“四重清单”", "纳入", "done"),  # 将 here marks the object: no plan
    ("努力增加高中阶段特殊教育学位供给。", "努力", "statement"),
    ("实施完成国培计划、市培计划、教师素质提升计划等项目", "实施完成", "done"),  # the longer word wins
    ("全国教育大会和全市教育大会召开后,市政府围绕打造西部基础教育高地,研究制定《规划》。", "研究制定", "in-progress"),
    ("正在研究制定养老护理员岗位津贴办法", "正在", "in-progress"),
    ("截至目前,已全部办复", "办复", "done"),
    ("代表提出的建议已全部办理完毕", "办理完毕", "done"),
    ("其中12件议案已提请常委会审议", "提请", "in-progress"),
    ("其余议案涉及的项目已列入立法规划", "列入", "planned"),
    ("力争2025年底前完成全部改造任务", "力争", "planned"),
    ("继续实施农村义务教育学生营养改善计划", "继续", "ongoing"),
])
def test_status_keywords(sentence: str, basis: str, status: str) -> None:
    found = actions_of(sentence)
    assert [(b, s) for _, b, s in found][:1] == [(basis, status)], found


def test_a_sentence_with_two_measures_gives_two_actions() -> None:
    sentence = ("市教委深入开展阳光招生专项行动,先后召开全市中小学招生工作会等17次专题会议,"
                "对整治违规招生等问题提出要求;")
    found = actions_of(sentence)
    assert [(q, b) for q, b, _ in found] == [
        ("市教委深入开展阳光招生专项行动", "深入开展"),  # no mark: the measure ends with its clause
        ("先后召开全市中小学招生工作会等17次专题会议,对整治违规招生等问题提出要求;", "召开")]


# --- the bundled report against its hand-made data --------------------------------------------


def test_draft_of_the_bundled_report_reproduces_the_hand_made_data(tmp_path: Path) -> None:
    from bench.draft_compare import compare, draft_into

    result = compare(tmp_path / "p", draft_into(tmp_path / "p"))
    print(f"figures {result.figures_same}/{result.figures}, statuses {result.statuses_same}/{result.actions}, "
          f"areas {result.areas_same}/{result.areas}, items {result.items_same}/{result.items}")
    assert result.figures == 61 and result.actions == 87
    assert result.figure_share >= 0.95, result.figures_missing + result.figures_wrong
    assert result.status_share >= 0.80, result.statuses_wrong
    assert (result.areas_same, result.items_same) == (5, 15)
    assert result.check.startswith("OK"), result.check


def test_full_width_punctuation_and_web_indentation_draft_the_same(tmp_path: Path) -> None:
    """The bundled text with its half-width marks made full-width, each line indented and page
    lines around it, as another site would publish it: the same figures and statuses."""
    text = (ROOT / "content" / "reports" / "cq-2024-edu-response.txt").read_text(encoding="utf-8")
    variant = text.translate(str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}))
    variant = "首页 > 政务公开\n" + "\n".join("　　" + line for line in variant.splitlines()) + "\n【打印】【关闭】\n"

    def figures_and_statuses(raw: str, folder: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
        draft, _, _ = draft_text(fresh_project(folder), raw, Options("r"))
        figures = [(f["value"], f["unit"], f.get("qualifier", "exact")) for i in draft.items for f in i.get("figures", [])]
        return figures, [a["status"] for i in draft.items for a in i["actions"]]

    assert figures_and_statuses(variant, tmp_path / "b") == figures_and_statuses(text, tmp_path / "a")


# --- web texts, structure, references ------------------------------------------------------------


def _draft(project: Path, name: str, report_id: str, *extra: str) -> None:
    assert main(["--root", str(project), "draft", str(DRAFT_FIXTURES / name), "--id", report_id, *extra]) == 0


def _read(project: Path, relative: str):
    return yaml.safe_load((project / relative).read_text(encoding="utf-8"))


def test_a_response_pasted_from_a_web_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-response.txt", "demo-care")
    stored = (project / "content" / "reports" / "demo-care.txt").read_text(encoding="utf-8")
    for stray in ("首页", "来源", "查看原文", "【字体", "\u3000"):
        assert stray not in stored
    report = _read(project, "data/reports/demo-care.yaml")
    assert report["title"] == ("示例市人民政府关于《示例市人大常委会关于全市养老服务工作情况报告的审议意见》"
                               "研究处理情况的报告")  # from two lines
    assert (report["date"], report["kind"], report["unreviewed"]) == ("2025-09-26", "government_response", True)
    assert report["meeting"] == "示例市第七届人民代表大会常务委员会第十八次会议"
    assert "addressee" not in report  # 市人大常委会 of 示例市 is not Chongqing's
    assert [(a["number"], a["title"]) for a in report["areas"]] == [
        ("一", "关于完善养老服务网络"), ("二", "关于加强养老人才队伍建设"), ("三", "关于强化资金保障")]
    items = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "data" / "items").glob("*.yaml")}
    assert sorted(items) == ["demo-care-p6", "demo-care-s1-1", "demo-care-s1-2", "demo-care-s2-1", "demo-care-s2-2"]
    points = items["demo-care-s1-2"]
    assert points["title"] == "扩大服务供给"
    assert {a.get("paragraph") for a in points["actions"]} == {"s1-2-1", "s1-2-2"}  # from its 1. and 2.
    figures = {f["written"]: f for i in items.values() for f in i.get("figures", [])}
    assert figures["超过1.2万人次"]["qualifier"] == "more_than"
    assert figures["78.3%"]["comparison"] == {"kind": "from_to", "text": "由去年的61.5%提高到78.3%"}
    assert figures["2.35亿元"]["comparison"] == {"kind": "change", "text": "同比增长12.6%"}
    assert all(f["unreviewed"] for f in figures.values()) and all(i["unreviewed"] for i in items.values())
    documents = _read(project, "data/documents.yaml")
    assert {"id": "demo-care-doc-1", "kind": "document", "name": "示例市养老服务设施布局专项规划（2025—2035年）",
            "unreviewed": True} in documents
    assert {"id": "demo-care-place-1", "name": "东湖区", "kind": "district", "unreviewed": True} in \
        _read(project, "data/places.yaml")
    assert report["issuer"] == "demo-care-body-1"
    assert _read(project, "data/bodies.yaml")[-1] == {"id": "demo-care-body-1", "name": "示例市人民政府",
                                                      "kind": "government", "unreviewed": True}
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 0
    out = capsys.readouterr().out
    assert "unreviewed (marked 待核对 on the site): 1 reports, 5 items, 14 figures, 3 vocabulary entries" in out


def test_a_report_on_suggestions_without_numbering(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-suggestions.txt", "demo-suggestions", "--issuer", "cq-government")
    report = _read(project, "data/reports/demo-suggestions.yaml")
    assert (report["date"], report["kind"]) == ("2025-11-18", "government_report")
    assert [(a["number"], a["title"]) for a in report["areas"]] == [("全文", "报告正文")]
    items = sorted((project / "data" / "items").glob("*.yaml"))
    assert [p.stem for p in items] == ["demo-suggestions-p4", "demo-suggestions-p5", "demo-suggestions-p6",
                                       "demo-suggestions-p7"]  # the closing lines are no items
    first = yaml.safe_load(items[0].read_text(encoding="utf-8"))
    pair = [(f["written"], f["label"]) for f in first["figures"][:2]]
    assert pair == [("1284件", "市政府共承办市七届人大四次会议代表建议"), ("93.2%", "占代表建议总数的")]
    last = yaml.safe_load(items[-1].read_text(encoding="utf-8"))
    assert [(a["status_basis"], a["status"]) for a in last["actions"]][-1] == ("计划于", "planned")
    assert main(["--root", str(project), "check"]) == 0


def test_sections_without_headings_group_the_paragraphs_after_them(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "sections-only.txt", "county")
    first, second = (_read(project, f"data/items/county-{a}.yaml") for a in ("p4", "p6"))
    assert (first["number"], first["title"], second["number"], second["title"]) == (
        "（一）", "关于农村供水保障", "（二）", "关于人居环境整治")
    assert [(a["status_basis"], a["status"], a["paragraph"]) for a in first["actions"]] == [
        ("新建", "done", "p5"), ("达到", "done", "p5"), ("力争", "planned", "p5")]
    assert [(f["written"], f["value"]) for f in second["figures"]] == [("3,200户", "3,200"), ("12个", "12")]
    assert first["figures"][1]["comparison"] == {"kind": "change", "text": "较上年提高1.2个百分点"}
    assert main(["--root", str(project), "check"]) == 0


def test_review_opinions_give_asks_as_the_hand_made_example_has_them(tmp_path: Path) -> None:
    """The opinions of examples/series (made up): the draft's asks are the hand-made asks."""
    project = fresh_project(tmp_path / "p")
    series = ROOT / "examples" / "series"
    assert main(["--root", str(project), "draft", str(series / "content" / "reports" / "shili-2024-edu-opinions.txt"),
                 "--id", "op", "--date", "2024-03-20"]) == 0
    drafted = _read(project, "data/reports/op.yaml")
    hand = _read(series, "data/reports/shili-2024-edu-opinions.yaml")
    assert drafted["kind"] == "review_opinions" and "areas" not in drafted
    keys = ("number", "title", "quote", "paragraph")
    assert [{k: a[k] for k in keys} for a in drafted["asks"]] == [{k: a[k] for k in keys} for a in hand["asks"]]
    assert not (project / "data" / "items").exists()
    assert main(["--root", str(project), "check"]) == 0


def test_draft_never_overwrites_and_writes_nothing_on_a_clash(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-suggestions.txt", "demo-suggestions")
    before = tree(project)
    assert main(["--root", str(project), "draft", str(DRAFT_FIXTURES / "web-suggestions.txt"),
                 "--id", "demo-suggestions"]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "content/reports/demo-suggestions.txt" in err
    assert tree(project) == before
    # an id the project already uses elsewhere: refused too
    assert main(["--root", str(project), "draft", str(DRAFT_FIXTURES / "web-suggestions.txt"),
                 "--id", "cq-2024-edu-opinions"]) == 1
    assert "cq-2024-edu-opinions" in capsys.readouterr().err and tree(project) == before


def test_draft_explains_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fresh_project(tmp_path / "p")
    text = tmp_path / "t.txt"
    text.write_text("关于某项工作的情况\n完成了3项工作。\n", encoding="utf-8")
    assert main(["--root", str(project), "draft", str(text), "--id", "x"]) == 1
    assert "pass --date" in capsys.readouterr().err
    text.write_bytes("完成了3项工作。".encode("gb18030"))
    assert main(["--root", str(project), "draft", str(text), "--id", "x", "--date", "2025-01-01"]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    text.write_text("一、甲\n完成了3项。\n一、乙\n", encoding="utf-8")
    assert main(["--root", str(project), "draft", str(text), "--id", "x", "--date", "2025-01-01"]) == 1
    assert "numbering repeats" in capsys.readouterr().err
    assert main(["--root", str(project), "draft", str(text), "--id", "Bad_Id"]) == 1
    assert not (project / "content").exists()


# --- strict: unreviewed data is never published by accident ------------------------------------------


def _mark_reviewed(project: Path) -> None:
    for path in (project / "data").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^\s*unreviewed: true\n", "", text), encoding="utf-8")


def test_strict_refuses_unreviewed_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-suggestions.txt", "demo-suggestions", "--issuer", "cq-government")
    assert main(["--root", str(project), "check", "--strict"]) == 1
    assert "--strict: unreviewed (marked 待核对 on the site): 1 reports, 4 items, 10 figures" in capsys.readouterr().err
    out = tmp_path / "site"
    done = run_build(project, out, None, "--strict", "--no-search", "--corrections-url",
                     "https://github.com/owner/repo/issues/new")
    assert done.returncode == 1 and "nothing was written" in done.stderr and not out.exists()
    _mark_reviewed(project)
    assert not re.search(r"(?m)^[^#\n]*unreviewed", "".join(p.read_text(encoding="utf-8")
                                                           for p in (project / "data").rglob("*.yaml")))
    assert main(["--root", str(project), "check", "--strict"]) == 0
    done = run_build(project, out, None, "--strict", "--no-search", "--corrections-url",
                     "https://github.com/owner/repo/issues/new")
    assert done.returncode == 0, done.stderr
    assert "待核对" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_the_site_marks_unreviewed_items_and_figures(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-suggestions.txt", "demo-suggestions", "--issuer", "cq-government")
    out = tmp_path / "site"
    done = run_build(project, out, None, "--no-search")
    assert done.returncode == 0, done.stderr
    item = (out / "items" / "demo-suggestions-p4" / "index.html").read_text(encoding="utf-8")
    assert item.count('class="badge badge-unreviewed"') >= 1 + 6  # the title, and each of its 6 figures
    assert "本项由报告原文自动起草，编辑尚未逐项核对" in item
    figure_page = (out / "figures" / "demo-suggestions-p4-1" / "index.html").read_text(encoding="utf-8")
    assert "本数字由报告原文自动起草" in figure_page and "待核对" in figure_page
    report = (out / "reports" / "demo-suggestions" / "index.html").read_text(encoding="utf-8")
    assert "待核对" in report


def test_the_bundled_site_has_no_unreviewed_mark(example_site: Path) -> None:
    assert not any("badge-unreviewed" in p.read_text(encoding="utf-8") for p in example_site.rglob("*.html"))


def test_review_view_colours_every_number(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    _draft(project, "web-response.txt", "demo-care")
    page = tmp_path / "review.html"
    done = run_cli(project, "review", "demo-care", "--out", str(page))
    assert done.returncode == 0, done.stderr
    assert "14 figures (14 unreviewed)" in done.stdout and "0 numbers not accounted for" in done.stdout
    html = page.read_text(encoding="utf-8")
    for written in ("超过1.2万人次", "8000余户", "2.35亿元"):
        assert re.search(r'<span class="fig unrev[^"]*" title="[^"]*">' + re.escape(written) + "<", html), written
    assert '<span class="nonfig" title="不是数字：日期">2025年9月26日</span>' in html
    assert 'class="missing" title=' not in html  # (the legend shows the colour without a title)


def test_the_preview_keeps_a_review_page_of_each_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from civictrack.preview.serve import Preview

    monkeypatch.setenv("CIVICTRACK_CACHE", str(tmp_path / "cache"))
    project = fresh_project(tmp_path / "p")
    _draft(project, "sections-only.txt", "county")
    preview = Preview(project, tmp_path / "serve", "/repo/", 8000, "127.0.0.1")
    assert preview.rebuild()
    page = tmp_path / "serve" / "repo" / "_review" / "county.html"
    assert '<span class="fig unrev" title="' in page.read_text(encoding="utf-8")
    item = project / "data" / "items" / "county-p4.yaml"  # the editor reviews one figure: its mark goes
    item.write_text(item.read_text(encoding="utf-8").replace("  unreviewed: true\n", "", 1), encoding="utf-8")
    assert preview.rebuild()
    assert page.read_text(encoding="utf-8").count('class="fig unrev" title=') == 4  # of 5
    _mark_reviewed(project)
    assert preview.rebuild() and not page.exists()  # nothing left to review


# --- drafting never crashes, and what it writes passes check -------------------------------------------

FRAGMENTS = ["一、", "二、", "（一）", "(二)", "1.", "2、", "2024年", "6月", "18日", "57.5", "3", "17", "0.8",
             "万", "亿", "余", "超", "近", "约", "多", "个", "人", "名", "%", "个百分点", "第", "两轮", "一批",
             "，", ",", "。", "；", ";", "：", "、", "《", "》", "“", "”", "(", ")", "（", "）", "完成", "正在",
             "拟", "持续", "开展", "推进", "召开后", "较上年增加", "由", "提高到", "均高于全国平均水平", "截至目前",
             "东湖区", "市", "县", "V1.0", "5G", "〔2024〕12号", "\n", "　", " ", "来源:", "查看原文",
             "特此报告。", "重庆市人民政府关于", "的报告", "的审议意见", "建议", "市教委", "(2024年12月27日在市六届人大常委会第十三次会议上)",
             "\t", "\x85", "\u2028", "\x00", "x", "'", '"', "#", ": ", "- ", "&", "*", "!", "|", ">", "{", "}", "[", "]", "@", "\\"]


KEYWORDS = ["完成", "正在", "拟", "持续", "开展", "推进", "印发", "召开后", "新增", "着力"]
ANY_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))  # controls: in FRAGMENTS
LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(KEYWORDS), ANY_CHARACTER),
                min_size=1, max_size=16).map("".join)


HEADER = "重庆市人民政府关于某项工作情况的报告\n(2024年12月27日在市六届人大常委会第十三次会议上)\n市人大常委会:\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(parts=st.lists(LINE, min_size=1, max_size=14), header=st.booleans())
def test_draft_never_crashes_and_what_it_writes_passes_check(tmp_path_factory: pytest.TempPathFactory,
                                                            parts: list[str], header: bool) -> None:
    project = fresh_project(tmp_path_factory.mktemp("prop") / "p")
    raw = (HEADER if header else "") + "\n".join(parts)
    try:
        draft, text, vocab = draft_text(project, raw, Options("prop-report", issuer="cq-government",
                                                              date="2025-01-01"))
    except TextProblem as problem:
        event("refused: " + str(problem).split(":")[0][:40])
        assert str(problem)  # refused, with a reason; nothing written
        assert not (project / "content").exists()
        return
    try:
        write_draft(project, draft, text, vocab)
    except Refused as refused:  # pragma: no cover - a fresh project has no clash
        pytest.fail(str(refused))
    event(f"written: {len(draft.items)} item(s), figures: {min(draft.figure_count, 3)}+")
    sink = ErrorSink()
    data = check_project(project, sink)
    assert data is not None, "\n".join(str(e) for e in sink.sorted()) + "\n--- text:\n" + text
