"""The batch workbook layout: ONE table of sheets and columns.

The template writer, the readers (xlsx and CSV) and the 填写说明 sheet are all driven by SHEETS below,
so a column is added or renamed in exactly one place.

Field paths: a 人员 column's `field` is its dotted path in the applicant document (`employer.kind`);
a detail column's `field` is the key inside one list row (`base`), and the row lands at `list_path[i]`.
The 家庭 sheet is special: each row is the spouse or a child (column 关系).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jifen_check.labels import ARCHIVE_ZH, EDU_LEVEL_ZH, EDU_MODE_ZH, PERMIT_ZH, QUAL_KIND_ZH

Kind = Literal["text", "id", "number", "int", "bool", "tristate", "enum", "date", "month", "date_list"]


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header, as written by the template
    field: str  # English field name (also accepted as a header)
    kind: Kind
    help: str
    example: object = None
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()  # enum: (code, Chinese label)
    aliases: tuple[str, ...] = ()
    applies_to: frozenset[str] = frozenset()  # 家庭 only: {"spouse", "child"}
    width: int = 14

    def names(self) -> tuple[str, ...]:
        """Every header text that selects this column."""
        return (self.header, self.field, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    key: str  # English sheet / CSV file name
    title: str  # Chinese sheet / CSV file name
    help: str
    columns: tuple[Column, ...]
    list_path: str | None = None  # applicant list the rows go to; None for 人员 and 家庭
    join: bool = True  # rows carry 工号 / 身份证号 to join on


YES_NO = (("true", "是"), ("false", "否"))
TRISTATE = (("true", "是"), ("false", "否"), ("unknown", "不清楚"))

# The choices of enum columns whose words messages also quote come from labels.py (one table).
ARCHIVE = tuple(ARCHIVE_ZH.items())
PERMIT = tuple(PERMIT_ZH.items())
EMPLOYER_KIND = (
    ("enterprise", "企业"),
    ("public_institution", "事业单位"),
    ("social_organization", "社会团体"),
    ("private_non_enterprise", "民办非企业单位"),
    ("individual_business", "个体工商户"),
    ("branch_of_nonlocal", "本市单位外地分支机构"),
    ("nonlocal_representative_office", "外省市驻沪办事处"),
    ("labor_dispatch", "劳务派遣单位"),
)
AWARD_LEVEL = (
    ("municipal_special", "市级委办局专项奖"),
    ("municipal_comprehensive", "市级综合性表彰"),
    ("provincial_or_higher", "省部级及以上"),
)
TALENT = (("startup", "创业人才"), ("intermediary", "创新创业中介服务人才"))
MARITAL = (("single", "未婚"), ("married", "已婚"), ("divorced", "离异"), ("widowed", "丧偶"))
EDU_LEVEL = tuple(EDU_LEVEL_ZH.items())
EDU_MODE = tuple(EDU_MODE_ZH.items())
QUAL_KIND = tuple(QUAL_KIND_ZH.items())
QUAL_LEVEL = (
    ("junior", "初级职称"),
    ("intermediate", "中级职称"),
    ("senior", "高级职称"),
    ("5", "五级/初级工"),
    ("4", "四级/中级工"),
    ("3", "三级/高级工"),
    ("2", "二级/技师"),
    ("1", "一级/高级技师"),
)
OBTAINED_BY = (("exam", "考试"), ("review", "评审"))
RELATION = (("spouse", "配偶"), ("child", "子女"))

USCC_EX = "91310115MA1K3P7Q01"

KEY_COLUMNS = (
    Column("工号", "employee_no", "text", "员工工号，用于与「人员」表关联；与身份证号至少填一个", "示例001"),
    Column("身份证号", "id_number", "id", "申请人身份证号；工号为空时用它关联", "320102199605101239", width=22),
)


def _c(header: str, fld: str, kind: Kind, help_: str, example: object = None, **kw: object) -> Column:
    return Column(header, fld, kind, help_, example, **kw)  # type: ignore[arg-type]


PERSONS = Sheet(
    "persons",
    "人员",
    "每位申请人一行。带 * 的列必填；其余留空表示“未申报”。",
    (
        _c("工号", "person.employee_no", "text", "员工工号；各明细表用它关联。建议填写且不重复", "示例001",
           aliases=("employee_no",)),
        _c("姓名", "person.name", "text", "申请人姓名", "示例 张三", required=True),
        _c("身份证号", "person.id_number", "id", "18 位居民身份证号码（请按文本填写，勿让 Excel 转成数字）",
           "320102199605101239", required=True, aliases=("id_number",), width=22),
        _c("出生日期", "person.birth_date", "date", "可不填；填写时须与身份证号一致", None),
        _c("户籍省份", "person.hukou_province", "text", "户籍所在省份，用于三地一致判断", "江苏"),
        _c("人事档案", "person.personnel_archive", "enum", "人事档案状态", "ok", options=ARCHIVE),
        _c("申请日期", "as_of", "date", "申请日期；不填时用命令行 --as-of 或今天", None),
        _c("居住证状态", "residence_permit.status", "enum", "《上海市居住证》状态", "valid", required=True,
           options=PERMIT),
        _c("居住证有效期至", "residence_permit.valid_until", "date", "居住证有效期截止日", "2027-09-30"),
        _c("居住证领取或签注日期", "residence_permit.issued_or_renewed_on", "date", "最近一次领取或签注日期",
           "2026-09-20"),
        _c("单位名称", "employer.name", "text", "申请单位名称", "上海示例科技有限公司", required=True, width=24),
        _c("单位信用代码", "employer.uscc", "id", "申请单位 18 位统一社会信用代码", USCC_EX, required=True, width=22),
        _c("单位类型", "employer.kind", "enum", "单位类型；不填视为企业", "enterprise", options=EMPLOYER_KIND),
        _c("派遣经营许可证", "employer.dispatch_license", "bool", "劳务派遣单位：持有劳务派遣经营许可证或人力资源服务许可证",
           None, options=YES_NO),
        _c("派遣协议齐全", "employer.dispatch_agreements", "bool", "劳务派遣单位：派遣协议和派遣岗位协议齐全", None,
           options=YES_NO),
        _c("单位已在积分系统登记", "employer.points_system_registered", "bool", "单位是否已在积分系统登记", "true",
           options=YES_NO),
        _c("合同单位信用代码", "contract.employer_uscc", "id", "劳动合同签订单位的信用代码；不填视为申请单位", None,
           width=22),
        _c("合同开始日期", "contract.start", "date", "劳动（聘用）合同开始日期", "2022-01-01", required=True),
        _c("合同结束日期", "contract.end", "date", "合同结束日期；无固定期限合同留空或写「无固定期限」", None),
        _c("岗位", "contract.position", "text", "现任岗位", "软件工程师"),
        _c("婚姻状况", "family.marital_status", "enum", "婚姻状况；配偶、子女写在「家庭」表", None, options=MARITAL),
        _c("结婚日期", "family.marriage_date", "date", "结婚证日期", None),
        _c("紧缺专业名称", "bonuses.shortage_major.major", "text", "紧缺急需专业加分：专业名称", None),
        _c("紧缺专业代码", "bonuses.shortage_major.major_code", "text", "紧缺急需专业加分：专业代码（文本）", None),
        _c("专业在紧缺目录", "bonuses.shortage_major.on_catalogue", "bool", "专业在本市紧缺急需专业目录内", None,
           options=YES_NO),
        _c("岗位与紧缺专业相符", "bonuses.shortage_major.job_matches", "bool", "所在岗位与该专业相符", None,
           options=YES_NO),
        _c("投资年均个人纳税额", "bonuses.investment.avg_annual_tax_personal_share", "number",
           "投资创业加分：近 3 年按个人投资份额计算的年均纳税额（元）", None),
        _c("投资年均聘用本市户籍人数", "bonuses.investment.avg_annual_hukou_hires", "number",
           "投资创业加分：近 3 年年均聘用本市户籍人数", None),
        _c("连续投资年数", "bonuses.investment.consecutive_years", "int", "在沪连续投资年数；不填视为已满 3 年", None),
        _c("公共服务领域工作年限", "bonuses.public_service_years", "int", "在公共服务领域（如环卫）工作的满年数", None),
        _c("重点区域", "bonuses.remote_area.area", "text", "远郊重点区域名称（如 临港）", None),
        _c("重点区域满年数", "bonuses.remote_area.full_years", "int", "在该区域工作满年数", None),
        _c("在重点区域工作且居住", "bonuses.remote_area.works_and_lives", "bool", "在该区域既工作又居住", None,
           options=YES_NO),
        _c("应届毕业生", "bonuses.fresh_graduate", "bool", "以应届毕业生身份申请", None, options=YES_NO),
        _c("奖项级别", "bonuses.awards[0].level", "enum", "获得的最高表彰奖励级别（只计最高一项）", None,
           options=AWARD_LEVEL),
        _c("获奖日期", "bonuses.awards[0].awarded_on", "date", "获奖日期", None),
        _c("奖项在沪工作期间获得", "bonuses.awards[0].while_in_shanghai", "bool", "获奖时在上海工作", None,
           options=YES_NO),
        _c("奖项在官方名单内", "bonuses.awards[0].on_official_list", "bool", "奖项在积分认可的官方名单内", None,
           options=YES_NO),
        _c("人才类型", "bonuses.talent", "enum", "经市科委认定的人才类型", None, options=TALENT),
        _c("严重刑事犯罪记录", "records.serious_crime", "bool", "有严重刑事犯罪记录（一票否决）", "false",
           options=YES_NO),
        _c("一般刑事犯罪判决日期", "records.general_crimes", "date_list", "每次判决日期，多个用 ; 分隔", None, width=22),
        _c("行政拘留日期", "records.administrative_detentions", "date_list", "每次行政拘留日期，多个用 ; 分隔", None,
           width=22),
        _c("提供虚假材料日期", "records.false_materials", "date_list", "每次认定日期，多个用 ; 分隔", None, width=22),
        _c("虚假材料情节严重", "records.false_materials_serious", "bool", "提供虚假材料情节严重", None, options=YES_NO),
        _c("违反计划生育记录", "records.family_planning_violation", "bool", "有违反计划生育政策记录", None,
           options=YES_NO),
    ),
    join=False,
)

SOCIAL_INSURANCE = Sheet(
    "social_insurance",
    "社保",
    "本市城镇职工社会保险，每月一行；连续相同的月份可写成区间行 2024-01..2026-09。须包含申请当月。",
    (
        *KEY_COLUMNS,
        _c("月份", "month", "month", "YYYY-MM、Excel 日期，或区间 YYYY-MM..YYYY-MM（含两端）", "2025-10..2026-11",
           required=True),
        _c("缴费基数", "base", "number", "当月缴费基数（元）；见随申办「社保缴费记录」的缴费明细", 9000, required=True),
        _c("缴费单位信用代码", "payer_uscc", "id", "缴费单位统一社会信用代码", USCC_EX, width=22),
        _c("补缴", "back_payment", "bool", "该月为补缴", None, options=YES_NO),
    ),
    list_path="social_insurance",
)

INCOME_TAX = Sheet(
    "income_tax",
    "个税",
    "个人所得税申报记录，每月一行（可用区间行），到申请月的上一个月为止。",
    (
        *KEY_COLUMNS,
        _c("月份", "month", "month", "YYYY-MM、Excel 日期，或区间 YYYY-MM..YYYY-MM", "2025-10..2026-10", required=True),
        _c("收入额", "income", "number", "当月工资薪金收入额（元）；见个人所得税 App「收入纳税明细查询」", 9500,
           required=True),
        _c("扣缴单位信用代码", "withholder_uscc", "id", "扣缴义务人统一社会信用代码", USCC_EX, width=22),
    ),
    list_path="income_tax",
)

OTHER_SOCIAL_INSURANCE = Sheet(
    "other_social_insurance",
    "外地社保",
    "在其他城市缴纳社保的时段（用于三地一致和重复缴费判断），每段一行。",
    (
        *KEY_COLUMNS,
        _c("起始月份", "from", "month", "YYYY-MM", None, required=True),
        _c("结束月份", "to", "month", "YYYY-MM", None, required=True),
        _c("城市", "city", "text", "缴纳城市", None, required=True),
    ),
    list_path="other_social_insurance",
)

EDUCATION = Sheet(
    "education",
    "学历",
    "每个学历一行。",
    (
        *KEY_COLUMNS,
        _c("学历层次", "level", "enum", "学历层次", "bachelor", required=True, options=EDU_LEVEL),
        _c("学习形式", "mode", "enum", "学习形式；不填视为全日制", "full_time", options=EDU_MODE),
        _c("有学历证书", "diploma", "bool", "持有学历（毕业）证书；不填视为是", "true", options=YES_NO),
        _c("有学位证书", "degree", "bool", "持有学位证书；不填视为否", "true", options=YES_NO),
        _c("学校", "school", "text", "学校名称", "示例大学", width=20),
        _c("专业", "major", "text", "专业名称", "软件工程"),
        _c("专业代码", "major_code", "text", "专业代码（文本）", None),
        _c("入学日期", "start", "date", "入学年月", "2014-09"),
        _c("毕业日期", "end", "date", "毕业年月", "2018-07"),
        _c("就读城市", "study_city", "text", "授课所在城市；网络教育填学习中心所在城市", "上海"),
        _c("学信网可查", "chsi_verifiable", "bool", "学历可在学信网查询；不填视为是", "true", options=YES_NO),
        _c("境外学历", "foreign", "bool", "国（境）外学历", "false", options=YES_NO),
        _c("留服认证", "cscse_certified", "bool", "境外学历已获教育部留学服务中心认证", None, options=YES_NO),
    ),
    list_path="education",
)

QUALIFICATIONS = Sheet(
    "qualifications",
    "职称技能",
    "每个职称、职业资格或技能等级一行。",
    (
        *KEY_COLUMNS,
        _c("类别", "kind", "enum", "职称 / 职业资格 / 技能等级", None, required=True, options=QUAL_KIND),
        _c("等级", "level", "enum", "职称填初级/中级/高级；技能填一级至五级", None, required=True, options=QUAL_LEVEL),
        _c("名称", "name", "text", "证书名称", None, width=20),
        _c("取得日期", "obtained_on", "date", "取得日期", None),
        _c("取得方式", "obtained_by", "enum", "职称的取得方式", None, options=OBTAINED_BY),
        _c("取得城市", "obtained_city", "text", "取得证书的城市", None),
        _c("已通过本市复评核验", "shanghai_verified", "bool", "外省市三级及以上技能证书已通过本市复评/核验", None,
           options=YES_NO),
        _c("在本市目录内", "on_shanghai_catalogue", "bool", "职业资格在本市认可目录内", None, options=YES_NO),
        _c("需注册", "registration_required", "bool", "该职业资格需要注册", None, options=YES_NO),
        _c("已注册", "registered", "bool", "已注册且在有效期内", None, options=YES_NO),
        _c("与岗位相符", "matches_position", "tristate", "专业/工种与所聘岗位相符", None, options=TRISTATE),
        _c("单位已聘任", "appointed", "bool", "单位已出具聘书或聘任表", None, options=YES_NO),
    ),
    list_path="qualifications",
)

FAMILY = Sheet(
    "family",
    "家庭",
    "配偶和子女，每人一行，用「关系」区分。婚姻状况和结婚日期写在「人员」表。",
    (
        *KEY_COLUMNS,
        _c("关系", "relation", "enum", "配偶 或 子女", None, required=True, options=RELATION),
        _c("姓名", "name", "text", "家庭成员姓名", None),
        _c("成员身份证号", "member_id_number", "id", "配偶的身份证号", None, width=22,
           applies_to=frozenset({"spouse"})),
        _c("出生日期", "birth_date", "date", "子女出生日期", None, applies_to=frozenset({"child"})),
        _c("上海户籍", "shanghai_hukou", "bool", "配偶为上海户籍", None, options=YES_NO,
           applies_to=frozenset({"spouse"})),
        _c("随迁享受待遇", "shares_benefits", "bool", "作为同住人共享积分待遇", None, options=YES_NO),
        _c("就读全日制高中", "in_high_school", "bool", "子女正在全日制普通高中就读", None, options=YES_NO,
           applies_to=frozenset({"child"})),
    ),
)

SHEETS: tuple[Sheet, ...] = (PERSONS, SOCIAL_INSURANCE, INCOME_TAX, OTHER_SOCIAL_INSURANCE, EDUCATION,
                             QUALIFICATIONS, FAMILY)
DETAIL_SHEETS: tuple[Sheet, ...] = SHEETS[1:]
GUIDE_SHEET = "填写说明"
OPTIONS_SHEET = "_选项"

# 家庭 columns whose applicant field differs from the column's own name.
FAMILY_FIELD = {"member_id_number": "id_number"}


def sheet_by_name(name: str) -> Sheet | None:
    """The sheet a workbook tab or CSV file stem names, in Chinese or English."""
    wanted = name.strip().casefold()
    for sheet in SHEETS:
        if wanted in (sheet.title.casefold(), sheet.key.casefold()):
            return sheet
    return None


def normalise_header(text: object) -> str:
    """Header text as compared: trimmed, no `*` marks, ASCII parentheses, case-folded."""
    s = str(text or "").strip().replace("（", "(").replace("）", ")").rstrip("*").strip()
    return s.casefold()


def option_label(column: Column, code: str) -> str:
    return next((label for c, label in column.options if c == code), code)
