"""Second independent red-team set: 40 German number-handover letters set with Typst.

Every letter is written as Typst markup here and compiled by the Typst compiler (the
``typst`` package from PyPI, a producer the project's own generator does not use). Six
letters are also rendered as image-only scans. ``letters/truth.json`` is computed from
the same objects that print the numbers, so it is exact by construction.

Rebuild (from the repository root)::

    python3 -m venv /tmp/h-venv && /tmp/h-venv/bin/pip install typst   # the producer, once
    .venv/bin/python tests/redteam2/make_letters.py [--out DIR] [--typst-python PY]

The script itself runs in the project's venv (phonenumbers, pypdfium2, Pillow, numpy);
only the Typst compilation runs in the separate interpreter given by ``--typst-python``
(default ``/tmp/h-venv/bin/python``), so nothing is installed into the project's venv.
Output is deterministic for a given seed apart from the scans' JPEG encoder.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import phonenumbers
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
SEED = 20261202
FONT_DIRS = ["/usr/share/fonts/truetype"]

# ---------------------------------------------------------------- numbers

AREAS = [
    "30", "40", "89", "221", "69", "711", "211", "341", "351", "511", "421", "911",
    "231", "201", "6221", "761", "9131", "3641", "2151", "4321", "228", "251", "561",
    "371", "381", "331", "621", "721", "8031", "441", "4631", "7031", "3581",
]  # fmt: skip
MOBILE = ["151", "152", "160", "162", "170", "171", "172", "175", "176", "179"]


def is_valid(e164: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(e164))


def pairs(digits: str) -> str:
    """Group digits in pairs from the right, as DIN 5008 did before 2011."""
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-2:])
        digits = digits[:-2]
    out.insert(0, digits)
    return " ".join(out)


@dataclass(frozen=True)
class Num:
    area: str
    sub: str

    @property
    def e164(self) -> str:
        return f"+49{self.area}{self.sub}"

    def members(self) -> list[str]:
        return [self.e164]

    def f(self, style: str = "nat") -> str:
        a, s = self.area, self.sub
        forms = {
            "nat": f"0{a} {s}",
            "slash": f"0{a}/{s}",
            "br": f"(0{a}) {pairs(s)}",
            "brn": f"(0{a}) {s}",
            "grp": f"0{a} {pairs(s)}",
            "dash": f"0{a}-{s}",
            "intl": f"+49 {a} {s}",
            "intl0": f"+49 (0){a} {s}",
            "intlgrp": f"+49 {a} {pairs(s)}",
            "i00": f"0049 {a} {s}",
            "e164": self.e164,
            "tight": f"0{a}{s}",
            "din": f"0{a} {s[:-2]}-{s[-2:]}",
            "din1": f"0{a} {s[:-1]}-{s[-1:]}",
            "din3": f"0{a} {s[:-3]}-{s[-3:]}",
            "intldin": f"+49 {a} {s[:-2]}-{s[-2:]}",
            "intldin1": f"+49 {a} {s[:-1]}-{s[-1:]}",
            "mob": f"0{a} {s}",
            "mobgrp": f"0{a} {s[:3]} {s[3:]}",
            "mobintl": f"+49 {a} {s}",
        }
        return forms[style]


@dataclass(frozen=True)
class Block:
    area: str
    stem: str
    lo: int
    hi: int
    width: int

    def ext(self, n: int) -> str:
        return f"{n:0{self.width}d}"

    def members(self) -> list[str]:
        return [f"+49{self.area}{self.stem}{self.ext(n)}" for n in range(self.lo, self.hi + 1)]

    def sub(self, lo: int, hi: int) -> Block:
        return Block(self.area, self.stem, lo, hi, self.width)

    def one(self, n: int) -> Num:
        return Num(self.area, self.stem + self.ext(n))

    def f(self, style: str = "din") -> str:
        a, s, lo, hi = self.area, self.stem, self.ext(self.lo), self.ext(self.hi)
        forms = {
            "din": f"0{a} {s}-{lo} bis -{hi}",
            "dinshort": f"0{a} {s}-{self.lo} bis -{self.hi}",
            "dindash": f"0{a} {s}-{lo} – {hi}",
            "dinfull": f"0{a} {s}-{lo} bis 0{a} {s}-{hi}",
            "full": f"0{a} {s}{lo} – 0{a} {s}{hi}",
            "fullbis": f"0{a} {s}{lo} bis 0{a} {s}{hi}",
            "tail": f"0{a} {s}{lo} – …{s[-1]}{hi}",
            "intl": f"+49 {a} {s}-{lo} bis -{hi}",
            "i00": f"0049 {a} {s} {lo}-{hi}",
            "br": f"(0{a}) {s}-{lo} bis -{hi}",
            "slash": f"0{a}/{s}-{lo} bis {hi}",
        }
        return forms[style]


Item = Num | Block


class Gen:
    """Unique, valid random numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def _take(self, members: list[str]) -> bool:
        if any(m in self.used or not is_valid(m) for m in members):
            return False
        self.used.update(members)
        return True

    def num(self, area: str | None = None, length: int | None = None) -> Num:
        while True:
            a = area or self.rng.choice(AREAS)
            n = length or self.rng.choice([10, 10, 11, 11, 9]) - len(a) - 1 + 1
            n = max(5, min(n, 11 - len(a)))
            s = str(self.rng.randint(2, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(n - 1)
            )
            x = Num(a, s)
            if self._take(x.members()):
                return x

    def mobile(self) -> Num:
        while True:
            p = self.rng.choice(MOBILE)
            n = 8 if p.startswith("15") else self.rng.choice([7, 8])
            x = Num(p, "".join(str(self.rng.randint(0, 9)) for _ in range(n)))
            if self._take(x.members()):
                return x

    def service(self, prefix: str = "800") -> Num:
        while True:
            x = Num(prefix, str(self.rng.randint(1000000, 9999999)))
            if self._take(x.members()):
                return x

    def block(
        self, area: str | None = None, stem_len: int = 5, width: int = 2, lo: int = 0, hi: int = 99
    ) -> Block:
        while True:
            a = area or self.rng.choice(AREAS)
            sl = max(3, min(stem_len, 11 - len(a) - width))
            s = str(self.rng.randint(2, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(sl - 1)
            )
            b = Block(a, s, lo, hi, width)
            if self._take(b.members()):
                return b

    def pbx(self, area: str | None = None, stem_len: int = 5, width: int = 2) -> Block:
        """A reserved PBX range: the whole block is used so single members stay unique."""
        return self.block(area, stem_len, width, 0, 10**width - 1)


# ---------------------------------------------------------------- letters


@dataclass
class Letter:
    name: str
    family: str
    signed: bool = True
    request_mode: str = "plus_keepback"
    transfer: list[Item] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)
    unclear: list[Item] = field(default_factory=list)
    contact: list[Item] = field(default_factory=list)
    lookalike: list[Item] = field(default_factory=list)
    ask_contact: list[Item] = field(default_factory=list)
    ask_only: list[str] | None = None
    printed: list[str] = field(default_factory=list)
    body: str = ""
    minus: bool = False

    def p(self, x: Item, style: str = "nat") -> str:
        s = x.f(style)
        self.printed.append(s)
        return esc(s, self.minus)

    def T(self, x: Item, style: str = "nat") -> str:
        self.transfer.append(x)
        return self.p(x, style)

    def X(self, x: Item, style: str = "nat") -> str:
        self.excluded.append(x)
        return self.p(x, style)

    def U(self, x: Item, style: str = "nat") -> str:
        self.unclear.append(x)
        return self.p(x, style)

    def C(self, x: Item, style: str = "nat", ask: bool = False) -> str:
        self.contact.append(x)
        if ask:
            self.ask_contact.append(x)
        return self.p(x, style)

    def L(self, x: Item, style: str = "tight") -> str:
        """A look-alike: a reference number that is also a valid phone number."""
        self.lookalike.append(x)
        return self.p(x, style)

    def truth(self) -> dict[str, object]:
        def mem(items: list[Item]) -> set[str]:
            return {m for x in items for m in x.members()}

        transfer, excluded, unclear = mem(self.transfer), mem(self.excluded), mem(self.unclear)
        contact = mem(self.contact) | mem(self.lookalike)
        roles = [transfer, excluded, unclear, contact]
        for i, a in enumerate(roles):
            for b in roles[i + 1 :]:
                assert not a & b, (self.name, a & b)
        for n in transfer | excluded | unclear | contact:
            assert is_valid(n), (self.name, n)
        if self.ask_only is not None:
            requested = set(self.ask_only)
        else:
            asked = self.ask_contact or self.contact[:1]
            requested = transfer | excluded | unclear | mem(asked) | mem(self.lookalike[:1])
        return {
            "family": self.family,
            "producer": "typst",
            "scanned": False,
            "signed": self.signed,
            "pages": 0,
            "request_mode": self.request_mode,
            "requested": sorted(requested),
            "transfer": sorted(transfer),
            "excluded": sorted(excluded),
            "contact": sorted(contact),
            "unclear": sorted(unclear),
            "approve": sorted(transfer & requested),
        }


def esc(s: str, minus: bool = False) -> str:
    """Escape Typst markup. Typst turns "-" before a digit into U+2212 unless escaped;
    ``minus=True`` keeps that typesetter habit on purpose."""
    s = re.sub(r"([\\#$*_@<>\[\]`~/])", r"\\\1", s)
    return s if minus else s.replace("-", "\\-")


# ---------------------------------------------------------------- Typst pieces


def page(font: str = "DejaVu Sans", size: float = 10, margin: str = "(x: 2.3cm, top: 2cm, bottom: 2.5cm)",
         footer: str = "", header: str = "", justify: bool = False, paper: str = "a4") -> str:  # fmt: skip
    foot = f"footer: [{footer}]," if footer else ""
    head = f"header: [{header}]," if header else ""
    return (
        f'#set page(paper: "{paper}", margin: {margin}, {foot} {head})\n'
        f'#set text(font: "{font}", size: {size}pt, lang: "de", hyphenate: false)\n'
        f"#set par(justify: {'true' if justify else 'false'}, leading: 0.62em)\n"
        "#set table(inset: 5pt)\n"
    )


def ink(rng: random.Random, w: float = 120, h: float = 34, color: str = "#1b2a7a") -> str:
    """A hand-drawn looking scribble as a vector path."""
    pts: list[str] = [
        f"curve.move(({rng.uniform(0, 8):.1f}pt, {rng.uniform(h * 0.4, h * 0.8):.1f}pt))"
    ]
    x = 5.0
    while x < w - 10:
        nx = x + rng.uniform(10, 24)
        c1 = (x + rng.uniform(2, 8), rng.uniform(-4, h))
        c2 = (nx - rng.uniform(2, 8), rng.uniform(0, h + 4))
        end = (nx, rng.uniform(h * 0.2, h * 0.9))
        pts.append(
            f"curve.cubic(({c1[0]:.1f}pt, {c1[1]:.1f}pt), ({c2[0]:.1f}pt, {c2[1]:.1f}pt), "
            f"({end[0]:.1f}pt, {end[1]:.1f}pt))"
        )
        x = nx
    pts.append(f"curve.move(({w * 0.15:.1f}pt, {h * 0.95:.1f}pt))")
    pts.append(f"curve.line(({w * 0.85:.1f}pt, {h * 0.75:.1f}pt))")
    stroke = f'{rng.uniform(0.8, 1.4):.2f}pt + rgb("{color}")'
    return f"#box(width: {w}pt, height: {h}pt, curve(stroke: {stroke}, {', '.join(pts)}))"


def sig(rng: random.Random, kind: str, name: str, role: str, company: str = "") -> str:
    """Closing and signature. kind: ink, ia, ppa, gez, none, box_ink, box_empty, line_blank, two."""
    co = f"\\\n{esc(company)}" if company else ""
    if kind == "ink":
        return f"Mit freundlichen Grüßen{co}\n\n{ink(rng)}\\\n{esc(name)}\\\n{esc(role)}\n"
    if kind == "ia":
        return (
            f"Mit freundlichen Grüßen{co}\n\ni.A. {ink(rng, 100, 30)}\\\n{esc(name)}, {esc(role)}\n"
        )
    if kind == "ppa":
        return f"Freundliche Grüße{co}\n\n{ink(rng, 130, 36, '#101010')}\\\nppa. {esc(name)}\\\n{esc(role)}\n"
    if kind == "gez":
        return f"Mit freundlichen Grüßen{co}\n\ngez. {esc(name)}\\\n{esc(role)}\n"
    if kind == "none":
        return (
            f"Mit freundlichen Grüßen{co}\n\n{esc(name)}\\\n{esc(role)}\n\n"
            "#text(size: 8pt)[Dieses Schreiben wurde maschinell erstellt und ist ohne Unterschrift gültig.]\n"
        )
    if kind in ("box_ink", "box_empty"):
        inner = ink(rng, 140, 32) if kind == "box_ink" else ""
        return (
            f"#table(columns: (7cm, 5cm), inset: 6pt,\n"
            f"  [#v(0.9cm){inner}], [#v(0.9cm)],\n"
            f"  [#text(size: 8pt)[Unterschrift (zeichnungsberechtigt)]], [#text(size: 8pt)[Ort, Datum / Firmenstempel]])\n"
            f"{esc(name)}, {esc(role)}\n"
        )
    if kind == "line_blank":
        return (
            f"Mit freundlichen Grüßen{co}\n\n#v(1.2cm)\n#line(length: 6cm, stroke: 0.5pt)\n"
            f"#text(size: 8pt)[Unterschrift] \\\n{esc(name)}, {esc(role)}\n"
        )
    if kind == "two":
        n1, n2 = name.split("|")
        r1, r2 = role.split("|")
        return (
            f"Mit freundlichen Grüßen{co}\n\n#grid(columns: (1fr, 1fr), gutter: 8pt,\n"
            f"  [{ink(rng, 110, 30)}\\\n{esc(n1)}\\\n{esc(r1)}], [{ink(rng, 110, 30, '#0d0d55')}\\\n{esc(n2)}\\\n{esc(r2)}])\n"
        )
    raise ValueError(kind)


SIGNED = {"ink": True, "ia": True, "ppa": True, "gez": False, "none": False, "box_ink": True,
          "box_empty": False, "line_blank": False, "two": True}  # fmt: skip


def address(lines: list[str]) -> str:
    return "\\\n".join(esc(x) for x in lines) + "\n"


def cell(s: str) -> str:
    return f"[{s}]"


def table(cols: str, header: list[str], rows: list[list[str]], extra: str = "") -> str:
    cells = [f"[*{h}*]" for h in header] + [cell(c) for r in rows for c in r]
    return f"#table(columns: {cols}, {extra}\n  " + ",\n  ".join(cells) + ")\n"


B_PARTNERS = [
    ["Fernmeldedienst Süd GmbH", "Auftragsmanagement", "Leopoldstraße 212", "80807 München"],
    ["Kommunikationshaus West GmbH & Co. KG", "z. Hd. Frau Ilse Brandt", "Am Wehrhahn 33", "40211 Düsseldorf"],
    ["netzwerk.elbe UG (haftungsbeschränkt)", "Herrn Jonas Petersen", "Kehrwieder 9", "20457 Hamburg"],
    ["TKS Telefonie-Komplettservice GmbH", "Provisioning", "Gutenbergstraße 4a", "70176 Stuttgart"],
    ["Ostsee Digital GmbH", "Kundenservice", "Lange Straße 11", "18055 Rostock"],
    ["Voicelink Partner GmbH", "Wechselmanagement", "Hanauer Landstraße 151", "60314 Frankfurt am Main"],
]  # fmt: skip


def b_addr(rng: random.Random) -> str:
    return address(rng.choice(B_PARTNERS))


def l01(g: Gen) -> Letter:
    L, r = Letter("01_rechtsabteilung", "legal_formal"), g.rng
    tel, fax = g.num("211", 8), g.num("211", 8)
    a, b, c, k = (g.num("211", 8) for _ in range(4))
    az = g.num("341", 6)
    L.body = (
        page("DejaVu Serif", 10.5, justify=True)
        + f"""
#align(right)[#text(size: 14pt, weight: "bold")[RHEINVOX Carrier AG] \\
Rechtsabteilung \\
Königsallee 61 · 40212 Düsseldorf \\
Telefon {L.C(tel, "br")} · Telefax {L.C(fax, "br")}]
#v(0.8cm)
#text(size: 7pt)[RHEINVOX Carrier AG · Königsallee 61 · 40212 Düsseldorf] \\
{b_addr(r)}
#v(0.5cm)
#align(right)[Düsseldorf, den 14. November 2026]

Unser Zeichen: {L.L(az, "slash")} -- Dr. Wi\\/ks \\
Ihr Schreiben vom 09.11.2026

*Bestätigung der Rufnummernübergabe -- Endkunde Weinhandlung Kessler GmbH (Kundennummer 30 4471 902)*

Sehr geehrte Damen und Herren,

in vorbezeichneter Angelegenheit bestätigen wir hiermit verbindlich und namens der RHEINVOX
Carrier AG, dass die nachstehend bezeichneten Rufnummern unseres bisherigen Endkunden, der
Weinhandlung Kessler GmbH, Kasernenstraße 12, 40213 Düsseldorf, im Wege des formlosen Umzugs
an Sie übergeben werden, nämlich die Rufnummern {L.T(a, "br")}, {L.T(b, "br")} sowie {L.T(c, "br")}.

Hiervon ausdrücklich ausgenommen ist die Rufnummer {L.X(k, "br")}, die gemäß § 4 Abs. 2 des
Rahmenvertrages vom 01.03.2019 bis zum Ablauf der Mindestvertragslaufzeit am 28.02.2027 bei uns
verbleibt. Eine Übergabe weiterer Rufnummern ist mit diesem Schreiben nicht verbunden.

Rückfragen richten Sie bitte ausschließlich an die Unterzeichnerin unter der oben genannten
Telefonnummer. Dieses Schreiben ersetzt nicht die Kündigung durch den Endkunden.

{sig(r, "ink", "Dr. Katharina Wiegand", "Syndikusrechtsanwältin, Prokuristin", "RHEINVOX Carrier AG")}
#v(1fr)
#line(length: 100%, stroke: 0.4pt)
#text(size: 7pt)[Sitz Düsseldorf · Amtsgericht Düsseldorf HRB 88412 · USt-IdNr. DE 298 114 553 · Vorstand: M. Roth, S. Demir ·
IBAN DE27 3005 0110 1008 4471 55 · BIC DUSSDEDDXXX]
"""
    )
    return L


def l02(g: Gen) -> Letter:
    L, r = Letter("02_stadtwerke_table", "municipal_table"), g.rng
    tel, fax, hot = g.num("4321", 6), g.num("4321", 6), g.service()
    nums = [g.num("4321", 6) for _ in range(5)]
    kd = g.num("4321", 7)
    rows = []
    for i, n in enumerate(nums, 1):
        if i == 3:
            rows.append(
                [str(i), L.X(n, "dash"), "Aufzugsnotruf", "nein -- verbleibt (Notrufanschluss)"]
            )
        else:
            rows.append([str(i), L.T(n, "dash"), "Analog" if i % 2 else "ISDN-MSN", "ja"])
    L.body = (
        page(
            "DejaVu Sans",
            9.5,
            footer=(
                "#set text(size: 7pt)\n#line(length: 100%, stroke: 0.3pt)\nStadtwerke Neumünster GmbH · Sitz Neumünster · "
                "AG Kiel HRB 4471 NM · Bankverbindung: Sparkasse Südholstein, IBAN DE71 2305 1030 0000 2147 03 · "
                f"Störungshotline {esc(hot.f('grp'))} (kostenfrei)"
            ),
        )
        + f"""
#grid(columns: (1fr, 6cm),
  [#rect(fill: rgb("#00599c"), inset: 8pt)[#text(fill: white, weight: "bold", size: 13pt)[Stadtwerke Neumünster]]
   #v(0.8cm)
   {b_addr(r)}],
  [#set text(size: 8.5pt)
   *Geschäftsbereich Telekommunikation* \\
   Ansprechpartner: Herr Olaf Schütt \\
   Telefon: {L.C(tel, "dash")} \\
   Telefax: {L.C(fax, "dash")} \\
   E-Mail: tk-wechsel\\@swn.de \\
   Kundennummer: {L.L(kd, "tight")} \\
   Datum: 20.11.2026])
#v(0.8cm)
= Bestätigung der Rufnummernübergabe
#v(0.2cm)
Sehr geehrte Damen und Herren,

für unseren Geschäftskunden *Autohaus Lindemann e.K.*, Rendsburger Straße 188, 24537 Neumünster,
bestätigen wir die Übergabe der in der folgenden Tabelle mit „ja" gekennzeichneten Rufnummern an Ihr Unternehmen.

{table("(1.2cm, 3.6cm, 2.8cm, 1fr)", ["Nr.", "Rufnummer", "Anschlussart", "Übergabe"], rows)}
Die Rufnummer in Zeile 3 ist einem Aufzugsnotruf zugeordnet und kann aus Sicherheitsgründen nicht
übergeben werden. Bei Rückfragen erreichen Sie uns unter der oben genannten Rufnummer oder unserer
Störungshotline {L.C(hot, "grp")}.

{sig(r, "ia", "Olaf Schütt", "Sachgebietsleiter Telekommunikation", "Stadtwerke Neumünster GmbH")}
"""
    )
    return L


def l03(g: Gen) -> Letter:
    L, r = Letter("03_itshop_casual", "small_shop"), g.rng
    tel, mob = g.num("761", 6), g.mobile()
    a, b, c = g.num("761", 7), g.num("761", 7), g.num("761", 7)
    k = g.num("761", 7)
    L.body = (
        page("DejaVu Sans Mono", 9.5, margin="(x: 2cm, y: 2cm)")
        + f"""
*Bits & Bohnen IT-Service* -- Inh. Timo Kaltenbach -- Wiehre, Günterstalstr. 20, 79100 Freiburg \\
Tel {L.C(tel, "slash")} / Handy {L.C(mob, "mobgrp", ask=True)} / hallo\\@bitsundbohnen.de

#line(length: 100%)
{b_addr(r)}
Freiburg, 23.11.26

*Betreff: Rufnummern Physiopraxis Sonnenhalde -> Übergabe an Sie*

Hallo zusammen,

wie telefonisch besprochen geben wir die Nummern der Physiopraxis Sonnenhalde (Kd-Nr. 2026-0113)
an euch ab. Es geht um diese drei:

- {L.T(a, "slash")} (Empfang)
- {L.T(b, "slash")} (Fax)
- {L.T(c, "slash")} (Behandlungsraum 2)

Die Umstellung kann gern an einem Mittwoch zwischen 12 und 14 Uhr passieren, da ist die Praxis zu.
Bei Fragen einfach kurz durchklingeln.

Viele Grüße

{ink(r, 110, 30)} \\
Timo Kaltenbach, Inhaber

P.S. Die {L.X(k, "slash")} ist die alte Nummer vom Zweitstandort -- die bleibt bei uns und wird NICHT mit übergeben.
"""
    )
    return L


def l04(g: Gen) -> Letter:
    L, r = Letter("04_form_fields", "form_fields"), g.rng
    tel, fax = g.num("69", 8), g.num("69", 8)
    pbx = g.pbx("69", 6, 2)
    blk = pbx.sub(0, 49)
    extra = g.num("69", 8)
    kept = g.num("69", 8)
    order = g.num("69", 7)

    def field_(label: str, value: str, w: str = "1fr") -> str:
        return f"[#text(size: 7.5pt, fill: luma(90))[{label}] \\ #box(width: 100%, stroke: 0.5pt, inset: 4pt)[{value}]]"

    L.body = (
        page("DejaVu Sans", 9.5, margin="(x: 1.8cm, y: 1.6cm)")
        + f"""
#grid(columns: (1fr, auto), [#text(size: 15pt, weight: "bold")[MAINTEL Kommunikation GmbH]],
  [#set text(size: 8pt)
   Hanauer Landstr. 291 · 60314 Frankfurt \\ Tel. {L.C(tel, "intl")} \\ Fax {L.C(fax, "intl")}])
#v(0.3cm)
#rect(width: 100%, fill: luma(230), inset: 7pt)[#text(size: 12pt, weight: "bold")[Formular F-17: Bestätigung der Rufnummernübergabe (abgebender Partner)]]

#grid(columns: (1fr, 1fr), gutter: 8pt,
  {field_("Abgebender Partner", "MAINTEL Kommunikation GmbH")},
  {field_("Aufnehmender Partner", "Voicelink Partner GmbH")},
  {field_("Endkunde", "Steuerberatung Okafor & Partner mbB")},
  {field_("Vorgangsnummer", L.L(order, "tight"))},
  {field_("Kundennummer Endkunde", "K-88 1045 7")},
  {field_("Gewünschter Umzugstermin", "08.12.2026")})

#v(0.3cm)
*Abschnitt B -- Rufnummern* #text(size: 8pt)[(bitte je Zeile genau ein Feld ankreuzen)]

#table(columns: (1fr, 2.6cm, 2.6cm),
  [*Rufnummer / Rufnummernblock*], [*wird übergeben*], [*verbleibt*],
  [Stammnummer {L.p(pbx.one(0), "intldin")} (Abfragestelle) mit Durchwahlen {L.T(blk, "intl")}], [☒], [☐],
  [{L.T(extra, "intl")}], [☒], [☐],
  [{L.X(kept, "intl")}], [☐], [☒])

*Abschnitt C -- Erklärung*

#box(stroke: 0.5pt, inset: 6pt)[☒ Ich bestätige, zur Abgabe dieser Erklärung für den abgebenden Partner berechtigt zu sein.
Weitere als die in Abschnitt B als „wird übergeben" markierten Rufnummern werden nicht übergeben.]

#v(0.4cm)
{sig(r, "box_ink", "Miriam Okonkwo-Hess", "Leiterin Carrier Services")}
"""
    )
    # The Abfragestelle -00 is part of the block 00-49; it is printed separately but is a member.
    return L


def l05(g: Gen) -> Letter:
    L, r = Letter("05_din_block_0_99", "din_block"), g.rng
    tel, mob = g.num("30", 8), g.mobile()
    blk = g.block("30", 5, 2, 0, 99)
    single = g.num("30", 8)
    kept = g.num("30", 8)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 16pt, fill: rgb("#8a1538"), weight: "bold")[spree.net Telekommunikation GmbH]
#h(1fr) #text(size: 8pt)[Schlesische Str. 27 · 10997 Berlin]
#line(length: 100%, stroke: 1pt + rgb("#8a1538"))
#v(0.6cm)
{b_addr(r)}
#v(0.4cm)
#grid(columns: (1fr, auto), [], [#set text(size: 9pt)
Ihr Ansprechpartner: Kemal Aydın \\ Telefon {L.C(tel, "intldin")} \\ Mobil {L.C(mob, "mobintl")} \\ Berlin, 25.11.2026])

*Übergabe Anlagenanschluss -- Endkunde Druckerei Havelland GmbH*

Sehr geehrte Damen und Herren,

hiermit bestätigen wir die Übergabe des Anlagenanschlusses unseres Endkunden Druckerei Havelland GmbH
mit der Rufnummer {L.T(blk, "dinshort")} (100 Rufnummern, Stammnummer mit zweistelligen Durchwahlen)
sowie des Einzelanschlusses {L.T(single, "intl")} an Ihr Haus.

Der ISDN-Anschluss {L.X(kept, "intl")} ist nicht Gegenstand dieser Übergabe und verbleibt bei uns.

{sig(r, "ink", "Kemal Aydın", "Geschäftsführer", "spree.net Telekommunikation GmbH")}
"""
    )
    return L


def l06(g: Gen) -> Letter:
    L, r = Letter("06_en_de_mixed", "bilingual"), g.rng
    tel, mob = g.num("89", 8), g.mobile()
    a, b = g.num("89", 8), g.num("89", 8)
    blk = g.block("89", 6, 1, 0, 9)
    k1, k2 = g.num("89", 8), g.num("89", 8)
    L.body = (
        page("DejaVu Sans", 9.5)
        + f"""
#grid(columns: (1fr, auto), [#text(size: 14pt, weight: "bold")[Alpine Cloud Voice GmbH] \\ #text(size: 8pt)[a Northwind Communications company]],
  [#set text(size: 8pt)
   Arnulfstraße 59, 80636 München \\ Phone {L.C(tel, "i00")} \\ Mobile {L.C(mob, "mobintl", ask=True)}])
#v(0.6cm)
{b_addr(r)}
#v(0.4cm)
München, 26 November 2026

*Confirmation of number handover / Bestätigung der Rufnummernübergabe* \\
End customer / Endkunde: Brauhaus Giesing GmbH

Dear Sir or Madam, sehr geehrte Damen und Herren,

we hereby confirm that the following numbers are released to you (Übergabe an den aufnehmenden Partner):

#table(columns: (5cm, 1fr), stroke: none,
  [{L.T(a, "i00")}], [Main line / Zentrale],
  [{L.T(b, "i00")}], [Fax],
  [{L.T(blk, "i00")}], [Direct dials / Durchwahlen 0--9])

*Excluded / ausgenommen:* {L.X(k1, "i00")} (alarm line / Alarmanlage) and {L.X(k2, "i00")} (to be cancelled / wird gekündigt).

Kind regards / Mit freundlichen Grüßen

{ink(r, 120, 34)} \\
Sebastian O'Reilly \\
Managing Director / Geschäftsführer
"""
    )
    return L


def l07(g: Gen) -> Letter:
    L, r = Letter("07_footnote_keepback", "footnote"), g.rng
    tel, fax = g.num("711", 8), g.num("711", 8)
    a, b, c, d = (g.num("711", 7) for _ in range(4))
    L.body = (
        page("DejaVu Serif", 10)
        + f"""
#align(center)[#text(size: 15pt, tracking: 2pt)[SCHWABENCOM] \\ #text(size: 8pt)[Telekommunikation für den Mittelstand · Tel. {L.C(tel, "slash")} · Fax {L.C(fax, "slash")}]]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#align(right)[Stuttgart, 27.11.2026]

*Ihr Umzugsauftrag für die Kanzlei Fetzer & Haug -- Bestätigung der Rufnummernübergabe*

Sehr geehrte Damen und Herren,

wir bestätigen Ihnen die Übergabe der folgenden Rufnummern unseres Endkunden Kanzlei Fetzer & Haug, Rotebühlplatz 1, 70178 Stuttgart:

#list(
  [{L.T(a, "nat")}],
  [{L.T(b, "nat")}],
  [{L.X(c, "nat")}#footnote[Diese Rufnummer ist an eine Brandmeldeanlage geschaltet und verbleibt bis auf Weiteres bei uns; sie ist von der Übergabe ausgenommen.]],
  [{L.T(d, "nat")}],
)

Wir wünschen Ihnen und unserem ehemaligen Kunden alles Gute.

{sig(r, "ink", "Rainer Haller", "Prokurist", "SchwabenCom GmbH & Co. KG")}
"""
    )
    return L


def l08(g: Gen) -> Letter:
    L, r = Letter("08_struck_number", "struck"), g.rng
    tel = g.num("351", 7)
    a, b, c, k = (g.num("351", 7) for _ in range(4))
    re_nr = g.num("351", 6)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Elbtal Netz GmbH] #h(1fr) #text(size: 8pt)[Königsbrücker Str. 96 · 01099 Dresden · Tel. {L.C(tel, "br")}]
#line(length: 100%, stroke: 0.6pt)
#v(0.6cm)
{b_addr(r)}
#v(0.4cm)
Dresden, 24.11.2026 #h(1fr) Rechnungsnummer der letzten Abrechnung: {L.L(re_nr, "tight")}

*Bestätigung der Rufnummernübergabe -- Augenoptik Schubert*

Sehr geehrte Damen und Herren,

hiermit übergeben wir Ihnen folgende Rufnummern unseres Kunden Augenoptik Schubert, Hauptstraße 17, 01097 Dresden:

#block(inset: (left: 1cm))[
{L.T(a, "br")} \\
{L.T(b, "br")} \\
#strike(stroke: 1.2pt)[{L.X(k, "br")}] #text(fill: rgb("#1b2a7a"), style: "italic")[ entfällt, R.M.] \\
{L.T(c, "br")}
]

Mit freundlichen Grüßen \\
Elbtal Netz GmbH

{ink(r, 110, 30)} \\
Robert Meinhold, Geschäftsführer
"""
    )
    return L


def l09(g: Gen) -> Letter:
    L, r = Letter("09_block_exception", "block_exception"), g.rng
    tel, fax = g.num("221", 8), g.num("221", 8)
    pbx = g.pbx("221", 5, 2)
    L.body = (
        page("DejaVu Sans", 10, justify=True)
        + f"""
#text(size: 14pt, weight: "bold", fill: rgb("#c0392b"))[domstadt connect] #h(1fr) #text(size: 8pt)[domstadt connect GmbH · Hohenzollernring 72 · 50672 Köln]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#align(right)[Köln, 25.11.2026 \\ Durchwahl: {L.C(tel, "din3")} \\ Telefax: {L.C(fax, "din3")}]

*Rufnummernübergabe Anlagenanschluss Zahnärztliche Gemeinschaftspraxis Dr. Yıldız / Dr. Brenner*

Sehr geehrte Damen und Herren,

auf Wunsch unseres Endkunden übergeben wir Ihnen sämtliche Rufnummern des Anlagenanschlusses
{L.p(pbx, "din")} mit Ausnahme der Durchwahlen \\-50 bis \\-59, die der Praxislabor GmbH im selben Haus
zugeordnet sind und bei uns verbleiben.

Übergeben werden damit die Durchwahlen \\-00 bis \\-49 sowie \\-60 bis \\-99 (insgesamt 90 Rufnummern).

{sig(r, "ia", "Lena Schmitz", "Teamleiterin Auftragsmanagement", "domstadt connect GmbH")}
"""
    )
    L.transfer += [pbx.sub(0, 49), pbx.sub(60, 99)]
    L.excluded += [pbx.sub(50, 59)]
    return L


def l10(g: Gen) -> Letter:
    L, r = Letter("10_annex_multipage", "annex"), g.rng
    tel, fax, hot = g.num("911", 8), g.num("911", 8), g.service()
    nums = [g.num("911", 7) for _ in range(12)]
    blk = g.block("911", 5, 2, 10, 29)
    foot = (
        "#set text(size: 7pt)\n#line(length: 100%, stroke: 0.3pt)\n"
        f"Frankonia Telefonnetz AG · Tel. {esc(tel.f('intl'))} · Fax {esc(fax.f('intl'))} · Service {esc(hot.f('grp'))} "
        "· HRB 30117 Nürnberg #h(1fr) Seite #context counter(page).display() von #context counter(page).final().first()"
    )
    L.printed += [tel.f("intl"), fax.f("intl"), hot.f("grp")]
    L.contact += [tel, fax, hot]
    rows = []
    for i, n in enumerate(nums, 1):
        if i == 9:
            rows.append([str(i), L.X(n, "grp"), "Tür-/Torsprechstelle", "verbleibt"])
        else:
            rows.append(
                [
                    str(i),
                    L.T(n, "grp"),
                    "Standort Fürth" if i > 6 else "Standort Nürnberg",
                    "Übergabe",
                ]
            )
    rows.append(["13", L.T(blk, "din"), "Durchwahlblock Lager", "Übergabe"])
    L.body = (
        page("DejaVu Sans", 10, footer=foot)
        + f"""
#text(size: 15pt, weight: "bold")[Frankonia Telefonnetz AG]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#align(right)[Nürnberg, 26.11.2026]

*Bestätigung der Rufnummernübergabe -- Endkunde Metallbau Pfister GmbH & Co. KG*

Sehr geehrte Damen und Herren,

unser Endkunde Metallbau Pfister GmbH & Co. KG hat seinen Vertrag mit uns gekündigt und wechselt mit seinen Rufnummern zu Ihnen.
Wir bestätigen hiermit die Übergabe der Rufnummern gemäß Anlage 1 (Rufnummernliste), soweit dort in der Spalte „Übergabe/Verbleib“ mit „Übergabe“ gekennzeichnet.

Die Anlage ist Bestandteil dieser Bestätigung.

{sig(r, "ppa", "Gudrun Weiß", "Leiterin Vertrieb Geschäftskunden", "Frankonia Telefonnetz AG")}

#pagebreak()
*Anlage 1 -- Rufnummernliste Metallbau Pfister GmbH & Co. KG* (Kundennummer 1004-7781)

{table("(1cm, 4cm, 1fr, 3cm)", ["Pos.", "Rufnummer", "Verwendung", "Übergabe/Verbleib"], rows)}
Stand der Liste: 26.11.2026. Weitere Rufnummern bestehen für diesen Kunden nicht.
"""
    )
    return L


def l11(g: Gen) -> Letter:
    L, r = Letter("11_tickbox_rows", "tickbox"), g.rng
    tel, fax = g.num("511", 7), g.num("511", 7)
    nums = [g.num("511", 7) for _ in range(6)]
    rows = []
    for i, n in enumerate(nums):
        if i in (2, 5):
            rows.append([L.X(n, "brn"), "[ ]", "[X]"])
        else:
            rows.append([L.T(n, "brn"), "[X]", "[ ]"])
    rows = [[a, esc(b), esc(c)] for a, b, c in rows]
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[LeineTel GmbH] \\
#text(size: 8pt)[Vahrenwalder Str. 7 · 30165 Hannover · Telefon {L.C(tel, "brn")} · Telefax {L.C(fax, "brn")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Hannover, 24.11.2026

*Rufnummernübergabe -- Ingenieurbüro Lüders & Sohn*

Sehr geehrte Damen und Herren,

bitte entnehmen Sie der nachstehenden Aufstellung, welche Rufnummern unseres Kunden an Sie übergeben werden und welche bei uns verbleiben:

{table("(5cm, 3cm, 3cm)", ["Rufnummer", "Übergabe", "Verbleib bei LeineTel"], rows, "align: (left, center, center),")}
Rufnummern, die in der Spalte „Verbleib bei LeineTel“ angekreuzt sind, werden nicht übergeben.

{sig(r, "ink", "Henning Lüdtke", "Leiter Technik", "LeineTel GmbH")}
"""
    )
    return L


def l12(g: Gen) -> Letter:
    L, r = Letter("12_unclear_pending", "unclear"), g.rng
    tel, mob = g.num("341", 8), g.mobile()
    a, b = g.num("341", 8), g.num("341", 8)
    u = g.num("341", 8)
    k = g.num("341", 8)
    L.body = (
        page("DejaVu Serif", 10.5)
        + f"""
#grid(columns: (1fr, auto), [#text(size: 16pt)[Mitteldeutsche Sprachnetze GmbH]], [#text(size: 8pt)[Petersstraße 32 \\ 04109 Leipzig]])
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#align(right)[Leipzig, 28. November 2026]

*Betreff: Übergabe von Rufnummern -- Ihr Ticket vom 20.11.2026 -- Endkunde Buchbinderei Naumann*

Sehr geehrte Frau Brandt,

vielen Dank für Ihre Anfrage. Gern bestätigen wir die Übergabe der Rufnummern {L.T(a, "grp")} und
{L.T(b, "grp")} an Ihr Unternehmen.

Zur Rufnummer {L.U(u, "grp")} liegt uns noch eine abweichende Weisung des Gesellschafters der Buchbinderei
vor. Über ihre Übergabe können wir erst nach Klärung mit dem Endkunden entscheiden; wir melden uns
hierzu bis spätestens 05.12.2026 gesondert bei Ihnen.

Die Rufnummer {L.X(k, "grp")} wurde bereits zum 31.10.2026 gekündigt und steht für eine Übergabe nicht zur Verfügung.

Für Rückfragen erreichen Sie mich unter {L.C(tel, "grp")} oder mobil unter {L.C(mob, "mobgrp")}.

{sig(r, "ink", "Annegret Voigt", "Prokuristin", "Mitteldeutsche Sprachnetze GmbH")}
"""
    )
    return L


def l13(g: Gen) -> Letter:
    L, r = Letter("13_two_signers_tail_block", "two_signers"), g.rng
    tel, fax = g.num("201", 8), g.num("201", 8)
    blk = g.block("201", 5, 3, 100, 199)
    a = g.num("201", 8)
    k = g.num("201", 8)
    L.body = (
        page("DejaVu Sans", 9.8)
        + f"""
#rect(width: 100%, inset: 8pt, stroke: (bottom: 2pt + rgb("#2e7d32")))[#text(size: 14pt, weight: "bold")[RUHRSTROM Kommunikation AG] #h(1fr) #text(size: 8pt)[Rüttenscheider Str. 120 · 45131 Essen]]
#v(0.6cm)
{b_addr(r)}
#v(0.4cm)
#grid(columns: (1fr, 1fr), [Essen, 27.11.2026], [#align(right)[#text(size: 8.5pt)[Zentrale {L.C(tel, "slash")} \\ Fax {L.C(fax, "slash")}]]])

*Bestätigung der Rufnummernübergabe (Vier-Augen-Prinzip)*

Sehr geehrte Damen und Herren,

für unseren Endkunden Logistikzentrum Kray GmbH bestätigen wir die Übergabe folgender Rufnummern:

+ Rufnummernblock {L.T(blk, "tail")}
+ Einzelrufnummer {L.T(a, "slash")}

Nicht übergeben wird die Rufnummer {L.X(k, "slash")} (Modemleitung Zeiterfassung, wird zum Vertragsende abgeschaltet).

{sig(r, "two", "Dr. Frank Kowalski|Birgit Sander", "Vorstand|Prokuristin", "RUHRSTROM Kommunikation AG")}
"""
    )
    L.request_mode = "part+keepback"
    L.ask_only = [*blk.sub(100, 149).members(), a.e164, k.e164, fax.e164]
    return L


def l14(g: Gen) -> Letter:
    L = Letter("14_email_print", "email_print", signed=False)
    tel, mob = g.num("40", 8), g.mobile()
    a, b, c = g.num("40", 8), g.num("40", 8), g.num("40", 8)
    k = g.num("40", 8)
    tk = g.num("40", 7)
    L.body = (
        page("DejaVu Sans", 9.5, margin="(x: 1.5cm, y: 1.5cm)")
        + f"""
#text(size: 8pt)[Druckansicht -- Outlook]
#line(length: 100%, stroke: 0.3pt)
#table(columns: (2.5cm, 1fr), stroke: none, inset: 2pt,
  [*Von:*], [Jana Ehlers \\<j.ehlers\\@hanseport-tk.de\\>],
  [*Gesendet:*], [Dienstag, 24. November 2026 16:42],
  [*An:*], [wechsel\\@netzwerk-elbe.de],
  [*Cc:*], [vertrieb\\@hanseport-tk.de],
  [*Betreff:*], [AW: Umzug Rufnummern Reederei Claussen \\/ Ticket {L.L(tk, "tight")}])
#line(length: 100%, stroke: 0.3pt)

Moin Herr Petersen,

hiermit bestätige ich Ihnen, dass wir die Rufnummern {L.T(a, "intl0")}, {L.T(b, "intl0")} und
{L.T(c, "intl0")} der Reederei Claussen an Sie abgeben.

Die {L.X(k, "intl0")} bleibt bei uns (die nutzt die Reederei weiter für ihr Büro in Cuxhaven).

Beste Grüße aus der Speicherstadt \\
Jana Ehlers

#text(size: 8pt, fill: luma(80))[--\\ \\
Jana Ehlers | Teamleitung Wechselmanagement \\
HansePort TK GmbH | Am Sandtorkai 48 | 20457 Hamburg \\
T {L.C(tel, "intl0")} | M {L.C(mob, "mobintl")} \\
Geschäftsführer: Nils Brodersen | Amtsgericht Hamburg HRB 142 117]

#text(size: 7pt, fill: luma(100))[\\> \\-\\-\\-\\-\\-Ursprüngliche Nachricht\\-\\-\\-\\-\\- \\
\\> Von: Jonas Petersen \\
\\> Bitte bestätigen Sie die Übergabe der Rufnummern der Reederei Claussen.]
"""
    )
    return L


def l15(g: Gen) -> Letter:
    L, r = Letter("15_typeset_minus", "typeset_minus"), g.rng
    L.minus = True
    tel = g.num("6221", 6)
    blk1 = g.block("6221", 4, 2, 0, 99)
    blk2 = g.block("6221", 4, 2, 20, 39)
    k = g.block("6221", 4, 1, 0, 9)
    L.body = (
        page("New Computer Modern", 11, justify=True)
        + f"""
#align(center)[#text(size: 13pt)[#smallcaps[Neckar Datenfunk eG]] \\ #text(size: 8pt)[Bergheimer Straße 147 · 69115 Heidelberg · Telefon {L.C(tel, "din1")}]]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#align(right)[Heidelberg, den 26. November 2026]

*Bestätigung der Rufnummernübergabe*

Sehr geehrte Damen und Herren,

die Neckar Datenfunk eG bestätigt hiermit, dass die Rufnummernblöcke {L.T(blk1, "din")} und
{L.T(blk2, "din")} ihres Mitglieds Universitätsbuchhandlung Ziegler an Sie übergeben werden.

Der Block {L.X(k, "dinshort")} (Notstromaggregat und Gebäudeleittechnik) verbleibt bei uns.

{sig(r, "ink", "Prof. Dr. Helmut Rieger", "Vorstandsvorsitzender", "Neckar Datenfunk eG")}
"""
    )
    return L


def l16(g: Gen) -> Letter:
    L, r = Letter("16_vorwahl_columns", "column_table"), g.rng
    tel, fax = g.num("231", 7), g.num("231", 7)
    b1 = g.block("231", 5, 2, 0, 49)
    b2 = g.block("231", 4, 3, 200, 299)
    s = g.num("231", 7)
    kb = g.block("231", 5, 2, 10, 19)
    rows = [
        ["0231", b1.stem, "00", "49", "ja"],
        ["0231", b2.stem, "200", "299", "ja"],
        ["0231", s.sub, "--", "--", "ja"],
        ["0231", kb.stem, "10", "19", "nein"],
    ]
    L.transfer += [b1, b2, s]
    L.excluded += [kb]
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 14pt, weight: "bold")[Westfalen Carrier GmbH] #h(1fr) #text(size: 8pt)[Hansastraße 99 · 44137 Dortmund]
#v(0.8cm)
{b_addr(r)}
#v(0.3cm)
#align(right)[#text(size: 9pt)[Telefon {L.C(tel, "nat")} \\ Telefax {L.C(fax, "nat")} \\ Dortmund, 25.11.2026]]

*Bestätigung der Rufnummernübergabe -- Endkunde Kaufhaus Overbeck KG*

Sehr geehrte Damen und Herren,

wir bestätigen die Übergabe der Rufnummern, die in der folgenden Aufstellung in der Spalte „Übergabe“ mit „ja“ gekennzeichnet sind.

{table("(2cm, 3cm, 3cm, 3cm, 2cm)", ["Vorwahl", "Rufnummer", "Durchwahl von", "Durchwahl bis", "Übergabe"], rows)}
{sig(r, "ink", "Jürgen Overkamp", "Geschäftsführer", "Westfalen Carrier GmbH")}
"""
    )
    return L


def l17(g: Gen) -> Letter:
    L, r = Letter("17_check_symbols", "symbols"), g.rng
    tel = g.num("761", 8)
    nums = [g.num("761", 8) for _ in range(5)]
    rows = []
    for i, n in enumerate(nums):
        if i == 1:
            rows.append(["✘", L.X(n, "intlgrp"), "Fax (wird abgeschaltet)"])
        else:
            rows.append(
                ["✔", L.T(n, "intlgrp"), ["Zentrale", "", "Buchhaltung", "Lager", "Vertrieb"][i]]
            )
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 14pt, weight: "bold")[Schwarzwald Telekom] #h(1fr) #text(size: 8pt)[Tel. {L.C(tel, "intlgrp")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Freiburg, 26.11.2026

*Rufnummernübergabe Holzbau Kienzler GmbH*

Guten Tag,

nachstehend die Rufnummern unseres Kunden Holzbau Kienzler GmbH. Mit ✔ gekennzeichnete Rufnummern werden an Sie übergeben, mit ✘ gekennzeichnete nicht.

{table("(1cm, 5cm, 1fr)", ["", "Rufnummer", "Verwendung"], rows)}
{sig(r, "ia", "Markus Faller", "Kundenbetreuung", "Schwarzwald Telekom GmbH")}
"""
    )
    return L


def l18(g: Gen) -> Letter:
    L, r = Letter("18_customer_number_lookalike", "lookalike"), g.rng
    tel, fax = g.num("231", 8), g.num("231", 8)
    kd = g.num("231", 6)
    vt = g.num("231", 7)
    a, b = g.num("231", 8), g.num("231", 8)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Emscher Telecom GmbH] \\
#text(size: 8pt)[Kaiserstraße 14 · 44135 Dortmund · Tel. {L.C(tel, "slash")} · Fax {L.C(fax, "slash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
#table(columns: (4cm, 5cm), stroke: none, inset: 2pt,
  [Datum:], [23.11.2026],
  [Kundennummer:], [{L.L(kd, "slash")}],
  [Vertragsnummer:], [{L.p(vt, "tight")}],
  [Postleitzahl Anschluss:], [44137])

*Übergabe der Rufnummern -- Kundennummer {L.p(kd, "slash")}*

Sehr geehrte Damen und Herren,

zur oben genannten Kundennummer bestätigen wir die Übergabe der Rufnummern

#align(center)[{L.T(a, "slash")} #h(1cm) {L.T(b, "slash")}]

an Sie. Der Vertrag {L.p(vt, "tight")} endet mit Ablauf des 31.12.2026.

{sig(r, "ink", "Serkan Öztürk", "Geschäftsführer", "Emscher Telecom GmbH")}
"""
    )
    L.lookalike.append(vt)
    return L


def l19(g: Gen) -> Letter:
    L, r = Letter("19_gez_unsigned", "gez", signed=False), g.rng
    tel = g.num("421", 7)
    a, b, c = (g.num("421", 7) for _ in range(3))
    k = g.num("421", 7)
    L.body = (
        page("DejaVu Serif", 10.5)
        + f"""
#text(size: 14pt)[*Weser Fernsprech GmbH*] \\
#text(size: 8pt)[Schlachte 12 · 28195 Bremen · Telefon {L.C(tel, "nat")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Bremen, 25.11.2026

*Bestätigung der Rufnummernübergabe -- Bäckerei Grotheer*

Sehr geehrte Damen und Herren,

wir bestätigen die Übergabe der Rufnummern {L.T(a)}, {L.T(b)} und {L.T(c)} unseres Kunden
Bäckerei Grotheer an Sie. Ausgenommen ist die Rufnummer {L.X(k)} der Filiale Vegesack.

{sig(r, "gez", "Hauke Rohlfs", "Geschäftsführer", "Weser Fernsprech GmbH")}
#text(size: 8pt)[Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig.]
"""
    )
    return L


def l20(g: Gen) -> Letter:
    L, r = Letter("20_empty_signature_box", "form_unsigned", signed=False), g.rng
    tel = g.num("621", 7)
    blk = g.block("621", 5, 2, 0, 19)
    a = g.num("621", 7)
    L.body = (
        page("DejaVu Sans", 9.5, margin="(x: 1.8cm, y: 1.8cm)")
        + f"""
#rect(width: 100%, fill: rgb("#e8eef7"), inset: 8pt)[#text(size: 13pt, weight: "bold")[Kurpfalz TK GmbH -- Freigabeerklärung Rufnummern] \\ #text(size: 8pt)[Service: {L.C(tel, "brn")}]]

#table(columns: (5cm, 1fr),
  [Endkunde], [Weingut Schaller GbR, Mannheim],
  [Aufnehmender Partner], [TKS Telefonie-Komplettservice GmbH],
  [Freigegebene Rufnummern], [{L.T(blk, "din")} \\ {L.T(a, "brn")}],
  [Nicht freigegeben], [keine])

Hiermit erklären wir die Freigabe der oben aufgeführten Rufnummern zur Übernahme durch den aufnehmenden Partner.

#v(0.5cm)
{sig(r, "box_empty", "Petra Kühn", "Teamleitung Provisioning")}
"""
    )
    return L


def l21(g: Gen) -> Letter:
    L, r = Letter("21_sidebar_contacts", "sidebar"), g.rng
    z, s, f, n, m = g.num("251", 7), g.num("251", 7), g.num("251", 7), g.service("180"), g.mobile()
    a, b, c = g.num("251", 7), g.num("251", 7), g.num("251", 7)
    k = g.num("251", 7)
    side = (
        f"#set text(size: 8pt)\n*Münsterland Voice GmbH* \\\nPrinzipalmarkt 8 \\\n48143 Münster \\\n\\\n"
        f"Zentrale \\\n{L.C(z, 'nat')} \\\nService \\\n{L.C(s, 'nat')} \\\nTelefax \\\n{L.C(f, 'nat')} \\\n"
        f"Störung 24\\/7 \\\n{L.C(m, 'mob', ask=True)} \\\nHotline \\\n{L.C(n, 'grp')} \\\n\\\nwww.ms-voice.de"
    )
    L.body = (
        page("DejaVu Sans", 10, margin="(left: 1.5cm, right: 1.5cm, y: 2cm)")
        + f"""
#grid(columns: (4cm, 1fr), gutter: 0.8cm,
  [#rect(fill: luma(238), inset: 8pt, height: 22cm)[{side}]],
  [{b_addr(r)}
   #v(0.6cm)
   Münster, 24.11.2026

   *Übergabe von Rufnummern der Tierarztpraxis Dr. Hülsmann*

   Sehr geehrte Damen und Herren,

   wir übergeben Ihnen hiermit die Rufnummern {L.T(a)}, {L.T(b)} und {L.T(c)} der Tierarztpraxis
   Dr. Hülsmann. Die Notdienstnummer {L.X(k)} wird von der Praxis weiterhin über uns betrieben und ist
   nicht Teil der Übergabe.

   {sig(r, "ink", "Clemens Terhorst", "Geschäftsführer")}])
"""
    )
    return L


def l22(g: Gen) -> Letter:
    L, r = Letter("22_exceptions_list", "exception_list"), g.rng
    tel, fax = g.num("228", 7), g.num("228", 7)
    nums = [g.num("228", 7) for _ in range(7)]
    keep = {1, 4}
    lines = []
    for i, n in enumerate(nums):
        lines.append(f"- {L.p(n, 'nat')}")
        (L.excluded if i in keep else L.transfer).append(n)
    exc = ", ".join(esc(nums[i].f("nat")) for i in sorted(keep))
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Bonner Telefonnetz GmbH] #h(1fr) #text(size: 8pt)[Tel. {L.C(tel, "intl0")} · Fax {L.C(fax, "intl0")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Bonn, 26.11.2026

*Rufnummernübergabe -- Musikschule Beethovenhaus e.V.*

Sehr geehrte Damen und Herren,

unser Kunde Musikschule Beethovenhaus e.V. nutzt bei uns derzeit folgende Rufnummern:

{chr(10).join(lines)}

Die Übergabe an Sie erfolgt für alle vorstehenden Rufnummern mit folgenden Ausnahmen:

#pad(left: 1cm)[{exc}]

Diese verbleiben beim Verein für den Standort Bad Godesberg.

{sig(r, "ink", "Dorothea Krämer", "Prokuristin", "Bonner Telefonnetz GmbH")}
"""
    )
    return L


def l23(g: Gen) -> Letter:
    L, r = Letter("23_sofern_conditional", "conditional"), g.rng
    tel = g.num("561", 7)
    a, b = g.num("561", 7), g.num("561", 7)
    u = g.num("561", 7)
    iban_like = "DE44 5205 0353 0001 2345 67"
    L.body = (
        page("DejaVu Serif", 10.5)
        + f"""
#text(size: 14pt)[*Nordhessen Kommunikation GmbH*] #h(1fr) #text(size: 8pt)[Telefon {L.C(tel, "slash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Kassel, 25.11.2026

*Bestätigung der Rufnummernübergabe -- Fahrschule Wiegand*

Sehr geehrte Damen und Herren,

wir bestätigen die Übergabe der Rufnummern {L.T(a, "slash")} und {L.T(b, "slash")} an Sie.

Die Rufnummer {L.U(u, "slash")} wird nur übergeben, sofern der Endkunde die offene Forderung aus unserer
Rechnung vom 01.10.2026 bis zum Umzugstermin ausgleicht (Zahlung bitte an IBAN {iban_like}). Eine
gesonderte Bestätigung hierzu erhalten Sie nach Zahlungseingang.

{sig(r, "ink", "Wolfgang Riedesel", "Geschäftsführer", "Nordhessen Kommunikation GmbH")}
"""
    )
    return L


def l24(g: Gen) -> Letter:
    L, r = Letter("24_question_status", "status_unclear"), g.rng
    tel = g.num("371", 7)
    nums = [g.num("371", 7) for _ in range(5)]
    st = ["übergeben", "übergeben", "in Klärung", "übergeben", "?"]
    rows = []
    for n, s_ in zip(nums, st, strict=True):
        f = L.T if s_ == "übergeben" else L.U
        rows.append([f(n, "dash"), s_])
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Erzgebirge Telecom GmbH] \\ #text(size: 8pt)[Straße der Nationen 5 · 09111 Chemnitz · Tel. {L.C(tel, "dash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Chemnitz, 27.11.2026

*Übergabe Rufnummern -- Strumpfwerk Auerbach GmbH*

Sehr geehrte Damen und Herren,

zu Ihrem Umzugsauftrag teilen wir Ihnen den Stand je Rufnummer mit:

{table("(5cm, 4cm)", ["Rufnummer", "Status"], rows)}
Rufnummern mit Status „übergeben“ können umgezogen werden. Zu den übrigen erhalten Sie gesondert Nachricht.

{sig(r, "ia", "Sabine Uhlig", "Sachbearbeiterin", "Erzgebirge Telecom GmbH")}
"""
    )
    return L


def l25(g: Gen) -> Letter:
    L, r = Letter("25_correction_of_earlier", "correction"), g.rng
    tel = g.num("381", 7)
    a, b, c = g.num("381", 7), g.num("381", 7), g.num("381", 7)
    k = g.num("381", 7)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 14pt, weight: "bold")[Warnow Telekom GmbH] #h(1fr) #text(size: 8pt)[Am Strande 3 · 18055 Rostock · {L.C(tel, "br")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Rostock, 28.11.2026

*Korrigierte Bestätigung der Rufnummernübergabe -- Segelschule Möwe GmbH*

Sehr geehrte Damen und Herren,

unsere Bestätigung vom 19.11.2026 nannte versehentlich auch die Rufnummer {L.X(k, "br")}. Diese
Rufnummer gehört nicht zum Vertrag der Segelschule Möwe GmbH und wird nicht übergeben. Die
Bestätigung vom 19.11.2026 wird hiermit ersetzt.

Übergeben werden ausschließlich: {L.T(a, "br")}, {L.T(b, "br")}, {L.T(c, "br")}.

{sig(r, "ink", "Kai-Uwe Brüggemann", "Geschäftsführer", "Warnow Telekom GmbH")}
"""
    )
    return L


def l26(g: Gen) -> Letter:
    L, r = Letter("26_landscape_sites", "landscape"), g.rng
    tel = g.num("30", 8)
    sites = []
    for site, keep in [
        ("Berlin-Mitte", False),
        ("Potsdam", False),
        ("Cottbus", True),
        ("Frankfurt (Oder)", False),
    ]:
        area = {
            "Berlin-Mitte": "30",
            "Potsdam": "331",
            "Cottbus": "355",
            "Frankfurt (Oder)": "335",
        }[site]
        blk = g.block(area, 5, 2, 0, 29)
        one = g.num(area, 11 - len(area) - 1)
        if keep:
            sites.append(
                [site, L.X(blk, "din"), L.X(one, "nat"), "verbleibt (Standort wird geschlossen)"]
            )
        else:
            sites.append([site, L.T(blk, "din"), L.T(one, "nat"), "Übergabe"])
    L.body = (
        page("DejaVu Sans", 9.5, paper="a4", margin="(x: 1.5cm, y: 1.5cm)").replace(
            '#set page(paper: "a4"', '#set page(paper: "a4", flipped: true'
        )
        + f"""
#text(size: 13pt, weight: "bold")[Brandenburg Netz AG -- Anlage zur Bestätigung der Rufnummernübergabe] #h(1fr) #text(size: 8pt)[Rückfragen: {L.C(tel, "intl")}]

Endkunde: Apothekenverbund Havel-Spree GmbH · aufnehmender Partner: Ostsee Digital GmbH · Datum: 26.11.2026

{table("(3.5cm, 6cm, 4.5cm, 1fr)", ["Standort", "Durchwahlblock", "Fax / Einzelrufnummer", "Übergabe / Verbleib"], sites)}
Hiermit bestätigen wir die Übergabe der mit „Übergabe“ gekennzeichneten Rufnummern und Blöcke.

{sig(r, "ink", "Marlene Zietz", "Bereichsleiterin Geschäftskunden", "Brandenburg Netz AG")}
"""
    )
    return L


def l27(g: Gen) -> Letter:
    L, r = Letter("27_two_columns", "two_columns"), g.rng
    tel, fax = g.num("721", 7), g.num("721", 7)
    t = [g.num("721", 7) for _ in range(4)]
    k = [g.num("721", 7) for _ in range(3)]
    left = " \\\n".join(L.T(n, "slash") for n in t)
    right = " \\\n".join(L.X(n, "slash") for n in k)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Fächerstadt Telefon GmbH] \\ #text(size: 8pt)[Kaiserstraße 140 · 76133 Karlsruhe · T {L.C(tel, "slash")} · F {L.C(fax, "slash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Karlsruhe, 24.11.2026

*Rufnummernübergabe Ingenieurgesellschaft Hauser mbH*

Sehr geehrte Damen und Herren,

die Rufnummern unseres Kunden teilen sich wie folgt auf:

#grid(columns: (1fr, 1fr), gutter: 1cm,
  [*Übergabe an Sie:* \\
{left}],
  [*Verbleiben bei uns:* \\
{right}])

{sig(r, "ink", "Tobias Wenzel", "Prokurist", "Fächerstadt Telefon GmbH")}
"""
    )
    return L


def l28(g: Gen) -> Letter:
    L, r = Letter("28_all_notations", "notations"), g.rng
    tel = g.num("30", 8)
    styles = ["br", "slash", "intl0", "i00", "e164", "grp", "dash", "intldin"]
    nums = [g.num("30", 8) for _ in styles]
    k = g.num("30", 8)
    items = "\n".join(f"- {L.T(n, s)}" for n, s in zip(nums, styles, strict=True))
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Hauptstadt Telefonie GmbH] #h(1fr) #text(size: 8pt)[Tel. {L.C(tel, "br")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Berlin, 25.11.2026

*Bestätigung der Rufnummernübergabe -- Agentur Blaupause GmbH*

Sehr geehrte Damen und Herren,

wir übergeben die nachfolgenden Rufnummern (Schreibweise wie in unseren Vertragsunterlagen):

{items}

Nicht übergeben wird die Rufnummer {L.X(k, "intl")}.

{sig(r, "ink", "Nadine Scholz", "Leitung Kundenservice", "Hauptstadt Telefonie GmbH")}
"""
    )
    return L


def l29(g: Gen) -> Letter:
    L, r = Letter("29_service_number_kept", "service_number"), g.rng
    tel = g.num("69", 8)
    a, b = g.num("69", 8), g.num("69", 8)
    svc = g.service()
    blk = g.block("69", 6, 1, 0, 9)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Rhein-Main Sprachdienste GmbH] #h(1fr) #text(size: 8pt)[Mainzer Landstr. 50 · 60325 Frankfurt · {L.C(tel, "intl")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Frankfurt am Main, 27.11.2026

*Rufnummernübergabe -- Reisebüro Weltenbummler GmbH*

Sehr geehrte Damen und Herren,

hiermit bestätigen wir die Übergabe der Rufnummern {L.T(a, "intl")} und {L.T(b, "intl")} sowie des
Durchwahlbereichs {L.T(blk, "intl")}.

Die Servicerufnummer {L.X(svc, "grp")} ist ein eigenes Vertragsverhältnis und nicht Bestandteil dieser Übergabe.

{sig(r, "ink", "Heike Brenner", "Geschäftsführerin", "Rhein-Main Sprachdienste GmbH")}
"""
    )
    return L


def l30(g: Gen) -> Letter:
    L, r = Letter("30_fax_cover_3pages", "fax_cover"), g.rng
    tel, fax = g.num("8031", 6), g.num("8031", 6)
    bfax = g.num("89", 8)
    nums = [g.num("8031", 6) for _ in range(8)]
    rows = []
    for i, n in enumerate(nums, 1):
        if i == 6:
            rows.append([str(i), L.X(n, "br"), "nein (bleibt bei uns)"])
        else:
            rows.append([str(i), L.T(n, "br"), "ja"])
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#align(center)[#text(size: 28pt, weight: "bold")[TELEFAX]]
#v(0.5cm)
#table(columns: (4cm, 1fr), inset: 8pt,
  [An:], [Fernmeldedienst Süd GmbH, Auftragsmanagement],
  [Fax-Nr.:], [{L.C(bfax, "br")}],
  [Von:], [Inntal Kommunikation GmbH, Frau Huber],
  [Tel.:], [{L.C(tel, "br")}],
  [Fax:], [{L.C(fax, "br")}],
  [Datum:], [26.11.2026],
  [Seiten (inkl. Deckblatt):], [3],
  [Betreff:], [Rufnummernübergabe Sägewerk Stocker KG])
#v(1cm)
Bitte umgehend weiterleiten. Sollten Sie dieses Fax irrtümlich erhalten haben, rufen Sie uns bitte unter {L.C(tel, "br")} an.
#pagebreak()
#text(size: 13pt, weight: "bold")[Inntal Kommunikation GmbH] #h(1fr) #text(size: 8pt)[Münchener Str. 21 · 83022 Rosenheim]
#v(0.8cm)
{address(B_PARTNERS[0])}
#v(0.4cm)
Rosenheim, 26.11.2026

*Bestätigung der Rufnummernübergabe -- Sägewerk Stocker KG*

Sehr geehrte Damen und Herren,

die Rufnummern unseres Kunden Sägewerk Stocker KG werden gemäß der beigefügten Liste (Seite 3) an Sie übergeben, soweit dort in der Spalte „Übergabe“ mit „ja“ vermerkt.

{sig(r, "ink", "Theresa Huber", "Geschäftsführerin", "Inntal Kommunikation GmbH")}
#pagebreak()
*Rufnummernliste Sägewerk Stocker KG*

{table("(1cm, 5cm, 5cm)", ["Nr.", "Rufnummer", "Übergabe"], rows)}
"""
    )
    return L


def l31(g: Gen) -> Letter:
    L, r = Letter("31_english_letter", "english"), g.rng
    tel, mob = g.num("211", 8), g.mobile()
    a, b, c = g.num("211", 8), g.num("211", 8), g.num("211", 8)
    blk = g.block("211", 6, 1, 0, 9)
    k = g.num("211", 8)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 14pt, weight: "bold")[Meridian Unified Communications Germany GmbH] \\
#text(size: 8pt)[Speditionstraße 15a · 40221 Düsseldorf · T {L.C(tel, "intl")} · M {L.C(mob, "mobintl")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Düsseldorf, 27 November 2026

*Re: Number handover for Harbour Analytics GmbH*

Dear colleagues,

we confirm that the following telephone numbers of our customer Harbour Analytics GmbH are handed over to you:
{L.T(a, "intl")}, {L.T(b, "intl")}, {L.T(c, "intl")} and the DDI range {L.T(blk, "intl")}.

The number {L.X(k, "intl")} remains with Meridian and is not part of this handover.

Please contact me on the numbers above should you have any questions.

Best regards,

{ink(r, 120, 32)} \\
Priya Raman \\
Head of Carrier Relations, authorised signatory
"""
    )
    return L


def l32(g: Gen) -> Letter:
    L, r = Letter("32_long_list_continued", "continuation"), g.rng
    tel, fax = g.num("911", 8), g.num("911", 8)
    nums = [g.num("9131", 6) for _ in range(34)]
    lines = []
    for i, n in enumerate(nums, 1):
        if i == 23:
            lines.append(f"{i}. #h(0.5em) {L.X(n, 'slash')} #h(1em) (verbleibt -- Hausmeisterei)")
        else:
            lines.append(f"{i}. #h(0.5em) {L.T(n, 'slash')}")
    body_list = " \\\n".join(lines)
    foot = (
        "#set text(size: 7pt)\nFrankenNet Erlangen GmbH · Nürnberger Str. 7 · 91052 Erlangen · "
        f"Tel. {esc(tel.f('slash'))} · Fax {esc(fax.f('slash'))}"
    )
    L.printed += [tel.f("slash"), fax.f("slash")]
    L.contact += [tel, fax]
    L.body = (
        page("DejaVu Sans", 10.5, footer=foot)
        + f"""
#text(size: 14pt, weight: "bold")[FrankenNet Erlangen GmbH]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Erlangen, 25.11.2026

*Bestätigung der Rufnummernübergabe -- Wohnungsbaugenossenschaft Erlangen-Süd eG*

Sehr geehrte Damen und Herren,

wir bestätigen die Übergabe der folgenden Rufnummern der Wohnungsbaugenossenschaft Erlangen-Süd eG an Sie. Die Rufnummern gehören zu den Gemeinschaftseinrichtungen der Wohnanlagen (Aufzüge, Waschküchen, Hausmeisterbüros).

{body_list}

Die Übergabe umfasst damit 33 Rufnummern.

{sig(r, "ink", "Stefan Dorn", "Geschäftsführer", "FrankenNet Erlangen GmbH")}
"""
    )
    return L


def l33(g: Gen) -> Letter:
    L, r = Letter("33_phones_inside_sentence", "inline_contacts"), g.rng
    tel = g.num("3641", 6)
    ec = g.mobile()
    a, b = g.num("3641", 6), g.num("3641", 6)
    k = g.num("3641", 6)
    L.body = (
        page("DejaVu Serif", 10.5)
        + f"""
#text(size: 14pt)[*Saale-Holzland Telekom GmbH*] #h(1fr) #text(size: 8pt)[Löbdergraben 9 · 07743 Jena]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Jena, 26.11.2026

*Bestätigung der Rufnummernübergabe -- Optik Lämmerhirt*

Sehr geehrte Damen und Herren,

wie mit Frau Lämmerhirt (Inhaberin, erreichbar unter {L.C(ec, "mobgrp", ask=True)}) am 20.11.2026 besprochen,
übergeben wir Ihnen die Rufnummern {L.T(a, "nat")} und {L.T(b, "nat")}; den Termin stimmen Sie bitte direkt mit
ihr ab. Unsere Technik erreichen Sie für die Umschaltung unter {L.C(tel, "nat")}. Die Rufnummer {L.X(k, "nat")}
bleibt wie vereinbart bei uns.

{sig(r, "ink", "Ulrich Paetz", "Geschäftsführer", "Saale-Holzland Telekom GmbH")}
"""
    )
    return L


def l34(g: Gen) -> Letter:
    L, r = Letter("34_numbered_clauses", "clauses"), g.rng
    tel, fax = g.num("2151", 6), g.num("2151", 6)
    blk = g.block("2151", 4, 2, 0, 99)
    a = g.num("2151", 6)
    k = g.num("2151", 6)
    kblk = g.block("2151", 5, 1, 0, 9)
    L.body = (
        page("DejaVu Serif", 10, justify=True)
        + f"""
#align(center)[*Niederrhein Telekommunikation GmbH & Co. KG* \\ #text(size: 8pt)[Ostwall 44 · 47798 Krefeld · Telefon {L.C(tel, "brn")} · Telefax {L.C(fax, "brn")}]]
#v(0.6cm)
{b_addr(r)}
#v(0.3cm)
#align(right)[Krefeld, 24.11.2026]

#align(center)[*Erklärung zur Übergabe von Rufnummern*]

*1. Gegenstand.* Die Niederrhein Telekommunikation GmbH & Co. KG (im Folgenden „abgebender Partner“) erklärt
gegenüber dem aufnehmenden Partner die Übergabe von Rufnummern des Endkunden Textilveredelung Hülser
Berg GmbH, Kundennummer 700 412 (im Folgenden „Endkunde“).

*2. Übergebene Rufnummern.* 2.1 Der Anlagenanschluss {L.T(blk, "br")}. 2.2 Die Einzelrufnummer {L.T(a, "brn")}.

*3. Nicht übergebene Rufnummern.* 3.1 Die Rufnummer {L.X(k, "brn")}. 3.2 Der Rufnummernblock {L.X(kblk, "br")}.
Die in Ziffer 3 genannten Rufnummern verbleiben beim abgebenden Partner.

*4. Sonstiges.* Diese Erklärung begründet keine Pflichten gegenüber dem Endkunden. Bankverbindung für offene
Posten: IBAN DE91 3205 0000 0000 7004 12, BIC SPKRDE33XXX. Gerichtsstand ist Krefeld.

{sig(r, "ppa", "Michael Tenhaeff", "Leiter Recht & Regulierung", "Niederrhein Telekommunikation GmbH & Co. KG")}
"""
    )
    return L


def l35(g: Gen) -> Letter:
    L, r = Letter("35_blanket_all_numbers", "blanket", request_mode="blanket"), g.rng
    tel, fax = g.num("441", 7), g.num("441", 7)
    k = g.num("441", 7)
    hidden = [g.num("441", 7) for _ in range(3)]
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Oldenburger Leitungsnetz GmbH] \\ #text(size: 8pt)[Heiligengeiststr. 10 · 26121 Oldenburg · Tel. {L.C(tel, "slash")} · Fax {L.C(fax, "slash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Oldenburg, 25.11.2026

*Freigabe der Rufnummern -- Landhandel Meyer-Wübbenhorst*

Sehr geehrte Damen und Herren,

wir geben sämtliche Rufnummern unseres Kunden Landhandel Meyer-Wübbenhorst zur Übernahme durch Sie frei,
mit Ausnahme der Rufnummer {L.X(k, "slash")}. Eine Aufstellung der Rufnummern liegt Ihnen über den Kunden vor.

{sig(r, "ink", "Gesine Hullmann", "Geschäftsführerin", "Oldenburger Leitungsnetz GmbH")}
"""
    )
    L.ask_only = [k.e164, tel.e164] + [h.e164 for h in hidden]
    return L


def l36(g: Gen) -> Letter:
    L, r = Letter("36_small_print_note", "small_print"), g.rng
    tel = g.num("4631", 6)
    a, b, c = g.num("4631", 6), g.num("4631", 6), g.num("4631", 6)
    fx = g.num("4631", 6)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Förde Telecom GmbH] #h(1fr) #text(size: 8pt)[Glücksburg · Tel. {L.C(tel, "nat")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Glücksburg, 24.11.2026

*Rufnummernübergabe Hotel Strandperle*

Sehr geehrte Damen und Herren,

für unseren Kunden Hotel Strandperle bestätigen wir die Übergabe der Rufnummern:

#pad(left: 1cm)[{L.T(a, "nat")} (Rezeption) \\ {L.T(b, "nat")} (Restaurant) \\ {L.T(c, "nat")} (Verwaltung)]

{sig(r, "ia", "Kirsten Jensen", "Auftragsmanagement", "Förde Telecom GmbH")}
#v(1fr)
#text(size: 6.5pt)[Hinweis: Die Faxrufnummer {L.X(fx, "nat")} des Kunden ist an unsere Fax-to-Mail-Plattform gebunden und kann nicht übergeben werden. Förde Telecom GmbH · Amtsgericht Flensburg HRB 9917 FL · USt-IdNr. DE 311 240 118]
"""
    )
    return L


def l37(g: Gen) -> Letter:
    L, r = Letter("37_abschaltung_column", "inverted_column"), g.rng
    tel = g.num("7031", 6)
    nums = [g.num("7031", 6) for _ in range(5)]
    rows = []
    for i, n in enumerate(nums):
        if i in (0, 3):
            rows.append([L.X(n, "slash"), "ja", "Kündigung durch Endkunde"])
        else:
            rows.append([L.T(n, "slash"), "nein", ""])
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Gäu-Netz Kommunikation GmbH] #h(1fr) #text(size: 8pt)[Böblingen · Tel. {L.C(tel, "slash")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Böblingen, 26.11.2026

*Übergabe Rufnummern -- Schreinerei Eberle*

Sehr geehrte Damen und Herren,

Rufnummern, bei denen in der Spalte „Abschaltung zum Vertragsende“ „ja“ steht, werden zum Vertragsende abgeschaltet und nicht übergeben. Alle übrigen Rufnummern der Liste übergeben wir an Sie.

{table("(4.5cm, 4.5cm, 1fr)", ["Rufnummer", "Abschaltung zum Vertragsende", "Bemerkung"], rows)}
{sig(r, "ink", "Andreas Eberhardt", "Geschäftsführer", "Gäu-Netz Kommunikation GmbH")}
"""
    )
    return L


def l38(g: Gen) -> Letter:
    L, r = Letter("38_handwritten_remark", "handwritten"), g.rng
    tel = g.num("3581", 6)
    a, b, c = g.num("3581", 6), g.num("3581", 6), g.num("3581", 6)
    k = g.num("3581", 6)
    hand = 'text(font: "DejaVu Serif", style: "italic", fill: rgb("#1b2a7a"), size: 11pt)'
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Oberlausitz Telekom GmbH] #h(1fr) #text(size: 8pt)[Görlitz · Tel. {L.C(tel, "br")}]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Görlitz, 25.11.2026

*Bestätigung der Rufnummernübergabe -- Orgelbau Eule Nachf.*

Sehr geehrte Damen und Herren,

wir bestätigen die Übergabe der Rufnummern unseres Kunden Orgelbau Eule Nachf.:

#table(columns: (5cm, 1fr), stroke: none,
  [{L.T(a, "br")}], [],
  [{L.X(k, "br")}], [#rotate(-4deg)[#{hand}[← bleibt bei uns! \\ (Alarmaufschaltung) K.S.]]],
  [{L.T(b, "br")}], [],
  [{L.T(c, "br")}], [])

{sig(r, "ia", "Konrad Schulze", "Technischer Leiter", "Oberlausitz Telekom GmbH")}
"""
    )
    return L


def l39(g: Gen) -> Letter:
    L, r = Letter("39_stem_and_range_labels", "stem_labels"), g.rng
    tel, mob = g.num("341", 8), g.mobile()
    blk = g.block("341", 5, 2, 0, 99)
    k = g.num("341", 8)
    L.body = (
        page("DejaVu Sans Mono", 9.5)
        + f"""
LEIPZIGER KOMMUNIKATIONSDIENSTE GMBH
Karl-Liebknecht-Str. 88 | 04275 Leipzig | Tel.:{L.C(tel, "tight")} | Mobil:{L.C(mob, "mob")}
#line(length: 100%)
{b_addr(r)}
#v(0.3cm)
Leipzig, 24.11.2026

BETREFF: BESTAETIGUNG RUFNUMMERNUEBERGABE / KUNDE: KLINIK AM AUWALD GGMBH

Sehr geehrte Damen und Herren,

fuer den oben genannten Kunden bestaetigen wir die Uebergabe des folgenden Anschlusses:

#table(columns: (6cm, 1fr), stroke: none, inset: 2pt,
  [Ortsnetzkennzahl ......], [0{blk.area}],
  [Stammrufnummer ........], [{blk.stem}],
  [Durchwahlbereich ......], [{blk.ext(blk.lo)} \\- {blk.ext(blk.hi)}],
  [Anzahl Rufnummern .....], [100])

Nicht Gegenstand der Uebergabe ist der Einzelanschluss {L.X(k, "nat")} (Pforte).

{sig(r, "ink", "Dr. Ines Bartsch", "Kaufmaennische Leiterin", "Leipziger Kommunikationsdienste GmbH")}
"""
    )
    L.transfer.append(blk)
    return L


def l40(g: Gen) -> Letter:
    L, r = Letter("40_dates_postcodes_glue", "lookalike_dense"), g.rng
    tel, fax = g.num("621", 7), g.num("621", 7)
    a, b = g.num("621", 7), g.num("621", 7)
    k = g.num("621", 7)
    auftrag = g.num("621", 6)
    L.body = (
        page("DejaVu Sans", 10)
        + f"""
#text(size: 13pt, weight: "bold")[Quadrate Telekom GmbH] \\
#text(size: 8pt)[N7, 13 · 68161 Mannheim · Tel.{L.C(tel, "slash")} · Fax{L.C(fax, "slash")} · USt-IdNr. DE 814 552 031 · HRB 712044]
#v(0.8cm)
{b_addr(r)}
#v(0.4cm)
Mannheim, 26.11.2026 · Auftragsnummer {L.L(auftrag, "tight")} · Kundennummer 68161-0042

*Rufnummernübergabe zum 15.12.2026 -- Café Herzstück, 68159 Mannheim*

Sehr geehrte Damen und Herren,

zum 15.12.2026 übergeben wir die Rufnummern {L.T(a, "slash")} (seit 01.04.2014) und {L.T(b, "slash")} (seit 12.09.2019)
an Sie. Die {L.X(k, "slash")} (seit 03.02.2021) kündigt der Kunde bei uns zum 31.01.2027; sie wird nicht übergeben.

{sig(r, "ink", "Giuseppe Ferraro", "Geschäftsführer", "Quadrate Telekom GmbH")}
"""
    )
    return L


# ---------------------------------------------------------------- build

TYPST_COMPILE = """
import sys, typst
from pathlib import Path
src, fonts = Path(sys.argv[1]), sys.argv[2:]
for typ in sorted(src.glob("*.typ")):
    print(typ.name, file=sys.stderr)
    pdf = typst.compile(str(typ), font_paths=fonts, timestamp=1796169600)
    typ.with_suffix(".pdf").write_bytes(pdf)
"""


def compile_all(letters: list[Letter], out: Path, typst_python: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for L in letters:
            (t / f"{L.name}.typ").write_text(
                f'#set document(title: "Bestätigung der Rufnummernübergabe", author: "")\n{L.body}'
            )
        subprocess.run([typst_python, "-c", TYPST_COMPILE, str(t), *FONT_DIRS], check=True)
        for L in letters:
            (out / f"{L.name}.pdf").write_bytes((t / f"{L.name}.pdf").read_bytes())


def norm(s: str) -> str:
    s = s.replace("\u00a0", " ").replace("\u2212", "-").replace("\r", " ").replace("\ufffe", "")
    return re.sub(r"\s+", " ", s).strip()


def check_text(L: Letter, pdf: Path) -> int:
    doc = pdfium.PdfDocument(str(pdf))
    text = norm(" ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))
    missing = [s for s in L.printed if norm(s) not in text]
    assert not missing, (L.name, missing)
    return len(doc)


def scan(src: Path, dst: Path, dpi: int, angle: float, rng: random.Random) -> None:
    doc = pdfium.PdfDocument(str(src))
    pages: list[Image.Image] = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72).to_pil().convert("L")
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
        a = np.asarray(img).astype(np.float64)
        nrng = np.random.default_rng(rng.randint(0, 2**31))
        a = a * 0.93 + 12 + nrng.normal(0, 4, a.shape)
        specks = nrng.random(a.shape) < 0.0004
        a[specks] = 40
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.randint(55, 75))
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    pages[0].save(dst, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))


def build(out: Path, typst_python: str) -> dict[str, dict[str, object]]:
    out.mkdir(parents=True, exist_ok=True)
    gen = Gen(SEED)
    letters = [f(gen) for f in LETTERS]
    names = [L.name for L in letters]
    assert len(set(names)) == len(names)
    compile_all(letters, out, typst_python)
    truth: dict[str, dict[str, object]] = {}
    for L in letters:
        t = L.truth()
        t["pages"] = check_text(L, out / f"{L.name}.pdf")
        truth[L.name] = t
    srng = random.Random(SEED + 1)
    for i, (orig, dpi, angle) in enumerate(SCANS):
        name = f"{41 + i}_scan_{orig.split('_', 1)[1]}"
        scan(out / f"{orig}.pdf", out / f"{name}.pdf", dpi, angle, srng)
        t = dict(truth[orig])
        t.update(scanned=True, producer="scan", scan_of=orig, dpi=dpi)
        truth[name] = t
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=HERE / "letters")
    ap.add_argument("--typst-python", default="/tmp/h-venv/bin/python")
    ap.add_argument("--only", default="", help="build only letters whose name starts with this")
    a = ap.parse_args()
    global LETTERS, SCANS
    if a.only:
        LETTERS = [f for f in LETTERS if f.__name__ == "l" + a.only[:2]]
        SCANS = []
    truth = build(a.out, a.typst_python)
    for name, t in truth.items():
        transfer, requested = t["transfer"], t["requested"]
        assert isinstance(transfer, list) and isinstance(requested, list)
        print(f"{name}: {t['pages']} p, transfer {len(transfer)}, requested {len(requested)}")


LETTERS: list[Callable[[Gen], Letter]] = [
    v for k, v in sorted(globals().items()) if re.fullmatch(r"l\d\d", k) and callable(v)
]
SCANS: list[tuple[str, int, float]] = [
    ("02_stadtwerke_table", 200, 0.9),
    ("07_footnote_keepback", 150, -1.2),
    ("11_tickbox_rows", 200, 1.5),
    ("16_vorwahl_columns", 150, -0.6),
    ("30_fax_cover_3pages", 200, 1.1),
    ("38_handwritten_remark", 200, -1.4),
]

if __name__ == "__main__":
    main()
