#!/usr/bin/python3
"""Writes the XLSX fixtures of tests/sheet/sheet_test.cpp with libraries other than onex's:
openpyxl (Debian python3-openpyxl 3.0.9) and, for what openpyxl never writes (shared strings,
rich text, a DOCTYPE, a broken part), Python's zipfile on XML written here by hand. Each file
openpyxl can open is read back with it and checked against what the C++ test expects, so the
fixtures and the expectations agree with a second reader.

Run: /usr/bin/python3 tests/data/sheet/make.py   (the output is the same on every run)
"""
import io
import os
import re
import zipfile
from datetime import datetime

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

HEADER = ["考生类型", "姓名", "姓名拼音", "身份证号", "手机号", "就读专业", "专业层次", "入学年份"]
# Row number -> cells as openpyxl is given them (None: no cell). Rows 4 and 5 are left out.
TEMPLATE_ROWS = {
    2: ["统招", "张三", "zhang san", "110101199001011234", 13800138000, "计算机应用技术", "专科", 2021],
    3: ["社会", "李四", "li si", "11010119900101123X", None, "会计", "本科", 2022],
    6: ["统招", "王五", "wang wu", "110101199001015678", 13900139000, "护理", "专科", 2020],
}


def save_zip(path, parts):
    """Writes `parts` (name -> bytes, in order) with fixed times, so reruns give the same file."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def openpyxl_parts(workbook):
    buffer = io.BytesIO()
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


def template_workbook():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考生"
    ws.append(HEADER)
    for number, cells in TEMPLATE_ROWS.items():
        for column, value in enumerate(cells, start=1):
            if value is not None:
                ws.cell(row=number, column=column, value=value)
    return wb


def to_shared_strings(parts):
    """openpyxl 3.0 writes every string inline; Excel and WPS write shared strings. Moves the
    first sheet's inline strings into xl/sharedStrings.xml, each distinct text once."""
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    table = []

    def shared(match):
        text = match.group(3)
        if text not in table:
            table.append(text)
        return '<c %st="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), table.index(text))

    sheet = re.sub(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', shared, sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    items = "".join("<si><t>%s</t></si>" % t for t in table)
    parts["xl/sharedStrings.xml"] = ('<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                                     % (MAIN, len(table), len(table), items)).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>", '<Relationship Type="%s/sharedStrings" '
                        'Target="sharedStrings.xml" Id="rId99"/></Relationships>' % REL)
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                          '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                          'sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    return parts


def make_templates():
    # As openpyxl writes it: inline strings, numbers as integers.
    save_zip(os.path.join(HERE, "template-inline.xlsx"), openpyxl_parts(template_workbook()))
    # As Excel writes it: shared strings, and the phone number 13900139000 stored the way Excel
    # stores a number it was given as 1.3900139E+10.
    parts = to_shared_strings(openpyxl_parts(template_workbook()))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<v>13900139000</v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<v>13900139000</v>",
                                                      "<v>1.3900139E10</v>").encode()
    save_zip(os.path.join(HERE, "template.xlsx"), parts)


def make_second_first():
    """Two sheets; workbook.xml lists sheet2.xml's sheet first, so that one is the first sheet."""
    wb = openpyxl.Workbook()
    wb.active.title = "旧表"
    wb.active.append(["not", "this", "one"])
    second = wb.create_sheet("名单")
    second.append(["姓名", "身份证号"])
    second.append(["赵六", "110101199001019999"])
    parts = openpyxl_parts(wb)
    book = parts["xl/workbook.xml"].decode()
    sheets = re.search(r"<sheets>(<sheet [^>]*/>)(<sheet [^>]*/>)</sheets>", book)
    book = book.replace(sheets.group(0), "<sheets>%s%s</sheets>" % (sheets.group(2), sheets.group(1)))
    parts["xl/workbook.xml"] = book.encode()
    save_zip(os.path.join(HERE, "second-first.xlsx"), parts)


def handmade_parts(sheet_xml, shared_strings_xml, sheet_target="worksheets/data.xml"):
    """A minimal package written by hand; the sheet's relationship target is relative."""
    sheet_part = "xl/" + sheet_target
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/%s" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
            'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>' % sheet_part),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s"><Relationship '
            'Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            % (PKG_REL, REL)),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
            '<sheet name="手工" sheetId="1" r:id="rId7"/></sheets></workbook>' % (MAIN, REL)),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
            '<Relationship Id="rId8" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId7" Type="%s/worksheet" Target="%s"/></Relationships>'
            % (PKG_REL, REL, REL, sheet_target)),
        "xl/sharedStrings.xml": shared_strings_xml,
        sheet_part: sheet_xml,
    }


# Shared strings as Excel writes them for rich text (runs) and Japanese-style phonetic guides
# (<rPh>, not part of the text); index 2 is an empty string.
HANDMADE_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="4" uniqueCount="4">'
    '<si><t>备注</t></si>'
    '<si><r><rPr><b/></rPr><t>粗</t></r><r><t xml:space="preserve"> 和细</t></r>'
    '<rPh sb="0" eb="1"><t>cu</t></rPh></si>'
    '<si><t/></si>'
    '<si><t>A&amp;B &lt;c&gt;</t></si></sst>' % MAIN)
# The main namespace under a prefix, as the .NET Open XML SDK writes it.
HANDMADE_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<x:worksheet xmlns:x="%s"><x:sheetData>'
    '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is>'
    '<x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r><x:rPh sb="0" eb="1"><x:t>nei</x:t></x:rPh>'
    '</x:is></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>'
    # cells without references follow one another; C is skipped by reference; trailing empties
    '<x:row r="2"><x:c t="inlineStr"><x:is><x:t xml:space="preserve">  两边有空格  </x:t></x:is>'
    '</x:c><x:c t="b"><x:v>1</x:v></x:c><x:c r="D2" t="b"><x:v>0</x:v></x:c>'
    '<x:c r="E2" t="str"><x:f>"公"&amp;"式"</x:f><x:v>公式</x:v></x:c><x:c r="F2" t="e">'
    '<x:v>#N/A</x:v></x:c><x:c r="G2" t="s"><x:v>2</x:v></x:c><x:c r="H2"/></x:row>'
    '<x:row r="3"/>'
    '<x:row r="4"><x:c r="A4" t="s"><x:v>2</x:v></x:c><x:c r="B4"/></x:row>'
    # numbers: kept as stored, except integers in exponent form
    '<x:row r="5"><x:c r="A5"><x:v>3.5</x:v></x:c><x:c r="B5"><x:v>-1.5E3</x:v></x:c>'
    '<x:c r="C5"><x:v>1.5E-3</x:v></x:c><x:c r="D5"><x:v>1E+20</x:v></x:c>'
    '<x:c r="E5" t="n"><x:v>1.3800138E10</x:v></x:c><x:c r="F5"><x:v>2.5E0</x:v></x:c>'
    '<x:c r="G5"><x:v>0</x:v></x:c><x:c r="H5" t="s"><x:v>3</x:v></x:c></x:row>'
    # columns out of order
    '<x:row r="9"><x:c r="C9" t="inlineStr"><x:is><x:t>丙</x:t></x:is></x:c>'
    '<x:c r="AA9" t="inlineStr"><x:is><x:t>第27列</x:t></x:is></x:c></x:row>'
    '</x:sheetData></x:worksheet>' % MAIN)


def make_handmade():
    save_zip(os.path.join(HERE, "handmade.xlsx"), handmade_parts(HANDMADE_SHEET, HANDMADE_STRINGS))


def make_refusals():
    # An external entity that would read /etc/passwd into a cell if it were expanded.
    xxe = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
           '"file:///etc/passwd">]><worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" '
           't="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>' % MAIN)
    save_zip(os.path.join(HERE, "xxe.xlsx"), handmade_parts(xxe, HANDMADE_STRINGS))
    # The same entity in the shared strings, and a sheet that uses it.
    xxe_strings = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   '<sst xmlns="%s"><si><t>&xxe;</t></si></sst>' % MAIN)
    used = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '</sheetData></worksheet>' % MAIN)
    save_zip(os.path.join(HERE, "xxe-strings.xlsx"), handmade_parts(used, xxe_strings))
    # A sheet whose XML stops in the middle of a cell.
    broken = HANDMADE_SHEET[:HANDMADE_SHEET.index("<x:row r=\"5\">") + 40]
    save_zip(os.path.join(HERE, "broken-xml.xlsx"), handmade_parts(broken, HANDMADE_STRINGS))
    # The workbook's relationship names a sheet part the package does not hold.
    missing = handmade_parts(HANDMADE_SHEET, HANDMADE_STRINGS)
    del missing["xl/worksheets/data.xml"]
    save_zip(os.path.join(HERE, "missing-sheet.xlsx"), missing)
    # Without xl/_rels/workbook.xml.rels: the reader falls back to xl/worksheets/sheet1.xml.
    no_rels = handmade_parts(HANDMADE_SHEET, HANDMADE_STRINGS, "worksheets/sheet1.xml")
    del no_rels["xl/_rels/workbook.xml.rels"]
    save_zip(os.path.join(HERE, "no-rels.xlsx"), no_rels)
    # A ZIP archive that is no workbook.
    save_zip(os.path.join(HERE, "not-a-workbook.zip"), {"readme.txt": "只是一个压缩包\n"})


def rows_of(name):
    ws = openpyxl.load_workbook(os.path.join(HERE, name), data_only=True).worksheets[0]
    return {row[0].row: [c.value for c in row] for row in ws.iter_rows() if
            any(c.value is not None for c in row)}


def check():
    """openpyxl's reading of the fixtures, which the C++ test's expectations repeat."""
    for name in ("template.xlsx", "template-inline.xlsx"):
        rows = rows_of(name)
        assert rows[1] == HEADER, rows[1]
        assert sorted(rows) == [1, 2, 3, 6], sorted(rows)
        assert rows[2] == TEMPLATE_ROWS[2], rows[2]
        assert rows[3] == TEMPLATE_ROWS[3], rows[3]
        assert rows[6][4] == 13900139000, rows[6]
    assert openpyxl.load_workbook(os.path.join(HERE, "second-first.xlsx")).sheetnames == ["名单", "旧表"]
    assert rows_of("second-first.xlsx") == {1: ["姓名", "身份证号"], 2: ["赵六", "110101199001019999"]}
    rows = rows_of("handmade.xlsx")
    assert rows[1][:3] == ["备注", "内联", "粗 和细"], rows[1]
    assert rows[2][:6] == ["  两边有空格  ", True, None, False, "公式", "#N/A"], rows[2]
    assert rows[5][:2] == [3.5, -1500] and rows[5][7] == "A&B <c>", rows[5]
    assert rows[9][2] == "丙" and rows[9][26] == "第27列", rows[9]


if __name__ == "__main__":
    make_templates()
    make_second_first()
    make_handmade()
    make_refusals()
    check()
    print("fixtures written and read back with openpyxl", openpyxl.__version__)
