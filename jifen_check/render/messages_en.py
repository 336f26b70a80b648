"""Data-error messages in English (--lang en), beside the Chinese the readers and validate.py write.

The readers (batch/cells.py, batch/readers.py), validate.py and identifiers.py write one Chinese
sentence per problem, with the column header, the value typed and numbers filled in. Here each
sentence form has its English, as a pattern on the Chinese: the numbers and the typed value are
carried over, a column header is given its English label (labels.yaml `fields`). A sentence with no
English form here stays Chinese, in brackets (tests/test_english.py lists the forms the samples use).
"""

from __future__ import annotations

import re
from functools import cache

V = r"(?P<v>'.*'|\S.*?)"  # a typed value as quoted by the reader (repr) or a number
N = r"(?P<n>[\d,.\-X]+)"


# (Chinese sentence with {H} for a column header and named groups, English with the same names).
FORMS: tuple[tuple[str, str], ...] = (
    (r"{H}被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写",
     "{H} was stored by Excel as a number and its last digits are lost; format the column as text and type it again"),
    (rf"{{H}}必须是数字，实际为 {V}", "{H} must be a number, got {v}"),
    (r"{H}必须是数字", "{H} must be a number"),
    (rf"{{H}}必须是有限的数字，实际为 {V}", "{H} must be a finite number, got {v}"),
    (rf"{{H}}数值过大（{V}），应小于 {N}", "{H} is too large ({v}); it must be below {n}"),
    (rf"{{H}}必须是整数，实际为 {V}", "{H} must be a whole number, got {v}"),
    (rf"{{H}}应填 是 或 否，实际为 {V}", "{H} must be yes (是) or no (否), got {v}"),
    (rf"{{H}}应填 是、否 或 不清楚，实际为 {V}", "{H} must be yes (是), no (否) or unknown (不清楚), got {v}"),
    (rf"{{H}}无法识别为日期：{V}，应为 YYYY-MM-DD 或 YYYY-MM", "{H} is not a date: {v}; write YYYY-MM-DD or YYYY-MM"),
    (rf"{{H}}无法识别为月份：{V}，应为 YYYY-MM 或区间 YYYY-MM..YYYY-MM",
     "{H} is not a month: {v}; write YYYY-MM or a range YYYY-MM..YYYY-MM"),
    (rf"{{H}}是数字 {V}，含义不明（(?P<a>\d+)-01 还是 (?P<b>\d+)-10？）：请把该列设为文本，写成 YYYY-MM",
     "{H} is the number {v}, which is unclear ({a}-01 or {b}-10?): format the column as text and write YYYY-MM"),
    (rf"{{H}}无法识别：{V}，区间应写成 YYYY-MM..YYYY-MM", "{H} cannot be read: {v}; write a range as YYYY-MM..YYYY-MM"),
    (r"{H}是公式，但文件中没有保存计算结果：请在 Excel 中打开并保存后再导入",
     "{H} is a formula whose result was not saved in the file: open and save it in Excel, then import again"),
    # identifiers.py
    (rf"身份证号码应为 18 位，实际为 {N} 位", "The ID number must have 18 characters, not {n}"),
    (rf"身份证号码前 17 位应全为数字，第 {N} 位不是数字",
     "The first 17 characters of the ID number must be digits; character {n} is not"),
    (rf"身份证号码前两位应为省级行政区划代码（如 31 上海、32 江苏），实际为 {N}",
     "The first two digits of the ID number must be a province code (such as 31 Shanghai, 32 Jiangsu), not {n}"),
    (r"身份证号码第 7–14 位应为出生日期 YYYYMMDD，现在不是有效日期",
     "Digits 7–14 of the ID number must be the date of birth YYYYMMDD; they are not a valid date"),
    (rf"身份证号码中的出生年份应不早于 {N}", "The year of birth in the ID number must not be before {n}"),
    (rf"身份证号码中的出生日期晚于今天 {N}", "The date of birth in the ID number is after today, {n}"),
    (rf"身份证号码中的出生日期晚于申请日期 {N}", "The date of birth in the ID number is after the application date, {n}"),
    (rf"身份证号码校验位应为 {N}，实际为 {V}", "The check character of the ID number should be {n}, not {v}"),
    (rf"统一社会信用代码应为 18 位，实际为 {N} 位", "The unified social credit code must have 18 characters, not {n}"),
    (rf"统一社会信用代码校验位应为 {N}，实际为 {V}",
     "The check character of the unified social credit code should be {n}, not {v}"),
    (rf"统一社会信用代码第 3–8 位应为登记管理机关行政区划代码（6 位数字，如 310115），实际为 {V}",
     "Characters 3–8 of the unified social credit code must be the region code of the registering authority "
     "(6 digits, such as 310115), not {v}"),
    # validate.py
    (rf"缴费基数应大于 0（实际为 {V}）", "The contribution base must be above 0 (it is {v})"),
    (rf"{N} 晚于申请月 {N}（不能填写未来月份）".replace("(?P<n>", "(?P<m>", 1),
     "{m} is after the application month {n} (no future months)"),
    (rf"{N} 晚于申请日 {N}（不能是未来日期）".replace("(?P<n>", "(?P<m>", 1),
     "{m} is after the application date {n} (no future dates)"),
    (rf"个税收入不能为负数（实际为 {V}）", "Taxed income cannot be negative (it is {v})"),
    (rf"合同结束 {N} 早于开始 {N}".replace("(?P<n>", "(?P<m>", 1), "The contract ends on {m}, before it starts on {n}"),
    (rf"毕业 {N} 早于入学 {N}".replace("(?P<n>", "(?P<m>", 1), "Graduation on {m} is before the start on {n}"),
    (rf"结束 {N} 早于开始 {N}".replace("(?P<n>", "(?P<m>", 1), "The end {m} is before the start {n}"),
    (rf"{N} 与 (?P<p>social_insurance\[\d+\]) 重复（同一城市每月只能有一条记录）",
     "{n} repeats {p} (one record per month and city)"),
    (rf"{N} 与 (?P<p>income_tax\[\d+\]) 重复", "{n} repeats {p}"),
    (r"(?P<m>\d{4}-\d{2}) 基数 (?P<b>[\d.]+) 不在当年上下限 (?P<lo>[\d.]+)–(?P<hi>[\d.]+) 之间（如属特殊情况可忽略）",
     "{m}: the base {b} is outside that year's range {lo}–{hi} (ignore this if it is a special case)"),
    (r"不能为空", "must not be empty"),
    (r"缺少必填项", "is required but missing"),
    # batch/readers.py notices (summary.xlsx, Unmatched rows)
    (r"工号 (?P<no>\S+) 在「人员」表中找不到，该行未使用",
     "Employee no. {no} is not in the persons sheet (人员); the row is not used"),
    (r"身份证号 (?P<id>\S+) 在「人员」表中找不到，该行未使用",
     "ID number {id} is not in the persons sheet (人员); the row is not used"),
    (r"工号和身份证号都为空，无法关联，该行未使用",
     "Both the employee no. and the ID number are empty, so the row cannot be matched and is not used"),
    (r"第 (?P<n>\d+) 行是模板自带的示例（(?P<name>.*)），已跳过，不计入人数",
     "Row {n} is the template's example ({name}); skipped and not counted"),
    (r"表「(?P<s>.*)」不是批量输入的表，已忽略", "Sheet '{s}' is not a sheet of the batch input; ignored"),
    (r"表「(?P<s>.*)」与「(?P<t>.*)」重复，已忽略", "Sheet '{s}' repeats sheet '{t}'; ignored"),
    (r"列「(?P<c>.*)」不是「(?P<s>.*)」表的列，已忽略", "Column '{c}' is not a column of sheet '{s}'; ignored"),
    (r"列「(?P<c>.*)」重复，只用第一列", "Column '{c}' appears twice; only the first is used"),
    (r"「(?P<s>.*)」表缺少必填列「(?P<c>.*)」", "Sheet '{s}' lacks the required column '{c}'"),
    (r"工号 (?P<no>\S+) 出现在 (?P<rows>\S+)；明细行已按身份证号分别关联（(?P<n>\d+) 行），请核对工号",
     "Employee no. {no} appears in {rows}; the detail rows were matched by ID number instead ({n} rows); "
     "check the employee numbers"),
    (r"工号 (?P<no>\S+) 与 (?P<others>\S+) 重复，(?P<rows>.+?) 没有能区分两人的身份证号，无法确定属于谁；"
     r"请更正工号，或在明细行填写身份证号",
     "Employee no. {no} repeats {others}, and {rows} have no ID number to tell the two apart, so they "
     "cannot be assigned; correct the employee no., or fill in the ID number on the detail rows"),
    (r"「(?P<s>.*)」表没有 工号 或 身份证号 列，整表未使用",
     "Sheet '{s}' has neither an employee no. (工号) nor an ID number (身份证号) column; the whole sheet is not used"),
    (r"工号与 (?P<p>\S+) 重复；明细表的行只关联到第一位",
     "The employee no. repeats {p}; detail rows are matched to the first person only"),
    (r"身份证号与 (?P<p>\S+) 重复；明细表的行只关联到第一位",
     "The ID number repeats {p}; detail rows are matched to the first person only"),
    (r"只能填写一位配偶", "Only one spouse can be given"),
    (r"关系必须填写：配偶 或 子女", "The relation must be given: spouse (配偶) or child (子女)"),
    (r"配偶行不应填写「(?P<c>.*)」", "A spouse row must not fill in '{c}'"),
    (r"子女行不应填写「(?P<c>.*)」", "A child row must not fill in '{c}'"),
    # The choices are the template's Chinese labels; their codes are accepted too, and are English.
    (rf"{{H}}应为以下之一：(?P<a>.*)；实际为 {V}", "{H} must be one of: {a}; got {v}"),
    # validate.py: the file as a whole
    (rf"(?P<f>.+?): 文件大小 {N} MB 超过上限 (?P<m>\d+) MB，不像一位申请人的文件",
     "{f}: the file is {n} MB, over the {m} MB limit; it does not look like one applicant's file"),
    (rf"文件大小 {N} MB 超过上限 (?P<m>\d+) MB，不像一位申请人的文件",
     "The file is {n} MB, over the {m} MB limit; it does not look like one applicant's file"),
    (rf"(?P<f>.+?): 第 {N} 字节不是有效的 UTF-8 编码（应为 UTF-8 文本，可用记事本“另存为 UTF-8”）",
     "{f}: byte {n} is not valid UTF-8 (the file must be UTF-8 text; Notepad can \"Save as UTF-8\")"),
    (r"(?P<f>.+?): 文件为空，应为 jifen-check/applicant@1 格式的 YAML 或 JSON",
     "{f}: the file is empty; it must be YAML or JSON in the jifen-check/applicant@1 format"),
    (rf"(?P<f>.+?): JSON 语法错误，第 {N} 行第 (?P<c>\d+) 列：(?P<why>.*)",
     "{f}: JSON syntax error at line {n}, column {c}: {why}"),
    (rf"(?P<f>.+?): YAML 语法错误，第 {N} 行第 (?P<c>\d+) 列：(?P<why>.*)",
     "{f}: YAML syntax error at line {n}, column {c}: {why}"),
    (r"(?P<f>.+?): YAML 语法错误，位置未知：(?P<why>.*)", "{f}: YAML syntax error: {why}"),
    (rf"嵌套层数过深（上限 {N} 层）", "Nested too deep (the limit is {n} levels)"),
    (rf"嵌套层数超过 {N} 层（第 (?P<l>\d+) 行）", "Nested deeper than {n} levels (line {l})"),
    (rf"展开锚点/别名（& 与 \*）后共超过 {N} 个值（第 (?P<l>\d+) 行起），拒绝读取",
     "With its anchors and aliases (& and *) expanded, the file holds over {n} values (from line {l}); refused"),
    (rf"第 {N} 行：键「(?P<k>.*)」在同一层重复出现（后一个会悄悄覆盖前一个），请删除其中一个",
     "Line {n}: the key '{k}' appears twice at the same level (the second would silently replace the first); "
     "delete one of them"),
    (rf"第 {N} 行的日期 (?P<d>\S+) 不存在，请按 YYYY-MM-DD 填写真实的日期",
     "The date {d} on line {n} does not exist; write a real date as YYYY-MM-DD"),
    (r"数值无法读取：(?P<why>.*)", "A value cannot be read: {why}"),
    (rf"数字 (?P<d>\d+)… 共 {N} 位，超过 (?P<m>\d+) 位上限", "The number {d}… has {n} digits, over the limit of {m}"),
    (r"JSON 中不允许 (?P<t>\S+)：金额、月数等必须是有限的数字",
     "{t} is not allowed in JSON: amounts, months and the like must be finite numbers"),
    (rf"值超过 {N} 个，拒绝读取", "More than {n} values; refused"),
    (rf"嵌套超过 {N} 层，拒绝读取", "Nested deeper than {n} levels; refused"),
    (r"键名含有无效的 Unicode 字符", "A key holds an invalid Unicode character"),
    (r"含有无效的 Unicode 字符（孤立的代理项），请重新输入该字段",
     "Holds an invalid Unicode character (a lone surrogate); type the field again"),
    (r"必须是有限的数字（不能是 NaN 或无穷大）", "Must be a finite number (not NaN or infinity)"),
    (rf"数值过大（绝对值应小于 {N}）", "Too large (the absolute value must be below {n})"),
    (r"文件内容应为一个申请人（映射），实际为 (?P<t>\w+)", "The file must hold one applicant (a mapping), not a {t}"),
    (rf"共 {N} 行，超过 (?P<m>[\d,]+) 行上限；每月一行，连续相同的月份可写成区间 YYYY-MM..YYYY-MM",
     "{n} rows, over the limit of {m}; one row per month, and equal consecutive months can be written as a range "
     "YYYY-MM..YYYY-MM"),
    # validate.py: schema errors (describe); a quoted value after them is carried over generically
    (r"缺少必填字段", "Required but missing"),
    (r"未知字段（拼写错误或放错了位置？）", "Unknown field (misspelt, or in the wrong place?)"),
    (r"应为数字", "Must be a number"),
    (r"应为整数", "Must be a whole number"),
    (r"应为 true 或 false", "Must be true or false"),
    (r"应为文本", "Must be text"),
    (r"应为列表", "Must be a list"),
    (r"应为映射（键: 值）", "Must be a mapping (key: value)"),
    (r"不能为负数", "Must not be negative"),
    (r"不能为空列表", "Must not be an empty list"),
    (r"取值无效，应为以下之一：(?P<a>[^（]*)", "Not an allowed value; it must be one of {a}"),
    (r"月份应为 1–12，日期应写成 YYYY-MM-DD", "The month must be 1–12; write the date as YYYY-MM-DD"),
    (r"该月没有这一天，日期应写成 YYYY-MM-DD", "That month has no such day; write the date as YYYY-MM-DD"),
    (r"年份无效，日期应写成 YYYY-MM-DD", "The year is not valid; write the date as YYYY-MM-DD"),
    (r"应为日期 YYYY-MM-DD 或月份 YYYY-MM", "Must be a date YYYY-MM-DD or a month YYYY-MM"),
    (rf"无法识别的日期 {V}，应为 YYYY-MM-DD 或 YYYY-MM", "{v} is not a date; write YYYY-MM-DD or YYYY-MM"),
    (rf"无法识别的月份 {V}，应为 YYYY-MM", "{v} is not a month; write YYYY-MM"),
    (r"应为月份 YYYY-MM 或区间 YYYY-MM..YYYY-MM", "Must be a month YYYY-MM or a range YYYY-MM..YYYY-MM"),
    (rf"无法识别的月份区间 {V}", "{v} is not a month range"),
    (rf"月份区间 {V} 的结束早于开始", "The month range {v} ends before it starts"),
    # validate.py: checks across fields
    (rf"职业技能等级的等级应为 1–5（职业技能等级），实际为 {V}", "A skill level must be 1–5, not {v}"),
    (rf"专业技术职称的等级应为 junior、intermediate 或 senior（初级、中级、高级），实际为 {V}",
     "The level of a professional title must be junior, intermediate or senior, not {v}"),
    (rf"专业技术类职业资格的等级应为 junior、intermediate 或 senior（初级、中级、高级），实际为 {V}",
     "The level of a vocational qualification must be junior, intermediate or senior, not {v}"),
    (r"出生日期与身份证号码中的出生日期不一致", "The date of birth differs from the one in the ID number"),
    (rf"(?P<m>\S+) 晚于申请月 {N}", "{m} is after the application month {n}"),
    (r"申请日期 (?P<d>\S+) 早于规则集 (?P<r>\S+) 的施行日 (?P<f>\S+)，无法按现行规定判断",
     "The application date {d} is before ruleset {r} took effect ({f}); it cannot be judged by the current rules"),
    (r"申请日期 (?P<d>\S+) 晚于规则集 (?P<r>\S+) 的有效期 (?P<t>\S+)，请确认是否有新规定",
     "The application date {d} is after ruleset {r} expires ({t}); check whether new rules apply"),
    # the CLI's own usage errors (cli_common.py, cli.py)
    (r"找不到文件 (?P<f>.+?)（应为 YAML 或 JSON 格式的申请人文件）",
     "File {f} not found (it should be an applicant file in YAML or JSON)"),
    (r"没有规则 (?P<r>\S+)；用 jifen-check rules 查看全部编号",
     "There is no rule {r}; `jifen-check rules` lists every rule ID"),
    # batch: an output folder that cannot be used (stderr, exit 2 or 9), or results that cannot be written
    (r"--out (?P<p>.+?) 已存在且不是文件夹", "--out {p} exists and is not a folder"),
    (r"无法创建输出文件夹 (?P<p>.+?)：(?P<why>[^：]+)", "The output folder {p} cannot be created: {why}"),
    (r"无法在输出文件夹 (?P<p>.+?) 中写入：(?P<why>[^：]+)", "Cannot write in the output folder {p}: {why}"),
    (r"无法使用输出文件夹 (?P<p>.+?)：(?P<why>[^：]+)", "The output folder {p} cannot be used: {why}"),
    (r"输出文件夹中有符号链接 (?P<p>.+?)：为安全起见不会跟随或写入它；请删除该链接，或换一个 --out",
     "The output folder holds a symbolic link {p}: for safety it is neither followed nor written; delete the "
     "link or choose another --out"),
    (r"输出文件夹 (?P<p>.+?) 中的 (?P<rows>.+?) 不是本工具生成的（不在运行清单 (?P<m>\S+) 中），"
     r"--overwrite 不会删除或覆盖它们；请移走后重试，或换一个 --out",
     "In the output folder {p}, {rows} were not made by this tool (they are not in the run manifest {m}); "
     "--overwrite does not delete or replace them: move them away and try again, or choose another --out"),
    (r"输出文件夹 (?P<p>.+?) 不是空的；如要覆盖上次的结果，请加 --overwrite",
     "The output folder {p} is not empty; add --overwrite to replace the last run's results"),
    (r"输出文件夹 (?P<p>.+?) 正被另一次批量运行使用（进程 (?P<pid>[^）]+)）；(?P<rest>.*)",
     "The output folder {p} is in use by another batch run (process {pid}); wait for it to finish or choose "
     "another --out"),
    (r"无法写出结果（(?P<why>[^）]+)）：(?P<p>.+?)；未留下看似完整的 results.jsonl，请腾出空间或换一个 --out 后重新运行",
     "The results cannot be written ({why}): {p}; no complete-looking results.jsonl was left behind: free "
     "some space or choose another --out, then run again"),
    # batch: the input refused as a whole (stderr, exit 7)
    (r"不支持的输入 (?P<f>.+?)：应为 .xlsx 工作簿、CSV 文件夹或申请人 YAML/JSON 文件夹",
     "Unsupported input {f}: use an .xlsx workbook, a folder of CSV files or a folder of applicant YAML/JSON files"),
    (r"文件夹 (?P<f>.+?) 中既没有 人员.csv（或 persons.csv），也没有申请人 YAML/JSON 文件",
     "The folder {f} has neither a persons sheet file, persons.csv (人员), nor applicant YAML/JSON files"),
    (rf"(?P<f>.+?) 的「人员」表有 {N} 行，超过上限 (?P<m>[\d,]+) 人；请分批运行",
     "The persons sheet (人员) of {f} has {n} rows, over the limit of {m} people; run it in parts"),
    (r"(?P<f>.+?) 中没有「人员」表（或 persons）", "{f} has no persons sheet (人员), also accepted as persons"),
    (r"(?P<f>.+?) 没有读取权限，无法打开", "{f} cannot be opened: no permission to read it"),
    (r"找不到 (?P<f>.+)", "{f} not found"),
    (r"(?P<f>.+?) 无法作为 .xlsx 工作簿打开：文件已损坏，或不是 Excel 工作簿（请在 Excel 中另存为 .xlsx 后再试）",
     "{f} cannot be opened as an .xlsx workbook: it is damaged or not an Excel workbook (save it as .xlsx in Excel "
     "and try again)"),
    (r"(?P<f>.+?) 既不是 UTF-8 也不是 GBK 编码", "{f} is neither UTF-8 nor GBK text"),
    (r"(?P<f>.+?): 文件无法读取：(?P<why>.*)", "{f}: the file cannot be read: {why}"),
    (rf"(?P<f>.+?) 解压后共 {N} MB，超过上限 (?P<m>[\d,]+) MB（可用 --max-unzipped-mb 调整），拒绝读取",
     "{f} unzips to {n} MB, over the limit of {m} MB (--max-unzipped-mb changes it); refused"),
    (rf"(?P<f>.+?) 的共享文本表解压后 {N} MB，超过上限 (?P<m>[\d,]+) MB，拒绝读取",
     "The shared-strings table of {f} unzips to {n} MB, over the limit of {m} MB; refused"),
    (r"(?P<f>.+?) 过大，不是正常的工作簿", "{f} is too large for a normal workbook"),
    (rf"(?P<f>.+?) 的「(?P<s>.*)」表有一行超过 {N} MB，拒绝读取",
     "A row of sheet '{s}' in {f} is over {n} MB; refused"),
    (r"(?P<f>.+?) 的「(?P<s>.*)」表(?P<w>声明的范围|用到的范围)到第 (?P<c>[A-Z]+) 列，超过上限 (?P<m>[A-Z]+) 列（(?P<k>\d+) 列）；"
     r"请删除多余的列或误填的远处单元格后重试",
     "Sheet '{s}' of {f} reaches column {c}, over the limit of column {m} ({k} columns); delete the extra "
     "columns or stray far-away cells and try again"),
    (rf"(?P<f>.+?) 的「(?P<s>.*)」表(?P<w>声明的范围|用到的范围)为 {N} 行 × (?P<c>\d+) 列，超过 (?P<m>[\d,]+) 个单元格的上限"
     r"（可用 --max-cells 调整）；请删除误填的远处单元格后重试",
     "Sheet '{s}' of {f} spans {n} rows × {c} columns, over the limit of {m} cells (--max-cells changes it); "
     "delete stray far-away cells and try again"),
)

# batch/outdir.py os_reason: the usual I/O errors.
IO_REASONS: dict[str, str] = {
    "磁盘空间已满": "the disk is full", "磁盘配额已满": "the disk quota is used up", "所在磁盘是只读的": "the disk is read-only",
    "没有写入权限": "no permission to write", "路径中有一段是文件而不是文件夹": "a part of the path is a file, not a folder",
    "路径不存在": "the path does not exist", "路径是符号链接": "the path is a symbolic link",
    "文件名太长": "the file name is too long", "已存在同名文件": "a file of that name exists",
}

# The kinds of reader notices (batch/readers.py Notice.kind).
NOTICE_KINDS: dict[str, str] = {
    "未识别的表": "Unknown sheet", "重复的表": "Duplicate sheet", "未识别的列": "Unknown column",
    "重复的列": "Duplicate column", "缺少必填列": "Missing column", "示例行": "Example row",
    "工号重复": "Duplicate employee no.", "无法关联": "Cannot be matched", "未匹配的行": "Unmatched row",
}


@cache
def _headers() -> dict[str, str]:
    """Each batch column header → its English label (labels.yaml `fields`, by the column's field path)."""
    from jifen_check.batch.columns import SHEETS
    from jifen_check.render.plain import labels

    fields = labels().get("fields", {})
    out: dict[str, str] = {}
    for sheet in SHEETS:
        for col in sheet.columns:
            path = col.field if sheet.list_path is None or "." in col.field else f"{sheet.list_path}.{col.field}"
            pair = fields.get(path) or fields.get(col.field)
            if pair:
                out[col.header] = str(pair[1])
    return out


def _choices(listed: str, header: str | None) -> str:
    """「有效、过期」 → "valid, expired": a column's Chinese choice labels as the codes it also accepts."""
    codes = _codes().get(header or "", {})
    return ", ".join(codes.get(item, item) for item in listed.split("、"))


@cache
def _codes() -> dict[str, dict[str, str]]:
    """Each batch column header → its choices, label → code."""
    from jifen_check.batch.columns import SHEETS

    return {col.header: {label: code for code, label in col.options} for sheet in SHEETS
            for col in sheet.columns if col.options}


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    heads = "|".join(re.escape(h) for h in sorted(_headers(), key=len, reverse=True))
    return tuple((re.compile("^" + zh.replace("{H}", f"(?P<H>{heads})") + "$", re.S), en) for zh, en in FORMS)


def english(message: str) -> str | None:
    """The message in English, or None when its form has no English here. A schema message with the
    typed value after it (「应为数字（实际为 'abc'）」) is its head's English plus the value."""
    found = _match(message)
    if found is None and (got := _GOT.match(message)):
        head = _match(got["head"])
        if head is not None:
            return f"{head} (got {got['v']})"
    if found is None and (named := _FILE.match(message)):  # a whole-file problem: 「a.yaml: …」
        rest = english(named["rest"])
        if rest is not None:
            return f"{named['f']}: {rest}"
    return found


def in_lang(message: str, lang: str) -> str:
    """One of our Chinese messages in the asked language: its English form under `en` when one
    exists, else the message as it is (the Chinese is still the truth)."""
    if lang != "en":
        return message
    return english(message) or message


_GOT = re.compile(r"^(?P<head>.+)（实际为 (?P<v>.*)）$", re.S)
_FILE = re.compile(r"^(?P<f>[^\s:：]+): (?P<rest>.+)$", re.S)


def _match(message: str) -> str | None:
    for pattern, en in _compiled():
        m = pattern.match(message)
        if m:
            groups = m.groupdict()
            if "why" in groups:  # an I/O reason (batch/outdir.py os_reason)
                groups["why"] = IO_REASONS.get(groups["why"], groups["why"])
            for key in ("rows", "others"):  # lists of cells: 社保!2、个税!2
                if key in groups:
                    groups[key] = groups[key].replace("、", ", ")
            if "a" in groups:  # a list of choices
                groups["a"] = _choices(groups["a"], groups.get("H"))
            if "H" in groups:
                groups["H"] = _headers()[groups["H"]]
            return en.format(**groups)
    return None
