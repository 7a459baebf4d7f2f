#!/usr/bin/env python3
"""Writes the golden inputs of tests/data/encodings/ (run from the repository root).

They are binary on purpose (other encodings, binary signatures), so they are made here,
where what each holds can be read; tests/core/encoding_test.cpp compares the job's output
and summary with the .expected files beside them.
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "encodings")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def u16le(text):
    return text.encode("utf-16-le")


def u16be(text):
    return text.encode("utf-16-be")


# Excel's "CSV (semicolon)" on a Western Windows: Windows-1252, CRLF, a sep= line. The
# ragged row checks that places count the sep= line (line 5, the byte where it starts).
write("excel_1252_sep.csv",
      "sep=;\r\nName;City;Price\r\nJosé;Zürich;1,50\r\nBjörk;Reykjavík;€ 2,00\r\nNoël;Besançon\r\n"
      "Œuvre;“Paris”;3,10\r\n".encode("cp1252"))
# Excel's "Unicode Text": UTF-16LE with a BOM, tab-separated, CRLF, a ragged row.
write("excel_unicode_text.txt",
      b"\xff\xfe" + u16le("Name\tCity\tAmount\r\nJosé\tZürich\t1.5\r\nŁukasz\tŁódź\t2\r\nshort\trow\r\n"
                          "Ἀθῆναι\t東京\t3\r\n"))
write("utf16be_bom.csv", b"\xfe\xff" + u16be("id,word\n1,naïve\n2,façade\n3\n4,smörgåsbord\n"))
write("utf16le_no_bom.csv", u16le("id,city\n1,Zürich\n2,Genève\n3,São Paulo\n"))
write("utf16be_no_bom.tsv", u16be("id\tcity\n1\tKraków\n2\tMünchen\n"))
# Characters outside the BMP: surrogate pairs, which random chunkings cut in every place.
write("surrogate_pairs.csv", b"\xff\xfe" + u16le("id,emoji,name\n1,😀,grin\n2,🎉🎉,party\n3,𝄞,clef\n"))
# Invalid UTF-16: a lone high surrogate, a lone low surrogate, and a cut last code unit.
write("lone_surrogate.csv",
      b"\xff\xfe" + u16le("id,text\n1,ok\n2,a") + b"\x3d\xd8" + u16le("b\n3,") + b"\x00\xde" + u16le("c\n4,fine\n5,")
      + b"x")
# NDJSON in UTF-16: the JSON parser's own invalid-UTF-8 message on a lone surrogate.
write("utf16_events.ndjson",
      b"\xff\xfe" + u16le('{"user":"Zoë","n":1}\n{"user":"') + b"\x3d\xd8" + u16le('","n":2}\n{"user":"Ådne","n":3}\n'))
write("utf8_bom_sep.csv", "\ufeffsep=|\nname|city\nJosé|Zürich\nAnn\n".encode("utf-8"))
write("utf8_bom.tsv", "\ufeffname\tcity\nJosé\tZürich\n".encode("utf-8"))
# UTF-8 with one stray Windows-1252 byte: stays UTF-8, the row is a bad row.
write("mostly_utf8.csv", "name,city\nJosé,Zürich\nRenée,Genève\nZoë,".encode("utf-8") + b"K\xf6ln\nAnn,Oslo\n")
# Bytes 0x80-0x9F read as Windows-1252 (auto) or as C1 controls (latin-1 forced).
write("latin1.csv", b"code,text\n1,caf\xe9\n2,\x80 5\n3,\x93quoted\x94\n4,\x81\x8d\n")
# Not text: refused as unsupported, never parsed.
write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
name = b"[Content_Types].xml"
write("workbook.xlsx", b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", 20, 6, 8, 0, 0, 0, 0, 0, len(name), 0) + name
      + b"\x00" * 8 + b"PK\x03\x04" + b"\x14\x00" * 10 + b"xl/workbook.xml")
write("report.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff")
write("data.csv.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + zlib.compress(b"a,b\n1,2\n")[2:-4])
write("binary.csv", b"id,name\n1,\x00\x01\x02\x03\x00\xff\n")
