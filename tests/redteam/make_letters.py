"""Red-team handover letters for the document reader (seeded, deterministic content).

Writes ``tests/redteam/letters/*.pdf`` and ``truth.json`` (same keys as the
development corpus): HTML/CSS printed to PDF by headless Chromium, plus a few
image-only scans made from those PDFs (pypdfium2 render, tilt, noise, JPEG).

Run from the project root::

    .venv/bin/python tests/redteam/make_letters.py
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import phonenumbers

OUT = Path(__file__).parent / "letters"
SEED = 9
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

AREAS = [
    "511",
    "89",
    "221",
    "40",
    "30",
    "69",
    "711",
    "341",
    "351",
    "911",
    "421",
    "561",
    "251",
    "231",
    "761",
]


class Numbers:
    """Draw valid, distinct German numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _ok(self, e164: str) -> bool:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164)) and e164 not in self.used

    def single(self, area: str | None = None) -> tuple[str, str]:
        """Return (area, subscriber) of a fresh valid number."""
        while True:
            a = area or self.rng.choice(AREAS)
            sub = str(self.rng.randint(2, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(self.rng.choice([5, 6]))
            )
            e = f"+49{a}{sub}"
            if self._ok(e):
                self.used.add(e)
                return a, sub

    def stem(self, area: str | None = None, width: int = 2) -> tuple[str, str]:
        """Return (area, stem) such that every stem + extension of `width` digits is valid."""
        while True:
            a = area or self.rng.choice(AREAS)
            st = str(self.rng.randint(2, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(4)
            )
            members = [f"+49{a}{st}{i:0{width}d}" for i in range(10**width)]
            if all(self._ok(m) for m in members) and self._ok(f"+49{a}{st}"):
                self.used.update(members)
                self.used.add(f"+49{a}{st}")
                return a, st


def e(a: str, s: str) -> str:
    return f"+49{a}{s}"


def block(a: str, st: str, lo: int, hi: int, width: int = 2) -> list[str]:
    return [f"+49{a}{st}{i:0{width}d}" for i in range(lo, hi + 1)]


def nat(a: str, s: str) -> str:
    return f"0{a} {s}"


CSS = """
@page { size: A4; margin: 0; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; margin: 22mm 20mm 18mm 25mm; color: #111; }
.head { font-size: 8.5pt; color: #333; }
.addr { margin-top: 12mm; height: 40mm; }
table { border-collapse: collapse; }
td, th { padding: 2px 6px; text-align: left; vertical-align: top; }
.small { font-size: 8pt; }
.foot { position: fixed; bottom: 10mm; left: 25mm; right: 20mm; font-size: 7.5pt; color: #444; border-top: 0.5pt solid #888; padding-top: 2mm; }
"""

INK = (
    '<svg width="160" height="50" viewBox="0 0 160 50"><path d="M5 35 C 20 5, 35 5, 40 30 S 60 45, 70 20 '
    'S 95 5, 100 30 S 130 40, 150 15" stroke="#1a2a8a" stroke-width="2" fill="none"/>'
    '<path d="M30 42 L 120 38" stroke="#1a2a8a" stroke-width="1.4" fill="none"/></svg>'
)


def page(body: str, extra_css: str = "") -> str:
    return f"<!doctype html><html lang=de><head><meta charset=utf-8><style>{CSS}{extra_css}</style></head><body>{body}</body></html>"


def letters(rng: random.Random) -> list[dict[str, Any]]:
    N = Numbers(rng)
    out: list[dict[str, Any]] = []

    def add(
        name: str,
        family: str,
        html: str,
        transfer_in: Sequence[str],
        excluded_in: Sequence[str] = (),
        contact_in: Sequence[str] = (),
        unclear_in: Sequence[str] = (),
        other_req: Sequence[str] = (),
        signed: bool = True,
        extra_css: str = "",
        scan: bool | str = False,
    ) -> None:
        transfer, excluded, contact, unclear = (
            list(transfer_in),
            list(excluded_in),
            list(contact_in),
            list(unclear_in),
        )
        requested = sorted(
            set(transfer) | set(excluded) | set(unclear) | set(contact[:1]) | set(other_req)
        )
        out.append(
            {
                "name": name,
                "family": family,
                "html": page(html, extra_css),
                "transfer": sorted(set(transfer)),
                "excluded": sorted(set(excluded)),
                "contact": sorted(set(contact)),
                "unclear": sorted(set(unclear)),
                "requested": requested,
                "signed": signed,
                "scan": scan,
            }
        )

    # 1 law firm, Az. that looks like a number, recipient phone in address block
    kz = N.single("511")
    kzf = N.single("511")
    rcpt = N.single("40")
    t1 = [N.single("511") for _ in range(3)]
    x1 = N.single("511")
    az = N.single("511")
    html = f"""<div class=head>DR. HELLWIG &amp; PARTNER Rechtsanwälte mbB · Georgstraße 12 · 30159 Hannover</div>
<div class=addr>Nordkom Carrier GmbH<br>z. Hd. Abteilung Portierung<br>Spaldingstraße 64<br>20097 Hamburg<br>Tel. {nat(*rcpt)}</div>
<p>Unser Zeichen: {az[0]} {az[1]}/26 &nbsp; Hannover, 24. November 2026</p>
<p><b>Rufnummernumzug Ihrer Kundin Bäckerei Lindemann e.K.</b></p>
<p>Sehr geehrte Damen und Herren,</p>
<p>wir zeigen an, dass wir die Leitungsnetz Niedersachsen GmbH anwaltlich vertreten. Namens und in Vollmacht unserer
Mandantin erklären wir deren Einverständnis mit der Übernahme der nachstehend bezeichneten Rufnummern durch Ihr Haus:</p>
<p style="margin-left:12mm">a) {nat(*t1[0])}<br>b) {nat(*t1[1])}<br>c) {nat(*t1[2])}</p>
<p>Die weitere, ebenfalls auf die Kundin geschaltete Rufnummer {nat(*x1)} ist ausdrücklich nicht Gegenstand dieser Erklärung
und bleibt bei unserer Mandantin geschaltet.</p>
<p>Für Rückfragen steht Ihnen der Unterzeichner unter {nat(*kz)} zur Verfügung.</p>
<p>Mit freundlichen kollegialen Grüßen</p>{INK}<br>Dr. Jens Hellwig, Rechtsanwalt
<div class=foot>Dr. Hellwig &amp; Partner · Tel. {nat(*kz)} · Fax {nat(*kzf)} · Sparkasse Hannover IBAN DE12 2505 0180 0000 1234 56</div>"""
    add(
        "01_lawfirm",
        "law_firm",
        html,
        [e(*n) for n in t1],
        [e(*x1)],
        [e(*kz), e(*kzf), e(*rcpt)],
        other_req=[e(*az)],
    )

    # 2 IT department e-mail printout, plain monospace, mobile in mail signature
    mob = ("1522", "".join(str(rng.randint(0, 9)) for _ in range(7)))
    while not phonenumbers.is_valid_number(phonenumbers.parse(e(*mob))):
        mob = ("1522", "".join(str(rng.randint(0, 9)) for _ in range(7)))
    a2, s2 = N.stem("89")
    x2 = N.single("89")
    it = N.single("89")
    html = f"""<pre style="font-family:'DejaVu Sans Mono';font-size:9pt">Von:     IT-Service &lt;it-service@brauhaus-moosach.de&gt;
An:      porting@suednetz.example
Datum:   Mo, 23.11.2026 09:14
Betreff: AW: Portierung Brauhaus Moosach / Ticket 4471

Hallo zusammen,

wie telefonisch besprochen bestätigen wir hiermit die Portierung
unseres Anlagenanschlusses:

  Stammnummer ....... {nat(a2, s2)}
  Durchwahlen ....... 00 - 99 (kompletter Block)

Die Faxnummer {nat(*x2)} portieren wir NICHT mit, die wird zum
Monatsende abgeschaltet.

Gruß
Tobias Renner
IT-Service Brauhaus Moosach
Tel.  {nat(*it)}
Mobil 0{mob[0]} {mob[1]}
</pre>"""
    add(
        "02_it_email",
        "email_print",
        html,
        block(a2, s2, 0, 99),
        [e(*x2)],
        [e(*it), e(*mob)],
        other_req=[e(a2, s2)],  # the bare stem is not handed over, only its block
        signed=False,
    )

    # 3 Telekom-style Portierungsauftrag form with ☒/☐ per row
    rows = [N.single("221") for _ in range(5)]
    keep = {1, 3}
    trs = "".join(
        f"<tr><td>{i + 1}</td><td>0{r[0]}</td><td>{r[1]}</td><td>{'☐' if i in keep else '☒'} portieren</td><td>{'☒' if i in keep else '☐'} nicht portieren</td></tr>"
        for i, r in enumerate(rows)
    )
    hot = N.single("221")
    html = f"""<div style="border:1.5pt solid #e20074;padding:4mm"><div style="color:#e20074;font-size:16pt;font-weight:bold">Portierungsauftrag</div>
<div class=small>Auftrag zur Mitnahme von Rufnummern (Anbieterwechsel) – Rückbestätigung des abgebenden Anbieters</div></div>
<p>Abgebender Anbieter: RheinTel AG, Köln &nbsp; Aufnehmender Anbieter: WestCom GmbH<br>Endkunde: Kanzlei Berger, Hohenzollernring 5, 50672 Köln</p>
<table border=1 style="width:100%"><tr><th>Pos.</th><th>ONKz</th><th>Rufnummer</th><th colspan=2>Auswahl</th></tr>{trs}</table>
<p>Die oben angekreuzten Rufnummern werden zum vereinbarten Termin freigegeben.</p>
<p>Köln, 25.11.2026</p>{INK}<br>i. A. Sabine Kurz
<div class=foot>RheinTel AG · Service-Hotline {nat(*hot)}</div>"""
    add(
        "03_portierungsauftrag",
        "checkbox_form",
        html,
        [e(*r) for i, r in enumerate(rows) if i not in keep],
        [e(*r) for i, r in enumerate(rows) if i in keep],
        [e(*hot)],
    )

    # 4 handwritten-looking note
    t4 = [N.single("351") for _ in range(2)]
    x4 = N.single("351")
    own = N.single("351")
    html = f"""<div style="font-family:'DejaVu Serif';font-style:italic;font-size:15pt;transform:rotate(-1.2deg);line-height:1.6;color:#1b2a6b">
<p>Liebe Frau Schubert,</p>
<p>kurz zur Info wegen dem Umzug von Praxis Dr. Vogel: die {nat(*t4[0])} und die {nat(*t4[1])} gehen rüber zu Ihnen.</p>
<p>Die alte Nummer {nat(*x4)} bleibt aber bei uns (da hängt noch die Alarmanlage dran)!</p>
<p>Bei Fragen einfach anrufen: {nat(*own)}</p><p>Viele Grüße, Ihr K. Meißner</p></div>{INK}"""
    add("04_handnote", "handwritten", html, [e(*n) for n in t4], [e(*x4)], [e(*own)])

    # 5 numbers only in a footnote table
    t5 = [N.single("711") for _ in range(3)]
    x5 = N.single("711")
    own5 = N.single("711")
    html = f"""<div class=head>Schwabennetz GmbH · Königstraße 1 · 70173 Stuttgart</div><div class=addr>NeckarVoice AG<br>Portierungsteam<br>70565 Stuttgart</div>
<p><b>Rufnummernumzug Autohaus Kessler</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir bestätigen die Übergabe der Rufnummern des Kunden Autohaus Kessler<sup>1</sup> an Ihr Unternehmen zum 01.01.2027.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Petra Lang, Carrier Management<br><br><br>
<hr style="width:40%;margin-left:0"><div class=small><sup>1</sup> Betroffene Rufnummern:
<table class=small><tr><td>{nat(*t5[0])}</td><td>Zentrale</td></tr><tr><td>{nat(*t5[1])}</td><td>Werkstatt</td></tr>
<tr><td>{nat(*t5[2])}</td><td>Fax</td></tr><tr><td>{nat(*x5)}</td><td>verbleibt (Notruf Aufzug)</td></tr></table></div>
<div class=foot>Schwabennetz GmbH · Tel. {nat(*own5)}</div>"""
    add("05_footnote_table", "footnote_table", html, [e(*n) for n in t5], [e(*x5)], [e(*own5)])

    # 6 international notation +49 (0)
    t6 = [N.single("30") for _ in range(3)]
    x6 = N.single("30")
    own6 = N.single("30")

    def intl(n: tuple[str, str]) -> str:
        return f"+49 (0) {n[0]} {n[1][:3]} {n[1][3:]}"

    html = f"""<div class=head>Spree Connect GmbH · Friedrichstraße 80 · 10117 Berlin · Telefon {intl(own6)}</div><div class=addr>Havel Telecom GmbH<br>14467 Potsdam</div>
<p><b>Re: Number porting – Galerie Neumann</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>für unseren gemeinsamen Kunden Galerie Neumann bestätigen wir den Rufnummernumzug. Übergeben werden:</p>
<ul><li>{intl(t6[0])}</li><li>{intl(t6[1])}</li><li>{intl(t6[2])}</li></ul>
<p>Die Rufnummer {intl(x6)} wurde vom Kunden bereits zum 31.10.2026 gekündigt und kann daher nicht übergeben werden.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Mark Feldt"""
    add("06_intl", "notation", html, [e(*n) for n in t6], [e(*x6)], [e(*own6)])

    # 7 slashes
    t7 = [N.single("511") for _ in range(3)]
    x7 = N.single("511")
    own7 = N.single("511")

    def sl(n: tuple[str, str]) -> str:
        return f"0{n[0]}/{n[1]}"

    html = f"""<div class=head>LeineTel GmbH · 30159 Hannover · Tel. {sl(own7)}</div><div class=addr>Weser Net AG<br>28195 Bremen</div>
<p><b>Übernahme der Rufnummern – Tischlerei Brandt</b></p><p>Guten Tag,</p>
<p>wir stimmen der Übernahme der Rufnummern {sl(t7[0])}, {sl(t7[1])} und {sl(t7[2])} durch Sie zu.
Nicht zugestimmt wird hinsichtlich der Rufnummer {sl(x7)}.</p><p>Freundliche Grüße</p>{INK}<br>Anja Brandes"""
    add("07_slash", "notation", html, [e(*n) for n in t7], [e(*x7)], [e(*own7)])

    # 8 DIN 5008 grouping and block
    a8, s8 = N.stem("421")
    x8a, x8s = N.single("421")
    own8 = N.single("421")
    din = f"0{x8a} {x8s[:-2]}-{x8s[-2:]}"
    html = f"""<div class=head>Hanse Voice GmbH · Am Wall 1 · 28195 Bremen</div><div class=addr>Elbe Carrier GmbH<br>20095 Hamburg</div>
<p><b>Rufnummernumzug Reederei Kruse</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir übergeben Ihnen den Rufnummernblock 0{a8} {s8}-00 bis -99.</p>
<p>Die Einzelrufnummer {din} verbleibt bei uns.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Jan Kruse<br>Telefon 0{own8[0]} {own8[1][:-2]}-{own8[1][-2:]}"""
    add("08_din_grouping", "notation", html, block(a8, s8, 0, 99), [e(x8a, x8s)], [e(*own8)])

    # 9 block in words
    a9, s9 = N.stem("341")
    own9 = N.single("341")
    html = f"""<div class=head>Saale Telekommunikation GmbH · 04109 Leipzig</div><div class=addr>Mitteldeutsche Netz AG<br>06108 Halle</div>
<p><b>Portierung Anlagenanschluss Stadtwerke Markkleeberg</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>hiermit bestätigen wir die Übergabe des Anlagenanschlusses mit der Stammrufnummer 0{a9} {s9}
und den Durchwahlen null bis neunundneunzig an Ihr Haus.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Uwe Richter · Tel. {nat(*own9)}"""
    add(
        "09_words",
        "block_words",
        html,
        block(a9, s9, 0, 99),
        [],
        [e(*own9)],
        other_req=[e(a9, s9)],  # the bare stem is not handed over, only its block
    )

    # 10 negation far from the number
    t10 = [N.single("221") for _ in range(2)]
    x10 = N.single("221")
    html = f"""<div class=head>Domnetz GmbH · 50667 Köln</div><div class=addr>Bonn Tel GmbH<br>53111 Bonn</div>
<p><b>Rufnummernumzug Hotel Am Ring</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die Rufnummern {nat(*t10[0])} und {nat(*t10[1])} werden an Sie übergeben.</p>
<p>Was die Rufnummer {nat(*x10)} betrifft, die seit 2014 für die Rezeption genutzt wird, in den vergangenen Jahren
mehrfach technisch umgestellt wurde und derzeit auf einen Sammelanschluss im Nebengebäude geschaltet ist, so ist
nach Rücksprache mit der Hotelleitung und unserer Technik eine Übergabe dieser Rufnummer derzeit ausgeschlossen.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Carla Wendt"""
    add("10_far_negation", "polarity", html, [e(*n) for n in t10], [e(*x10)])

    # 11 double negation
    t11 = N.single("69")
    t11b = N.single("69")
    x11 = N.single("69")
    html = f"""<div class=head>MainLink GmbH · 60311 Frankfurt am Main</div><div class=addr>Taunus Tel AG<br>61348 Bad Homburg</div>
<p><b>Rufnummernumzug Weinhandlung Opitz</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir bestätigen die Übergabe der Rufnummer {nat(*t11)}. Die Rufnummer {nat(*t11b)} ist von der Übergabe
nicht ausgenommen und wird ebenfalls übergeben. Ausgenommen ist dagegen die Rufnummer {nat(*x11)}.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Lars Opitz"""
    add("11_double_negation", "polarity", html, [e(*t11), e(*t11b)], [e(*x11)])

    # 12 keep-back list before handover list
    x12 = [N.single("911") for _ in range(2)]
    t12 = [N.single("911") for _ in range(3)]
    html = f"""<div class=head>Franken Telecom GmbH · 90402 Nürnberg</div><div class=addr>Regnitz Net GmbH<br>91052 Erlangen</div>
<p><b>Rufnummernumzug Druckerei Hofmann</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die folgenden Rufnummern verbleiben bei uns und sind vom Umzug nicht betroffen:</p>
<p style="margin-left:10mm">{nat(*x12[0])}<br>{nat(*x12[1])}</p>
<p>Übergeben werden dagegen:</p><p style="margin-left:10mm">{"<br>".join(nat(*n) for n in t12)}</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Eva Hofmann"""
    add("12_keep_first", "polarity", html, [e(*n) for n in t12], [e(*n) for n in x12])

    # 13 condition
    t13 = N.single("561")
    u13 = N.single("561")
    html = f"""<div class=head>Nordhessen Net GmbH · 34117 Kassel</div><div class=addr>Fulda Tel GmbH<br>36037 Fulda</div>
<p><b>Rufnummernumzug Physiotherapie Sommer</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die Rufnummer {nat(*t13)} wird zum 01.02.2027 übergeben. Die Rufnummer {nat(*u13)} wird nur übergeben, falls die
Kundin uns bis zum 15.01.2027 die ausstehende Schlussrechnung beglichen hat; andernfalls verbleibt sie bei uns.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Tim Sommer"""
    add("13_condition", "condition", html, [e(*t13)], [], [], [e(*u13)])

    # 14 customer number looks like a phone number; status column "entfällt"
    kd = N.single("251")
    rows14 = [N.single("251") for _ in range(4)]
    st14 = ["Übergabe", "entfällt", "Übergabe", "entfällt – Anschluss gekündigt"]
    trs = "".join(
        f"<tr><td>{nat(*r)}</td><td>{s}</td></tr>" for r, s in zip(rows14, st14, strict=False)
    )
    html = f"""<div class=head>Münsterland Carrier GmbH · 48143 Münster</div><div class=addr>Ems Voice GmbH<br>48431 Rheine</div>
<p>Kundennummer: {nat(*kd)}<br>Vertrag: 2026-88412</p><p><b>Rufnummernumzug Hofladen Terhorst</b></p>
<p>Sehr geehrte Damen und Herren, zu Ihrer Anfrage teilen wir folgenden Stand mit:</p>
<table style="border-top:1pt solid #000;border-bottom:1pt solid #000"><tr><th>Rufnummer</th><th>Vermerk</th></tr>{trs}</table>
<p>Mit freundlichen Grüßen</p>{INK}<br>Greta Terhorst"""
    add(
        "14_entfaellt_kundennr",
        "status_table",
        html,
        [e(*rows14[0]), e(*rows14[2])],
        [e(*rows14[1]), e(*rows14[3])],
        other_req=[e(*kd)],
    )

    # 15 two-column CSS layout, sidebar with own numbers and a 'verbleibt' note side by side
    t15 = [N.single("231") for _ in range(3)]
    x15 = N.single("231")
    sb = [N.single("231") for _ in range(2)]
    html = f"""<div style="display:grid;grid-template-columns:1fr 55mm;gap:8mm"><div>
<div class=addr>Ruhr Net GmbH<br>44135 Dortmund</div><p><b>Rufnummernumzug Spedition Kaya</b></p>
<p>Sehr geehrte Damen und Herren, wir bestätigen die Übergabe folgender Rufnummern:</p>
<p>{"<br>".join(nat(*n) for n in t15)}</p><p>Mit freundlichen Grüßen</p>{INK}<br>Deniz Kaya</div>
<div class=small style="border-left:0.5pt solid #999;padding-left:4mm">Westfalen Tel GmbH<br>Ihr Ansprechpartner<br>Telefon {nat(*sb[0])}<br>
Telefax {nat(*sb[1])}<br><br><b>Hinweis:</b> Die Rufnummer {nat(*x15)} verbleibt bei uns.</div></div>"""
    add("15_two_column", "two_column", html, [e(*n) for n in t15], [e(*x15)], [e(*n) for n in sb])

    # 16 carve-out inside a block with 'außer'
    a16, s16 = N.stem("761")
    html = f"""<div class=head>Breisgau Telekom GmbH · 79098 Freiburg</div><div class=addr>Schwarzwald Net AG<br>78050 Villingen</div>
<p><b>Rufnummernumzug Universitätsbuchhandlung</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>übergeben wird der Durchwahlbereich 0{a16} {s16}-00 bis -99, außer den Durchwahlen -10 bis -19, die beim
Kunden für die Filiale verbleiben.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Hanna Berg"""
    add(
        "16_block_ausser",
        "block_grammar",
        html,
        block(a16, s16, 0, 9) + block(a16, s16, 20, 99),
        block(a16, s16, 10, 19),
    )

    # 17 struck-through number in the list
    t17 = [N.single("40") for _ in range(3)]
    x17 = N.single("40")
    html = f"""<div class=head>Alster Telecom GmbH · 20095 Hamburg</div><div class=addr>Elbe Carrier GmbH<br>21073 Hamburg</div>
<p><b>Rufnummernumzug Fischhandel Peters</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir übergeben die nachstehenden Rufnummern; durchgestrichene Rufnummern entfallen:</p>
<p style="margin-left:10mm">{nat(*t17[0])}<br><s>{nat(*x17)}</s><br>{nat(*t17[1])}<br>{nat(*t17[2])}</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Ole Peters"""
    add("17_strikethrough", "strikethrough", html, [e(*n) for n in t17], [e(*x17)])

    # 18 revocation of an earlier confirmation
    t18 = N.single("89")
    x18 = N.single("89")
    html = f"""<div class=head>Isar Voice GmbH · 80331 München</div><div class=addr>Alpen Net GmbH<br>82467 Garmisch-Partenkirchen</div>
<p><b>Berichtigung unserer Bestätigung vom 12.11.2026 – Rufnummernumzug Café Huber</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>mit Schreiben vom 12.11.2026 hatten wir die Übergabe der Rufnummern {nat(*t18)} und {nat(*x18)} bestätigt. Diese
Bestätigung widerrufen wir hiermit für die Rufnummer {nat(*x18)}. Es bleibt bei der Übergabe der Rufnummer {nat(*t18)}.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Sepp Huber"""
    add("18_revocation", "polarity", html, [e(*t18)], [e(*x18)])

    # 19 'hingegen nicht' in the same sentence; 0049 notation
    t19 = [N.single("30") for _ in range(2)]
    x19 = N.single("30")

    def z(n: tuple[str, str]) -> str:
        return f"0049 {n[0]} {n[1]}"

    html = f"""<div class=head>Berlin Backbone GmbH · 10115 Berlin</div><div class=addr>Brandenburg Tel GmbH<br>14469 Potsdam</div>
<p><b>Rufnummernumzug Architekturbüro Lenz</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die Rufnummern {z(t19[0])} und {z(t19[1])} werden übergeben, die Rufnummer {z(x19)} hingegen nicht.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Ina Lenz"""
    add("19_hingegen_nicht", "polarity", html, [e(*n) for n in t19], [e(*x19)])

    # 20 signed with 'gez.' only, e-mail style HTML, recipient numbers quoted
    t20 = [N.single("351") for _ in range(2)]
    rq = N.single("351")
    html = f"""<p style="color:#555">-----Ursprüngliche Nachricht-----<br>Von: Elbtal Net Portierung (Tel. {nat(*rq)})<br>
Betreff: Anfrage Rufnummernumzug Zahnarztpraxis Roth</p>
<p>Sehr geehrte Damen und Herren,</p><p>Ihre Anfrage beantworten wir wie folgt: Die Rufnummern {nat(*t20[0])} und
{nat(*t20[1])} geben wir zum 01.03.2027 an Sie ab.</p><p>Mit freundlichen Grüßen<br>gez. Frank Roth<br>Sachsen Carrier GmbH</p>"""
    add("20_gez_quoted", "email_print", html, [e(*n) for n in t20], [], [e(*rq)], signed=False)

    # 21 table with 'Portierung: —' dash and 'x' column
    rows21 = [N.single("69") for _ in range(4)]
    mark = ["x", "—", "x", "—"]
    trs = "".join(
        f"<tr><td>{nat(*r)}</td><td style='text-align:center'>{m}</td></tr>"
        for r, m in zip(rows21, mark, strict=False)
    )
    html = f"""<div class=head>Rhein-Main Voice GmbH · 60313 Frankfurt</div><div class=addr>Odenwald Tel GmbH<br>64283 Darmstadt</div>
<p><b>Rufnummernumzug Steuerbüro Adler</b></p><p>Sehr geehrte Damen und Herren, nachstehend die Rufnummern des Kunden;
mit „x“ gekennzeichnete Rufnummern werden portiert.</p>
<table border=1><tr><th>Rufnummer</th><th>Portierung</th></tr>{trs}</table><p>Mit freundlichen Grüßen</p>{INK}<br>Nina Adler"""
    add(
        "21_x_column",
        "marked_table",
        html,
        [e(*rows21[0]), e(*rows21[2])],
        [e(*rows21[1]), e(*rows21[3])],
    )

    # 22 block as two full numbers with 'bis', and 'mit Ausnahme' of single number listed later in an Anlage-like box
    a22, s22 = N.stem("511")
    html = f"""<div class=head>Calenberg Net GmbH · 30449 Hannover</div><div class=addr>Harz Tel GmbH<br>38640 Goslar</div>
<p><b>Rufnummernumzug Sanitätshaus Böhm</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir bestätigen die Übergabe der Rufnummern 0{a22} {s22}00 bis 0{a22} {s22}49.</p>
<div style="border:0.8pt solid #000;padding:3mm;margin-top:6mm">Achtung: Die Rufnummern 0{a22} {s22}50 bis 0{a22} {s22}99
desselben Anschlusses werden nicht übergeben.</div><p>Mit freundlichen Grüßen</p>{INK}<br>Paul Böhm"""
    add("22_full_range", "block_grammar", html, block(a22, s22, 0, 49), block(a22, s22, 50, 99))

    # 23 inverted polarity column: "Verbleib beim Kunden" ja means kept back
    rows23 = [N.single("89") for _ in range(4)]
    keep23 = ["nein", "ja", "nein", "ja"]
    trs = "".join(
        f"<tr><td>{nat(*r)}</td><td>{k}</td></tr>" for r, k in zip(rows23, keep23, strict=True)
    )
    html = f"""<div class=head>Würmtal Net GmbH · 82152 Planegg</div><div class=addr>Bavaria Carrier AG<br>80335 München</div>
<p><b>Übergabe der Rufnummern – Kinderarztpraxis Dr. Stein</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir bestätigen die Übergabe der Rufnummern unseres Kunden gemäß folgender Aufstellung:</p>
<table border=1><tr><th>Rufnummer</th><th>Verbleibt bei uns?</th></tr>{trs}</table>
<p>Mit freundlichen Grüßen</p>{INK}<br>Mia Stein"""
    add(
        "23_inverted_column",
        "marked_table",
        html,
        [e(*rows23[0]), e(*rows23[2])],
        [e(*rows23[1]), e(*rows23[3])],
    )

    # 24 request quoted in the subject; only part handed over
    t24 = [N.single("40") for _ in range(2)]
    u24 = N.single("40")
    html = f"""<div class=head>Hafen Telecom GmbH · 20457 Hamburg</div><div class=addr>Nord Net AG<br>24103 Kiel</div>
<p><b>Ihre Anfrage vom 20.11.2026 zur Übernahme der Rufnummern {nat(*t24[0])}, {nat(*t24[1])} und {nat(*u24)}</b></p>
<p>Sehr geehrte Damen und Herren,</p><p>zu Ihrer obigen Anfrage teilen wir mit: Übergeben werden {nat(*t24[0])} und {nat(*t24[1])}.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Finn Möller"""
    add("24_quoted_request", "quoted_request", html, [e(*n) for n in t24], [], [], [e(*u24)])

    # 25 'weder ... noch' and 'lediglich'
    t25 = N.single("221")
    x25 = [N.single("221") for _ in range(2)]
    html = f"""<div class=head>Domstadt Voice GmbH · 50667 Köln</div><div class=addr>Siebengebirge Tel GmbH<br>53604 Bad Honnef</div>
<p><b>Rufnummernumzug Blumen Klein</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>weder die Rufnummer {nat(*x25[0])} noch die Rufnummer {nat(*x25[1])} werden übergeben; übergeben wird lediglich die
Rufnummer {nat(*t25)}.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Olaf Klein"""
    add("25_weder_noch", "polarity", html, [e(*t25)], [e(*n) for n in x25])

    # 26 negation before a list introduced by a colon ('Keine Übergabe erfolgt für:')
    t26 = [N.single("341") for _ in range(2)]
    x26 = [N.single("341") for _ in range(2)]
    html = f"""<div class=head>Pleiße Net GmbH · 04103 Leipzig</div><div class=addr>Elster Tel GmbH<br>04600 Altenburg</div>
<p><b>Rufnummernumzug Musikschule Wagner</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>Übergabe erfolgt für:</p><ul><li>{nat(*t26[0])}</li><li>{nat(*t26[1])}</li></ul>
<p>Keine Übergabe erfolgt für:</p><ul><li>{nat(*x26[0])}</li><li>{nat(*x26[1])}</li></ul>
<p>Mit freundlichen Grüßen</p>{INK}<br>Clara Wagner"""
    add("26_keine_uebergabe_list", "polarity", html, [e(*n) for n in t26], [e(*n) for n in x26])

    # 27 porting refused with the keyword 'Portierung' next to the number
    t27 = N.single("911")
    x27 = N.single("911")
    html = f"""<div class=head>Pegnitz Telecom GmbH · 90403 Nürnberg</div><div class=addr>Frankenland Net GmbH<br>97070 Würzburg</div>
<p><b>Portierung Rechtsanwaltskanzlei Hahn</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>Portierung {nat(*t27)}: bestätigt.<br>Portierung {nat(*x27)}: abgelehnt (Rufnummer gehört nicht zum Vertrag des Kunden).</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Max Hahn"""
    add("27_abgelehnt", "polarity", html, [e(*t27)], [e(*x27)])

    # 32 handover keyword next to a kept-back number ("deren Übergabe Sie angefragt haben")
    t32 = N.single("511")
    x32 = N.single("511")
    html = f"""<div class=head>Deister Net GmbH · 30890 Barsinghausen</div><div class=addr>Weserbergland Tel GmbH<br>31785 Hameln</div>
<p><b>Rufnummernumzug Gärtnerei Wolff</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die Rufnummer {nat(*x32)}, deren Übergabe Sie mit Schreiben vom 10.11.2026 angefragt haben, bleibt bei uns.
Die Übergabe der Rufnummer {nat(*t32)} bestätigen wir.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Rolf Wolff"""
    add("32_requested_but_kept", "polarity", html, [e(*t32)], [e(*x32)])

    # 33 number in the handover list and kept back later ("siehe oben")
    t33 = [N.single("30") for _ in range(2)]
    x33 = N.single("30")
    html = f"""<div class=head>Köpenick Connect GmbH · 12555 Berlin</div><div class=addr>Märkische Net GmbH<br>15230 Frankfurt (Oder)</div>
<p><b>Rufnummernumzug Bootsverleih Schulze</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>folgende Rufnummern werden übergeben:</p><p style="margin-left:10mm">{nat(*t33[0])}<br>{nat(*x33)}<br>{nat(*t33[1])}</p>
<p>Nach nochmaliger Prüfung ist der Anschluss mit der zweitgenannten Rufnummer jedoch nicht auf den Kunden, sondern
auf dessen Vermieter geschaltet; diese Rufnummer können wir deshalb nicht übergeben.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Kai Schulze"""
    add("33_second_named_withdrawn", "polarity", html, [e(*n) for n in t33], [e(*x33)])

    # 34 flexbox rows: number and status side by side, two per line
    r34 = [N.single("351") for _ in range(4)]
    st34 = ["Übergabe: ja", "Übergabe: nein", "Übergabe: nein", "Übergabe: ja"]
    cells = "".join(
        f"<div style='width:45%'>{nat(*r)} &nbsp; {s}</div>" for r, s in zip(r34, st34, strict=True)
    )
    html = f"""<div class=head>Elbland Tel GmbH · 01067 Dresden</div><div class=addr>Lausitz Net GmbH<br>02625 Bautzen</div>
<p><b>Rufnummernumzug Bäckerei Pietsch</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>zu den Rufnummern des Kunden teilen wir Folgendes mit:</p><div style="display:flex;flex-wrap:wrap;gap:4mm">{cells}</div>
<p>Mit freundlichen Grüßen</p>{INK}<br>Lena Pietsch"""
    add("34_flex_status", "two_column", html, [e(*r34[0]), e(*r34[3])], [e(*r34[1]), e(*r34[2])])

    # 35 status column before the number
    r35 = [N.single("421") for _ in range(4)]
    st35 = ["wird übergeben", "verbleibt", "wird übergeben", "verbleibt"]
    trs = "".join(
        f"<tr><td>{s}</td><td>{nat(*r)}</td></tr>" for r, s in zip(r35, st35, strict=True)
    )
    html = f"""<div class=head>Weser Voice GmbH · 28195 Bremen</div><div class=addr>Jade Net GmbH<br>26382 Wilhelmshaven</div>
<p><b>Rufnummernumzug Reisebüro Janssen</b></p><p>Sehr geehrte Damen und Herren,</p>
<table style="border-top:1pt solid #000;border-bottom:1pt solid #000"><tr><th>Status</th><th>Rufnummer</th></tr>{trs}</table>
<p>Mit freundlichen Grüßen</p>{INK}<br>Tjark Janssen"""
    add("35_status_first", "status_table", html, [e(*r35[0]), e(*r35[2])], [e(*r35[1]), e(*r35[3])])

    # 36 only after the minimum term: not handed over now
    t36 = N.single("69")
    u36 = N.single("69")
    html = f"""<div class=head>Nidda Net GmbH · 60311 Frankfurt</div><div class=addr>Wetterau Tel GmbH<br>61169 Friedberg</div>
<p><b>Rufnummernumzug Optik Krämer</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>die Rufnummer {nat(*t36)} übergeben wir zum 01.01.2027. Die Rufnummer {nat(*u36)} kann erst nach Ablauf der
Mindestvertragslaufzeit übergeben werden; hierzu melden wir uns gesondert.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Rita Krämer"""
    add("36_later_only", "condition", html, [e(*t36)], [], [], [e(*u36)])

    # 37 CSS check marks: only ticked rows carry a glyph
    r37 = [N.single("711") for _ in range(4)]
    tick = [True, False, True, False]
    trs = "".join(
        f"<tr><td>{nat(*r)}</td><td><span style='display:inline-block;width:4mm;height:4mm;border:0.8pt solid #000;"
        f"text-align:center;line-height:4mm'>{'✔' if k else ''}</span></td></tr>"
        for r, k in zip(r37, tick, strict=True)
    )
    html = f"""<div class=head>Filder Net GmbH · 70794 Filderstadt</div><div class=addr>Rems Tel GmbH<br>73614 Schorndorf</div>
<p><b>Rufnummernumzug Weingut Haag</b></p><p>Sehr geehrte Damen und Herren, angekreuzte Rufnummern werden übergeben:</p>
<table><tr><th>Rufnummer</th><th>Übergabe</th></tr>{trs}</table><p>Mit freundlichen Grüßen</p>{INK}<br>Eva Haag"""
    add("37_css_ticks", "checkbox_drawn", html, [e(*r37[0]), e(*r37[2])], [e(*r37[1]), e(*r37[3])])

    # 38 recipient's number inside the handover sentence
    t38 = [N.single("251") for _ in range(2)]
    rc38 = N.single("251")
    html = f"""<div class=head>Aasee Tel GmbH · 48149 Münster</div><div class=addr>Tecklenburger Net GmbH<br>49545 Tecklenburg</div>
<p><b>Rufnummernumzug Fahrschule Brink</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wie mit Ihrem Herrn Brink ({nat(*rc38)}) abgestimmt, werden die Rufnummern {nat(*t38[0])} und {nat(*t38[1])} übergeben.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Heike Brink"""
    add("38_recipient_in_sentence", "direct_line", html, [e(*n) for n in t38], [], [e(*rc38)])

    # 39 blanket handover with an exception list; nothing named as handed over
    x39 = [N.single("231") for _ in range(2)]
    html = f"""<div class=head>Emscher Net GmbH · 44137 Dortmund</div><div class=addr>Lippe Tel GmbH<br>59555 Lippstadt</div>
<p><b>Rufnummernumzug Möbelhaus Köster</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>sämtliche Rufnummern des Kunden werden übergeben, mit Ausnahme von {nat(*x39[0])} und {nat(*x39[1])}.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Jörg Köster"""
    add("39_blanket_exceptions", "blanket", html, [], [e(*n) for n in x39])

    # 40 keep-back shown by colour only (legend: red numbers stay)
    r40 = [N.single("761") for _ in range(4)]
    red = [False, True, False, True]
    items = "".join(
        f"<li style='color:{'#c00000' if k else '#111'}'>{nat(*r)}</li>"
        for r, k in zip(r40, red, strict=True)
    )
    html = f"""<div class=head>Kaiserstuhl Net GmbH · 79098 Freiburg</div><div class=addr>Markgräfler Tel GmbH<br>79379 Müllheim</div>
<p><b>Rufnummernumzug Weinstube Fritz</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>übergeben werden die nachstehenden Rufnummern; rot dargestellte Rufnummern verbleiben bei uns:</p><ul>{items}</ul>
<p>Mit freundlichen Grüßen</p>{INK}<br>Anton Fritz"""
    add("40_colour_only", "colour", html, [e(*r40[0]), e(*r40[2])], [e(*r40[1]), e(*r40[3])])

    # 41 two captioned tables: 'Zu übergebende' and 'Nicht zu übergebende Rufnummern'
    t41 = [N.single("561") for _ in range(2)]
    x41 = [N.single("561") for _ in range(2)]

    def tab(cap: str, ns: list[tuple[str, str]]) -> str:
        return (
            f"<table border=1 style='margin-bottom:6mm'><caption style='text-align:left;font-weight:bold'>{cap}</caption>"
            + "".join(f"<tr><td>0{n[0]}</td><td>{n[1]}</td></tr>" for n in ns)
            + "</table>"
        )

    html = f"""<div class=head>Fulda-Eder Net GmbH · 34117 Kassel</div><div class=addr>Rhön Tel GmbH<br>36043 Fulda</div>
<p><b>Rufnummernumzug Tierarztpraxis Weber</b></p><p>Sehr geehrte Damen und Herren,</p>
{tab("Zu übergebende Rufnummern", t41)}{tab("Nicht zu übergebende Rufnummern", x41)}
<p>Mit freundlichen Grüßen</p>{INK}<br>Karl Weber"""
    add("41_captioned_tables", "table_captions", html, [e(*n) for n in t41], [e(*n) for n in x41])

    # 42 'nicht mehr aktiv' among listed numbers
    t42 = [N.single("40") for _ in range(2)]
    x42 = N.single("40")
    html = f"""<div class=head>Wandsbek Tel GmbH · 22041 Hamburg</div><div class=addr>Sachsenwald Net GmbH<br>21465 Reinbek</div>
<p><b>Übernahme der Rufnummern – Schlosserei Thiel</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>wir bestätigen die Übernahme der Rufnummern {nat(*t42[0])} und {nat(*t42[1])} durch Ihr Haus. Die ebenfalls angefragte
{nat(*x42)} ist seit März nicht mehr aktiv und wurde bereits an den Nummernpool zurückgegeben.</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Bernd Thiel"""
    add("42_nicht_mehr_aktiv", "gekuendigt", html, [e(*n) for n in t42], [e(*x42)])

    # 43 status line under each number ('→ Übergabe' / '→ keine Übergabe')
    r43 = [N.single("911") for _ in range(3)]
    st43 = [
        "→ Übergabe zum 01.02.2027",
        "→ keine Übergabe (Hausnotruf)",
        "→ Übergabe zum 01.02.2027",
    ]
    items = "".join(
        f"<p style='margin:0 0 3mm 10mm'>{nat(*r)}<br><span class=small>{s}</span></p>"
        for r, s in zip(r43, st43, strict=True)
    )
    html = f"""<div class=head>Altmühl Net GmbH · 90402 Nürnberg</div><div class=addr>Fürth Tel GmbH<br>90762 Fürth</div>
<p><b>Rufnummernumzug Seniorenheim Lindenhof</b></p><p>Sehr geehrte Damen und Herren,</p>{items}
<p>Mit freundlichen Grüßen</p>{INK}<br>Ute Lang"""
    add("43_status_below", "status_lines", html, [e(*r43[0]), e(*r43[2])], [e(*r43[1])])

    # 46 the writer's own number with "Tel." in brackets inside the handover sentence
    t46 = [N.single("341") for _ in range(2)]
    own46 = N.single("341")
    html = f"""<div class=head>Auenwald Net GmbH · 04105 Leipzig</div><div class=addr>Mulde Tel GmbH<br>04720 Döbeln</div>
<p><b>Rufnummernumzug Goldschmiede Rau</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>unsere Frau Rau (Tel. {nat(*own46)}) bestätigt Ihnen hiermit die Übergabe der Rufnummern {nat(*t46[0])} und
{nat(*t46[1])}.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Sophie Rau"""
    add("46_writer_in_sentence", "direct_line", html, [e(*n) for n in t46], [], [e(*own46)])

    # 47 inline pairs in one paragraph: "A – ja | B – nein"
    r47 = [N.single("221") for _ in range(3)]
    html = f"""<div class=head>Deutz Voice GmbH · 50679 Köln</div><div class=addr>Bergisch Net GmbH<br>51465 Bergisch Gladbach</div>
<p><b>Rufnummernumzug Tanzschule Meyer</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>Übergabe je Rufnummer: {nat(*r47[0])} – ja | {nat(*r47[1])} – nein | {nat(*r47[2])} – ja</p>
<p>Mit freundlichen Grüßen</p>{INK}<br>Leo Meyer"""
    add("47_inline_pairs", "status_lines", html, [e(*r47[0]), e(*r47[2])], [e(*r47[1])])

    # 48 kept back by position ("die letztgenannte")
    t48 = [N.single("711") for _ in range(2)]
    x48 = N.single("711")
    html = f"""<div class=head>Neckar Carrier GmbH · 70173 Stuttgart</div><div class=addr>Enz Tel GmbH<br>75175 Pforzheim</div>
<p><b>Rufnummernumzug Schreinerei Maier</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>betroffen sind die Rufnummern {nat(*t48[0])}, {nat(*t48[1])} und {nat(*x48)}. Übergeben werden die beiden
erstgenannten; die letztgenannte verbleibt bei uns.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Ralf Maier"""
    add("48_letztgenannte", "polarity", html, [e(*n) for n in t48], [e(*x48)])

    # 49 the customer's reachable number inside the handover sentence
    t49 = [N.single("30") for _ in range(2)]
    u49 = N.single("30")
    html = f"""<div class=head>Tegel Tel GmbH · 13507 Berlin</div><div class=addr>Spandau Net GmbH<br>13597 Berlin</div>
<p><b>Rufnummernumzug Kfz-Werkstatt Demir</b></p><p>Sehr geehrte Damen und Herren,</p>
<p>unser Kunde, tagsüber erreichbar unter {nat(*u49)}, übergibt die Rufnummern {nat(*t49[0])} und {nat(*t49[1])}
an Ihr Haus.</p><p>Mit freundlichen Grüßen</p>{INK}<br>Murat Demir"""
    add("49_customer_reachable", "direct_line", html, [e(*n) for n in t49], [], [], [e(*u49)])

    # scans of a few of the above
    for src, name in [
        ("03_portierungsauftrag", "28_scan_portierungsauftrag"),
        ("10_far_negation", "29_scan_far_negation"),
        ("17_strikethrough", "30_scan_strikethrough"),
        ("15_two_column", "31_scan_two_column"),
        ("34_flex_status", "44_scan_flex_status"),
        ("40_colour_only", "45_scan_colour_only"),
    ]:
        base = next(d for d in out if d["name"] == src)
        out.append(dict(base, name=name, scan=src))
    return out


def print_pdf(html_docs: list[tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pg = browser.new_page()
        for name, html in html_docs:
            pg.set_content(html)
            pg.pdf(path=str(OUT / f"{name}.pdf"), format="A4", print_background=True)
        browser.close()


def scan(src: Path, dst: Path, rng: random.Random) -> None:
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(str(src))
    imgs = []
    for i in range(len(pdf)):
        dpi = rng.choice([150, 200])
        im = pdf[i].render(scale=dpi / 72).to_pil().convert("L")
        im = im.rotate(
            rng.uniform(-1.8, 1.8), expand=True, fillcolor=245, resample=Image.Resampling.BICUBIC
        )
        px = im.load()
        w, h = im.size
        for _ in range(w * h // 400):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice([0, 90, 255])
        im = im.filter(ImageFilter.GaussianBlur(0.6))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=rng.choice([35, 50]))
        imgs.append((Image.open(io.BytesIO(buf.getvalue())), dpi))
    imgs[0][0].save(
        dst, "PDF", resolution=imgs[0][1], save_all=True, append_images=[im for im, _ in imgs[1:]]
    )


def main() -> None:
    import argparse

    global OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT, help="output directory")
    OUT = ap.parse_args().out
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    docs = letters(rng)
    scan_rng = random.Random(SEED + 1)  # scans do not shift when letters are added
    print_pdf([(d["name"], d["html"]) for d in docs if not d["scan"]])
    truth = {}
    for d in docs:
        if d["scan"]:
            scan(OUT / f"{d['scan']}.pdf", OUT / f"{d['name']}.pdf", scan_rng)
        for n in d["transfer"] + d["excluded"] + d["contact"] + d["unclear"] + d["requested"]:
            assert phonenumbers.is_valid_number(phonenumbers.parse(n)), (d["name"], n)
        roles = [set(d[k]) for k in ("transfer", "excluded", "contact", "unclear")]
        assert sum(len(r) for r in roles) == len(set().union(*roles)), d["name"]
        truth[d["name"]] = {
            "family": d["family"],
            "producer": "chromium-scan" if d["scan"] else "chromium",
            "scanned": bool(d["scan"]),
            "signed": d["signed"],
            "pages": 1,
            "request_mode": "plus_keepback",
            "requested": d["requested"],
            "transfer": d["transfer"],
            "excluded": d["excluded"],
            "contact": d["contact"],
            "unclear": d["unclear"],
            "approve": sorted(set(d["requested"]) & set(d["transfer"])),
        }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(truth)} letters written to {OUT}")


if __name__ == "__main__":
    main()
