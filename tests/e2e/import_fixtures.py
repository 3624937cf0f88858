#!/usr/bin/python3
"""Roster files for tests/e2e/import.test.js, made at test time (Debian's
python3-openpyxl, hence /usr/bin/python3).

    import_fixtures.py OUTDIR [ROWS]

writes into OUTDIR:
  good.xlsx     ROWS valid members (header in row 1), dates as real Excel dates
  bad.xlsx      the same with 3 rows broken: a wrong ID check digit, a join
                date before the 18th birthday, an 11-digit phone cut to 10
  good_gbk.csv  the rows of good.xlsx as Excel in China saves CSV: GBK, CRLF,
                dates written 1990/3/7
and prints a JSON description: the broken rows (as Excel numbers them) with
the column each problem is in, and the ID numbers of all rows.
"""
import csv
import io
import json
import random
import sys
from datetime import date, timedelta

from openpyxl import Workbook

OUT = sys.argv[1]
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
TODAY = date.today()
rng = random.Random(20260101)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鹏飞建国志文斌亮宇浩凯秀云海波春燕晓东雪峰琳红兵"
EDUCATION = ["大学本科", "大学专科", "高中", "初中", "中专", "硕士研究生", "小学及以下"]
ORGS = ["", "", "CJZ-CJC-1", "陈集村第二党小组"]  # blank: the org chosen for the import
HEADER = ["序号", "姓名", "性别", "民族", "出生日期", "身份证号", "学历", "手机号码", "家庭住址",
          "入党日期", "转正日期", "党员类别", "党籍状态", "组织编码", "在职党员", "报到社区", "职务"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


seen_ids = set()


def member(i):
    male = rng.random() < 0.6
    while True:
        birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, (date(1998, 12, 31) - date(1945, 1, 1)).days))
        seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = "371524" + birth.strftime("%Y%m%d") + "%03d" % seq
        idn = first17 + check_char(first17)
        if idn not in seen_ids:
            seen_ids.add(idn)
            break
    earliest = add_years(birth, 18) + timedelta(days=1)
    probationary = rng.random() < 0.08
    if probationary:  # admitted within the last ten months
        join = TODAY - timedelta(days=rng.randrange(30, 300))
        if join < earliest:
            join = earliest
        full = None
    else:
        latest = TODAY - timedelta(days=400)
        span = max(1, (latest - earliest).days)
        join = earliest + timedelta(days=rng.randrange(0, span))
        full = add_years(join, 1) + timedelta(days=rng.randrange(0, 30))
    status = rng.choices(["正常", "离退休", "流动"], [85, 10, 5])[0]
    in_service = rng.random() < 0.15
    return {
        "姓名": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2]))),
        "性别": "男" if male else "女",
        "民族": rng.choices(["汉族", "回族", "满族"], [95, 4, 1])[0],
        "出生日期": birth,
        "身份证号": idn,
        "学历": rng.choice(EDUCATION),
        "手机号码": rng.choice(["13", "15", "18", "17"]) + "%09d" % rng.randrange(0, 10**9),
        "家庭住址": "东阿县陈集镇陈集村%d号" % rng.randrange(1, 400),
        "入党日期": join,
        "转正日期": full,
        "党员类别": "预备" if probationary else "正式",
        "党籍状态": status,
        "组织编码": ORGS[i % len(ORGS)],
        "在职党员": "是" if in_service else "否",
        "报到社区": "CJZ-DSQ" if in_service else "",
        "职务": rng.choices(["", "网格员", "党员中心户", "网格员、党员中心户"], [85, 7, 6, 2])[0],
    }


rows = [member(i) for i in range(ROWS)]


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER)
    for n, r in enumerate(rows, 1):
        ws.append([n] + [r[h] for h in HEADER[1:]])
    for col in ("E", "J", "K"):
        for cell in ws[col][1:]:
            cell.number_format = "yyyy-mm-dd"
    ws.column_dimensions["F"].width = 22
    wb.save(path)


write_xlsx(f"{OUT}/good.xlsx", rows)

# Three rows broken, one problem each; rows as Excel numbers them (header = 1).
bad = [dict(r) for r in rows]
broken = []
i = 10
idn = bad[i]["身份证号"]
bad[i]["身份证号"] = idn[:17] + "10X98765432"[("10X98765432".index(idn[17]) + 1) % 11]
broken.append({"row": i + 2, "column": "身份证号"})
i = min(1000, ROWS - 2)
b = bad[i]["出生日期"]
bad[i]["入党日期"] = add_years(b, 17)
bad[i]["转正日期"] = add_years(b, 18) + timedelta(days=2)
bad[i]["党员类别"] = "正式"
broken.append({"row": i + 2, "column": "入党日期"})
i = ROWS - 1
bad[i]["手机号码"] = bad[i]["手机号码"][:10]
broken.append({"row": i + 2, "column": "手机号码"})
write_xlsx(f"{OUT}/bad.xlsx", bad)


def csv_date(d):
    return "" if d is None else f"{d.year}/{d.month}/{d.day}"


buf = io.StringIO(newline="")
w = csv.writer(buf, lineterminator="\r\n")
w.writerow(HEADER)
for n, r in enumerate(rows, 1):
    w.writerow([n] + [csv_date(r[h]) if isinstance(r[h], date) or r[h] is None and h.endswith("日期") else r[h]
                      for h in HEADER[1:]])
with open(f"{OUT}/good_gbk.csv", "wb") as f:
    f.write(buf.getvalue().encode("gbk"))

json.dump({"rows": ROWS, "broken": broken, "ids": [r["身份证号"] for r in rows]}, sys.stdout, ensure_ascii=False)
