"""The fact vocabulary: every quantity a rule can test or a message can quote, declared once.

`facts/` (one module per topic) measures these; the rules in `rulesets/` read them. The rulebook checks every `test:`
key, `$field`, `facts:` entry and `{placeholder}` against this table when it loads, so a typo fails
at once, naming the file, the rule and the key. A test checks that `facts.measure` produces exactly
the declared keys.

Entities:
- `profile`: one per applicant (scalar fields the rules test);
- `degree`: one per education entry; `qual`: one per qualification;
- `total`: asserted by AGG-TOTAL for the verdict rules;
- `detail`: texts and lists that messages quote (not tested by rules); `degree_detail` and
  `qual_detail` likewise per entry;
- `line`: the facts a score line carries (documents.yaml tests them).
Each row: name | type | Chinese label | one-line definition | policy reference; the facts rules
test (profile, degree, qual, total, block) carry their English label after the Chinese one.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPES = {"int": int, "bool": bool, "str": str, "list": list, "any": object}


@dataclass(frozen=True)
class Quantity:
    name: str
    entity: str
    type: str
    label: str
    definition: str
    reference: str
    label_en: str = ""  # for `explain --lang en` (the facts a rule tests have one; tests/test_english.py)


def _table(entity: str, text: str) -> dict[str, Quantity]:
    """Rows `name | type | 中文 | definition | reference`, or with the English label after the
    Chinese one: `name | type | 中文 | English | definition | reference`."""
    out: dict[str, Quantity] = {}
    for row in text.strip().splitlines():
        cells = [cell.strip() for cell in row.split("|")]
        name, kind, label = cells[:3]
        label_en = cells[3] if len(cells) == 6 else ""
        definition, reference = cells[-2:]
        assert kind in TYPES, (entity, name, kind)
        assert name not in out, (entity, name)
        out[name] = Quantity(name, entity, kind, label, definition, reference, label_en)
    return out


PROFILE = _table("profile", """
t | str | 事实类型 | Fact type | 固定为 profile | —
idx | int | 序号 | Index | 申请人只有一条 profile，为 0 | —
age | int | 年龄 | Age | 申请日的周岁年龄（出生日期未知为 -1） | PRE-AGE, PTS-AGE
age_points | int | 年龄分 | Age points | 按年龄分值表（参数 age_points）查得的分数 | PTS-AGE
archive | str | 人事档案状态 | Personnel file status | ok、lost、none、unknown 或 unstated（未填） | PIT-ARCHIVE
permit_status | str | 居住证状态 | Residence permit status | valid、expired、temporary 或 none | PRE-PERMIT-VALID
permit_valid | bool | 居住证有效 | Residence permit valid | 状态为 valid 且申请日未过有效期 | PRE-PERMIT-VALID
permit_days_left | int | 居住证剩余天数 | Days left on the residence permit | 有效期截止日距申请日的天数（未填有效期则无此项） | PIT-PERMIT-EXPIRING
sync_known | bool | 签注日期已填 | Endorsement date given | 是否填写了居住证领取或签注日期 | PRE-PERMIT-SYNC
sync_ok | bool | 已满 3 个工作日 | 3 working days passed | 申请日不早于签注后第 3 个工作日 | PRE-PERMIT-SYNC
employer_kind | str | 单位类型 | Employer type | 申请单位的类型（enterprise、labor_dispatch 等） | PRE-EMPLOYER-*
employer_sh | bool | 本市登记 | Registered in Shanghai | 统一社会信用代码的登记管理机关代码为上海（31xxxx） | PRE-EMPLOYER-SH
employer_registered | str | 单位已在积分系统登记 | Employer registered in the points system | yes、no 或 unknown | PIT-EMPLOYER-UNREGISTERED
dispatch_license | bool | 派遣许可证 | Dispatch licence | 派遣单位持有劳务派遣经营许可证或人力资源服务许可证 | PRE-EMPLOYER-DISPATCH
dispatch_agreements | bool | 派遣协议 | Dispatch agreements | 持有派遣协议和派遣岗位协议 | PRE-EMPLOYER-DISPATCH
contract_employer_ok | bool | 合同单位即申请单位 | Contract employer is the applying employer | 劳动合同的用人单位与申请单位为同一统一社会信用代码 | PRE-CONTRACT
contract_covers | bool | 合同覆盖申请日 | Contract covers the application date | 申请日在劳动合同期限内 | PRE-CONTRACT
contract_term_months | int | 合同期限（月） | Contract term (months) | 合同总期限的整月数（无固定期限为 9999） | PRE-CONTRACT
contract_remaining_months | int | 合同剩余（月） | Contract months left | 申请日起合同剩余整月数（无固定期限为 9999） | PRE-CONTRACT-REMAINING
app_month_status | str | 申请当月社保 | Social insurance in the application month | paid（正常缴纳）、backpay（补缴）或 none（无记录） | PRE-EMPLOYED-NOW
app_payer_ok | bool | 申请当月缴纳单位一致 | Same payer in the application month | 申请当月社保由合同单位缴纳（或未填缴纳单位） | PIT-EMPLOYER-CONSISTENT
si_6of12 | int | 近 12 个月缴费月数 | Months paid in the last 12 | 申请月前 12 个月内本市正常缴纳（非补缴、非转入）的月数 | PRE-SI-6OF12
si_valid_months | int | 累计有效缴费月数 | Valid months of contributions | 至申请当月本市正常缴纳的月数（补缴、外地转入不计） | PTS-SI-YEARS
si_valid_years | int | 累计有效缴费满年数 | Full years of valid contributions | 累计有效缴费月数中满 12 个月（参数 si_years.months_per_block）的个数 | PTS-SI-YEARS
si_valid_years_safe | int | 不含重复缴纳月份的满年数 | Full years without double-paid months | 剔除与外地重复缴纳的月份后的累计有效缴费满年数 | PIT-DOUBLE-CITY
backpay_count | int | 补缴月数 | Months paid in arrears | 补缴的月份数 | PIT-BACKPAY
double_city_count | int | 重复缴纳月数 | Months paid in two cities | 同月本市正常缴纳且外地也有社保的月数（外地转入月份除外） | PIT-DOUBLE-CITY
title_base_months | int | 职称基数达标月数 | Months at 1x base for the title | 近 12 个月内缴费基数达到社平工资 1 倍的月数 | PIT-TITLE-SI-BASE
si_base_months_3x | int | 基数达 3 倍的月数 | Months at 3× the average wage | 近 36 个月（参数 si_base_bands）中可计、且缴费基数不低于当月适用社平工资3 倍的月数（逐月计数） | BON-SI-BASE
si_base_months_2x | int | 基数达 2 倍的月数 | Months at 2× the average wage | 近 48 个月（参数 si_base_bands）中可计、且缴费基数不低于当月适用社平工资2 倍的月数（逐月计数） | BON-SI-BASE
si_base_months_1x | int | 基数达 1 倍的月数 | Months at 1× the average wage | 近 48 个月（参数 si_base_bands）中可计、且缴费基数不低于当月适用社平工资1 倍的月数（逐月计数） | BON-SI-BASE
si_base_months_0_8x | int | 基数达 0.8 倍的月数 | Months at 0.8× the average wage | 近 48 个月（参数 si_base_bands）中可计、且缴费基数不低于当月适用社平工资0.8 倍的月数（逐月计数） | BON-SI-BASE
si_base_months_3x_safe | int | 不含重复缴纳月份、基数达 3 倍的月数 | Months at 3× without double-paid months | 同上，剔除与外地重复缴纳的月份 | PIT-DOUBLE-CITY
si_base_months_2x_safe | int | 不含重复缴纳月份、基数达 2 倍的月数 | Months at 2× without double-paid months | 同上，剔除与外地重复缴纳的月份 | PIT-DOUBLE-CITY
si_base_months_1x_safe | int | 不含重复缴纳月份、基数达 1 倍的月数 | Months at 1× without double-paid months | 同上，剔除与外地重复缴纳的月份 | PIT-DOUBLE-CITY
si_base_months_0_8x_safe | int | 不含重复缴纳月份、基数达 0.8 倍的月数 | Months at 0.8× without double-paid months | 同上，剔除与外地重复缴纳的月份 | PIT-DOUBLE-CITY
si_base_best_months | int | 基数档次最多月数 | Most months in a base band | 各档次窗口内达标月数的最大值 | BON-SI-BASE
tax_mismatch_count | int | 个税不对应月数 | Months tax does not match | 可计档次的月份中个税收入低于基数 90% 或无个税的月数 | PIT-SI-TAX-MISMATCH
inconsistent_count | int | 单位不一致月数 | Months with mismatched employers | 基数窗口内合同单位、社保缴纳单位、个税扣缴单位不一致的月数 | PIT-EMPLOYER-CONSISTENT
inconsistent_app_month | bool | 申请当月单位不一致 | Mismatched employers in the application month | 申请当月合同、社保、个税单位不一致 | PIT-EMPLOYER-CONSISTENT
provisional_count | int | 暂定社平工资月数 | Months on a provisional average wage | 可计档次、但该月社平工资在申请日尚未公布的月数 | PIT-PARAM-PROVISIONAL
unverified_wage_count | int | 未核实社平工资月数 | Months on an unverified average wage | 按未经核实的社平工资比较、且可计档次（或仅因该数值而不计档次）的月数 | PIT-PARAM-PROVISIONAL
practice_wage_count | int | 按受理实践口径比较的月数 | Months compared with the review's practice wage | 可计档次、且按积分审核沿用的社平工资（非申报口径）比较的月数 | BON-SI-BASE
public_service_years | int | 公共服务年限 | Public service years | 从事公共服务领域（环卫）工作的满年数 | BON-PUBLIC-SERVICE
public_service_points | int | 公共服务加分 | Public service points | 每满 1 年 4 分 | BON-PUBLIC-SERVICE
serious_crime | bool | 严重刑事犯罪 | Serious criminal record | 有严重刑事犯罪记录 | VETO-SERIOUS-CRIME
family_planning | bool | 违反计划生育 | Family planning violation | 有违反计划生育政策记录 | VETO-FAMILY-PLANNING
false_recent | int | 近 3 年虚假材料次数 | False-material findings in 3 years | 近 3 年内提供虚假材料的次数 | DED-FALSE-MATERIAL
false_serious | bool | 虚假材料情节严重 | Serious false-material finding | 近 3 年内提供虚假材料且情节严重 | DED-FALSE-MATERIAL
false_points | int | 虚假材料减分 | False-material deduction | 每次 -150 | DED-FALSE-MATERIAL
detention_recent | int | 近 5 年行政拘留次数 | Administrative detentions in 5 years | 近 5 年内受行政拘留的次数 | DED-DETENTION
detention_points | int | 行政拘留减分 | Detention deduction | 每次 -50 | DED-DETENTION
crime_recent | int | 近 5 年一般刑事犯罪次数 | Criminal judgements in 5 years | 近 5 年内一般刑事犯罪记录数 | DED-CRIME
crime_points | int | 刑事犯罪减分 | Criminal record deduction | 每次 -150 | DED-CRIME
spouse_claimed | bool | 申报配偶户籍加分 | Spouse hukou bonus claimed | 配偶为本市户籍 | BON-SPOUSE-HUKOU
spouse_married | bool | 在婚 | Married | 婚姻状况为已婚 | BON-SPOUSE-HUKOU
marriage_date_known | bool | 结婚日期已填 | Marriage date given | 填写了结婚日期 | BON-SPOUSE-HUKOU
spouse_years | int | 结婚满年数 | Full years married | 结婚日期至申请日的满年数 | BON-SPOUSE-HUKOU
spouse_points | int | 配偶户籍加分 | Spouse hukou points | 每满 1 年 4 分，最高 40 分 | BON-SPOUSE-HUKOU
remote_claimed | bool | 申报重点区域加分 | Key area bonus claimed | 填写了重点区域 | BON-REMOTE-AREA
remote_group | str | 区域类别 | Area group | 参数 remote_areas 中的区域组（lingang、new_towns），不在名单内为 other | BON-REMOTE-AREA
remote_status | str | 区域加分确认程度 | Area bonus status | counted（已确认）或 review（需复核） | BON-REMOTE-AREA
remote_min_years | int | 起计年限 | Years before it counts | 该区域开始计分所需的满年数（申请日适用的参数） | BON-REMOTE-AREA
remote_works_lives | bool | 同时工作并居住 | Works and lives there | 在该区域同时工作并居住 | BON-REMOTE-AREA
remote_years | int | 区域满年数 | Full years in the area | 在该区域工作并居住的满年数 | BON-REMOTE-AREA
remote_points | int | 区域加分 | Key area points | 每满 1 年 2 分，最高 20 分 | BON-REMOTE-AREA
fresh_claimed | bool | 申报应届毕业生 | Fresh graduate bonus claimed | 申报应届毕业生加分 | BON-FRESH-GRAD
fresh_ok | bool | 应届 | Fresh graduate | 最近的全日制毕业年份为申请当年或上一年 | BON-FRESH-GRAD
shortage_claimed | bool | 申报紧缺专业 | Shortage major claimed | 申报紧缺急需专业加分 | BON-SHORTAGE-MAJOR
shortage_on_catalogue | bool | 在目录内 | On the catalogue | 专业在紧缺急需专业目录内 | BON-SHORTAGE-MAJOR
shortage_job_matches | bool | 岗位相符 | Job matches the major | 岗位与专业相符 | BON-SHORTAGE-MAJOR
shortage_fulltime_jc | bool | 有全日制大专 | Has a full-time junior college degree | 学历中有全日制大专 | BON-SHORTAGE-MAJOR
award_claimed | bool | 申报表彰奖励 | Award claimed | 填写了奖项 | BON-AWARD
award_points | int | 奖励分 | Award points | 在沪工作期间获得且在官方名录内的最高奖项分值 | BON-AWARD
award_unlisted | bool | 有不计分的奖项 | Has an award that does not count | 有奖项不在官方名录内或非在沪期间获得 | BON-AWARD
invest_claimed | bool | 申报投资创业 | Investment bonus claimed | 填写了投资创业 | BON-INVEST
invest_points | int | 投资创业加分 | Investment points | 按纳税或聘用本市户籍人数的较高者，每步 10 分，最高 120 分 | BON-INVEST
invest_years | int | 连续投资年数 | Years of continuous investment | 在本市连续投资的年数 | BON-INVEST
talent_claimed | bool | 申报创业人才 | Entrepreneur talent claimed | 申报创业人才或中介服务人才 | BON-TALENT
""")

DEGREE = _table("degree", """
t | str | 事实类型 | Fact type | 固定为 degree | —
idx | int | 序号 | Index | 在 education 中的位置 | —
level | str | 学历层次 | Education level | high_school … doctor | PTS-EDU
mode | str | 学习形式 | Mode of study | full_time、self_study、adult、online、open_university、part_time_postgraduate | PIT-THREE-PLACES
full_time | bool | 全日制 | Full-time | 学习形式为全日制 | PIT-THREE-PLACES
papers | str | 层次与证书 | Level and certificates | 学历层次/所持证书：diploma（学历证书）、degree（学位证书）、diploma+degree 或 none，如 bachelor/diploma+degree；PTS-EDU 据此定档 | PTS-EDU
diploma | bool | 有学历证书 | Has the diploma | 持有学历证书 | PTS-EDU
verifiable | bool | 可查验 | Verifiable | 国内学历学信网可查；国外学历有留服认证 | PIT-DEGREE-UNVERIFIABLE
foreign | bool | 国（境）外学历 | Foreign degree | 国（境）外学历 | PIT-DEGREE-UNVERIFIABLE
study_city_given | bool | 已填学习地 | Place of study given | 填写了学习地（study_city） | PIT-THREE-PLACES
study_dates_given | bool | 已填学习期间 | Study period given | 填写了入学与毕业时间 | PIT-THREE-PLACES
study_province | str | 学习地省份 | Province of study | 学习地所在省份（上海即“上海”；未填或无法识别为空） | PIT-THREE-PLACES
applicant_hukou_province | str | 户籍省份 | Hukou province | 申请人户籍所在省份（未填或无法识别为空） | PIT-THREE-PLACES
si_outside_study_province_months | int | 学习期间外省社保月数 | Months insured outside the province of study | 学习期间在学习地省份以外缴纳社保的月数（上海社保也算，除非在上海学习；学习地或期间未填为 -1） | PIT-THREE-PLACES
study_city_si_missing_months | int | 学习期间学习地无社保月数 | Study months without insurance in the city of study | 学习期间没有在学习地城市缴纳社保的月数（学习地或期间未填为 -1） | PIT-THREE-PLACES
high_school_on_record | bool | 有高中记录 | High-school record given | 学历中有高中或中专记录 | PIT-PRIOR-DEGREE
prior_found | bool | 有前置大专 | Prior junior college degree found | 本科：找到了所依托的大专（本科入学前最近毕业的一个，或最早毕业的一个）；其他层次为否 | PIT-PRIOR-DEGREE
prior_verifiable | bool | 前置大专可查 | Prior degree verifiable | 该大专学信网可查 | PIT-PRIOR-DEGREE
prior_gap_months | int | 毕业间隔（月） | Months between graduations | 大专毕业至本科毕业的整月数（日期不全为 9999） | PIT-PRIOR-DEGREE
prior_overlaps | bool | 大专毕业前入学 | Enrolled before the prior degree ended | 本科入学早于大专毕业 | PIT-PRIOR-DEGREE
""")

QUAL = _table("qual", """
t | str | 事实类型 | Fact type | 固定为 qual | —
idx | int | 序号 | Index | 在 qualifications 中的位置 | —
kind | str | 类别 | Kind | professional_title、vocational_qualification 或 skill_level | PTS-TITLE
level | str | 等级 | Level | junior/intermediate/senior 或 1–5（文本） | PTS-TITLE
grade | str | 类别与等级 | Kind and level | 类别/等级，如 skill_level/3、professional_title/senior；PTS-TITLE 据此定档 | PTS-TITLE
matches | str | 与岗位相符 | Matches the job | yes、no 或 unknown | PIT-TITLE-MATCH
appointed | str | 已聘任 | Appointed | yes、no 或 unknown | PIT-TITLE-MATCH
by_review | bool | 评审取得 | Obtained by review | 取得方式为评审（obtained_by 为 review） | PIT-TITLE-WHERE
skill_level | int | 技能等级 | Skill level | 职业技能等级的级别 1–5（一级最高）；职称、职业资格为 0 | PIT-TITLE-WHERE
obtained_in_sh | str | 在上海取得 | Obtained in Shanghai | yes、no 或 unknown（取得城市未填） | PIT-TITLE-WHERE
shanghai_verified | bool | 本市复评核验 | Verified in Shanghai | 申请人写明已经本市复评/核验 | PIT-TITLE-WHERE
sh_si_around_obtained | int | 取得前后本市社保月数 | Shanghai social insurance months around obtaining it | 取得当月前后若干个月（参数 title_where）内本市正常缴纳的月数（日期未知为 -1） | PIT-TITLE-WHERE
registration | str | 注册状态 | Registration | 须注册而未注册为 unregistered，否则 ok | PIT-TITLE-REGISTERED
catalogue | str | 在本市目录内 | On the Shanghai catalogue | yes、no、unknown；非职业资格为 na | PIT-TITLE-REGISTERED
title_base_months | int | 职称基数达标月数 | Months at 1x base for the title | 同 profile.title_base_months | PIT-TITLE-SI-BASE
only_high_school | bool | 最高学历为高中 | Highest education is high school | 最高学历为高中或中专 | PIT-TITLE-EDU
""")

TOTAL = _table("total", """
t | str | 事实类型 | Fact type | 固定为 total | —
idx | int | 序号 | Index | 为 0 | —
counted | int | 已计总分 | Points counted | 计入的积分合计（不低于 0） | PRE-SCORE
at_risk | int | 有风险分 | Points at risk | 有风险的积分合计 | PRE-SCORE
reach | int | 合计 | Total | 已计加有风险 | PRE-SCORE
above | int | 超出标准分值 | Above the pass mark | 已计总分减标准分值 | PIT-NEAR-THRESHOLD
blockers | int | 阻断项数 | Blockers | 严重程度为 blocker 的发现数 | AGG-TOTAL
reviews | int | 复核项数 | Review items | 严重程度为 review 的发现数 | AGG-TOTAL
""")

BLOCK = _table("block", """
t | str | 事实类型 | Fact type | 固定为 block | —
idx | int | 序号 | Index | 被影响条目的序号 | —
target | str | 目标规则 | Rule affected | 被影响的积分规则 | —
status | str | 影响 | Effect | at_risk 或 not_counted | —
reason | str | 原因规则 | Rule that caused it | 产生该影响的规则 | —
n | int | 顺序号 | Order | 断言顺序 | —
keep | int | 保留分 | Points kept | 不受影响的分数 | PIT-DOUBLE-CITY
""")

DETAIL = _table("detail", """
as_of | str | 申请日 | YYYY-MM-DD | —
app_month | str | 申请月 | YYYY-MM | —
birth_date | str | 出生日期 | 仅用于内部计算，不输出 | PTS-AGE
age | int | 年龄 | 同 profile.age | PTS-AGE
archive_zh | str | 档案状态 | 中文 | PIT-ARCHIVE
hukou_province | str | 户籍省份 | 规范化的省份名 | PIT-THREE-PLACES
permit_status_zh | str | 居住证状态 | 中文 | PRE-PERMIT-VALID
permit_valid_until | str | 居住证有效期至 | 日期或“未填” | PRE-PERMIT-VALID
permit_issued | str | 签注日期 | 日期 | PRE-PERMIT-SYNC
sync_date | str | 可申请日期 | 签注后第 3 个工作日 | PRE-PERMIT-SYNC
sync_calendar | str | 工作日口径 | 是否按节假日安排计算 | PRE-PERMIT-SYNC
employer_name | str | 申请单位 | 名称 | PRE-EMPLOYER-SH
employer_uscc | str | 统一社会信用代码 | 申请单位代码 | PRE-EMPLOYER-SH
employer_region | str | 登记管理机关代码 | 代码第 3–8 位 | PRE-EMPLOYER-SH
contract_start | str | 合同开始 | 日期 | PRE-CONTRACT
contract_end | str | 合同结束 | 日期或“无固定期限” | PRE-CONTRACT
contract_term | str | 合同期限 | 文本 | PRE-CONTRACT
contract_remaining | str | 合同剩余 | 文本 | PRE-CONTRACT-REMAINING
contract_uscc | str | 合同单位代码 | 统一社会信用代码 | PIT-EMPLOYER-CONSISTENT
si_6of12_window | str | 6/12 窗口 | 起止月 | PRE-SI-6OF12
si_6of12_months | str | 6/12 窗口内缴费月 | 月份列表 | PRE-SI-6OF12
si_6of12_missing | int | 还差月数 | 距 6 个月还差的月数 | PRE-SI-6OF12
si_6of12_cure_month | str | 满足 6/12 的月份 | 按持续缴费推算 | PRE-SI-6OF12
si_6of12_wait | any | 还需等待月数 | 整数或“—” | PRE-SI-6OF12
backpay_months | str | 补缴月份 | 月份列表 | PIT-BACKPAY
double_city_months | str | 重复缴纳月份 | 月份列表 | PIT-DOUBLE-CITY
double_city_cities | str | 重复缴纳城市 | 城市列表 | PIT-DOUBLE-CITY
si_valid_months | int | 累计有效缴费月数 | 同 profile.si_valid_months | PTS-SI-YEARS
title_base_months | any | 职称基数达标月份 | 月份列表（profile 中为月数） | PIT-TITLE-SI-BASE
title_base_window | str | 职称基数窗口 | 起止月 | PIT-TITLE-SI-BASE
ev_backpay | list | 补缴证据 | 字段路径 | PIT-BACKPAY
ev_app_month | list | 申请当月证据 | 字段路径 | PRE-EMPLOYED-NOW
ev_double | list | 重复缴纳证据 | 字段路径 | PIT-DOUBLE-CITY
band_counts | list | 各档月数 | 每档次“近N个月≥k倍 n 个月（需 m）” | BON-SI-BASE
band_summary | str | 各档月数（文本） | band_counts 连成一句 | BON-SI-BASE
band_months | list | 各档月数（数字） | 每档次达标月数 | BON-SI-BASE
tax_mismatch_months | str | 个税不对应月份 | 月份列表 | PIT-SI-TAX-MISMATCH
inconsistent_months | str | 单位不一致月份 | 月份列表 | PIT-EMPLOYER-CONSISTENT
provisional_months | str | 暂定社平工资月份 | 月份列表 | PIT-PARAM-PROVISIONAL
provisional_wage | int | 暂定社平工资 | 申请月适用的社平工资 | PIT-PARAM-PROVISIONAL
unverified_wage_months | str | 未核实社平工资月份 | 月份列表 | PIT-PARAM-PROVISIONAL
unverified_wage | any | 未核实的社平工资 | 元/月 | PIT-PARAM-PROVISIONAL
unverified_wage_source | str | 未核实社平工资出处 | 参数出处 | PIT-PARAM-PROVISIONAL
practice_wage_months | str | 按受理实践口径比较的月份 | 2019-05..2019-10 按 7832 元 | BON-SI-BASE
practice_wage | any | 受理实践口径的社平工资 | 元/月（如 7832） | BON-SI-BASE
practice_declared_wage | any | 同期申报口径的社平工资 | 元/月（如 8211） | BON-SI-BASE
base_window | str | 基数窗口 | 起止月 | BON-SI-BASE
ev_tax | list | 个税不对应证据 | 字段路径 | PIT-SI-TAX-MISMATCH
ev_inconsistent | list | 单位不一致证据 | 字段路径 | PIT-EMPLOYER-CONSISTENT
false_dates | str | 虚假材料日期 | 日期列表 | DED-FALSE-MATERIAL
detention_dates | str | 行政拘留日期 | 日期列表 | DED-DETENTION
crime_dates | str | 刑事犯罪日期 | 日期列表 | DED-CRIME
false_bar_until | str | 不得申请至 | 日期 | DED-FALSE-MATERIAL
false_lapse | str | 虚假材料减分止于 | 最近一次记录满 3 年的次日 | DED-FALSE-MATERIAL
detention_lapse | str | 行政拘留减分止于 | 最近一次记录满 5 年的次日 | DED-DETENTION
crime_lapse | str | 刑事犯罪减分止于 | 最近一次记录满 5 年的次日 | DED-CRIME
marriage_date | str | 结婚日期 | 日期或“未填” | BON-SPOUSE-HUKOU
spouse_years | int | 结婚满年数 | 同 profile.spouse_years | BON-SPOUSE-HUKOU
remote_area | str | 重点区域 | 申报的区域名 | BON-REMOTE-AREA
remote_years | int | 区域满年数 | 同 profile.remote_years | BON-REMOTE-AREA
remote_rule_source | str | 区域规则出处 | 参数出处 | BON-REMOTE-AREA
remote_rule_confidence | str | 区域规则可信度 | official、practice 或 unverified | BON-REMOTE-AREA
graduation_year | any | 毕业年份 | 最近的全日制毕业年份或“未填” | BON-FRESH-GRAD
shortage_major | str | 紧缺专业 | 专业名称与代码 | BON-SHORTAGE-MAJOR
invest_route | str | 投资加分途径 | 纳税或聘用本市户籍人数 | BON-INVEST
invest_points | int | 投资创业加分 | 同 profile.invest_points | BON-INVEST
talent | str | 人才类别 | 创业人才或创新创业中介服务人才 | BON-TALENT
""")

DEGREE_DETAIL = _table("degree_detail", """
edu_label | str | 学历 | 学习形式、层次、学校与证书 | PTS-EDU
study_city | str | 学习地 | 城市或“未填” | PIT-THREE-PLACES
three_places_why | str | 三地一致说明 | 判断依据 | PIT-THREE-PLACES
study_period | str | 学习期间 | 起止月 | PIT-THREE-PLACES
""")

QUAL_DETAIL = _table("qual_detail", """
qual_label | str | 职称技能 | 名称与类别 | PTS-TITLE
obtained_city | str | 取得城市 | 城市或“未填” | PIT-TITLE-WHERE
obtained_on | str | 取得日期 | 日期或“未填” | PIT-TITLE-WHERE
obtained_window | str | 核对窗口 | 取得前后的起止月 | PIT-TITLE-WHERE
obtained_window_si | str | 窗口内社保 | 该期间各地社保缴纳月份 | PIT-TITLE-WHERE
""")

# Facts the engine adds to a score line beside the rule's own `facts:` list.
LINE_EXTRA = _table("line", """
education_index | int | 学历序号 | 计分学历在 education 中的位置 | PTS-EDU
three_places_case | str | 三地一致情形 | a、b 或 c：PIT-THREE-PLACES 判定并记录的情形 | PIT-THREE-PLACES
qualification_index | int | 职称序号 | 计分职称在 qualifications 中的位置 | PTS-TITLE
alternative_points | int | 另一项可得分 | 学历与职称取其一时，未申报一项的分数 | PTS-EDU-OR-TITLE
alternative_status | str | 另一项状态 | 未申报一项本来的状态 | PTS-EDU-OR-TITLE
alternative_total | int | 改报后的已计总分 | 改报该项时的已计总分 | PTS-EDU-OR-TITLE
""")

# What a condition on each fact type may test, and what a message on it may quote.
TESTABLE: dict[str, dict[str, Quantity]] = {
    "profile": PROFILE, "degree": DEGREE, "qual": QUAL, "total": TOTAL, "block": BLOCK,
}
QUOTABLE: dict[str, dict[str, Quantity]] = {
    "profile": {**DETAIL, **PROFILE},
    "degree": {**DETAIL, **DEGREE_DETAIL, **DEGREE},
    "qual": {**DETAIL, **QUAL_DETAIL, **QUAL},
    "total": {**DETAIL, **TOTAL},
    "block": {**DETAIL, **BLOCK},
}
