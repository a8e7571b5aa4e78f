#!/usr/bin/env python3
"""Builds the two web fonts the site serves, and the @font-face rules that load them.

    python3 static/fonts/subset.py            rebuild both fonts and the stylesheet's block
    python3 static/fonts/subset.py --check    rebuild in memory, fail if anything differs

Needs fontTools, brotli and uharfbuzz (pip install fonttools brotli uharfbuzz).

Starts from the original fonts, never from its own output:

* static/fonts/source/NotoNaskhArabic-{Regular,Bold}.woff2: Noto Naskh Arabic 2.004, the
  files of Debian's fonts-noto-core 20201225-1 converted to WOFF2 as they are. Not served.
* NotoSans-{Regular,Bold}.ttf and NotoSansArabic-{Regular,Bold}.ttf from the same Debian
  package, and DejaVuSans{,-Bold}.ttf from fonts-dejavu-core: taken from
  /usr/share/fonts/truetype when installed, else from the package fetched with
  `apt-get download` (nothing is installed) into ~/.cache/sahifa-fonts. Set FONTS_DIR to
  a folder holding these files to use that instead.

What it makes:

1. static/fonts/NotoNaskhArabic-{Regular,Bold}.woff2: the Naskh fonts cut down (fontTools'
   subsetter) to what Arabic news uses: the Arabic letters, with the five that Arabic
   writes foreign names with (پ چ ژ ڤ گ); harakat, superscript alef and the hamza marks;
   Arabic punctuation and digits; ASCII digits, punctuation and symbols; « » and the usual
   typographic marks. Every glyph that the Arabic shaping features reach (init, medi, fina,
   isol, rlig, liga, ccmp, calt, mark, mkmk, ... : all layout features are kept) stays, and
   the presentation-form code points that map to those glyphs too. Hinting is dropped
   (ttfautohint's instructions are a third of the file, and only Windows applies them).
2. The glyphs the Naskh font lacks, added before subsetting: ASCII punctuation and symbols
   (" ' ( ) [ ] ? ; / + % ... ) and · ‘ ’ “ ” ° from Noto Sans, whose digits the Naskh font
   already shares glyph for glyph; the hyphen-minus is the Naskh font's own hyphen (U+2010);
   – and — are Noto Sans's dashes lowered to that hyphen's height, as the Naskh font lowers
   its hyphen; … is three Naskh full stops; − (Noto Sans 2.004 has none) is one bar of Noto
   Sans's = centred on its +, where Noto Sans Math draws its minus. Noto Sans is under the
   SIL Open Font License 1.1 with no reserved name, as the Naskh font is (OFL.txt here).
3. The block of static/style.css between the "fonts:" markers: the two @font-face rules
   with URLs versioned by the files' SHA-256 (the scheme of src/views/assets.rs, so that the
   page's preload and the stylesheet ask for the same URL), and the fallback faces: local
   fonts with size-adjust and ascent/descent/line-gap overrides measured here (HarfBuzz
   shaping the demo articles' Arabic text), so that the text does not move when the web
   font replaces the fallback.
"""

import argparse
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen, replayRecording
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STYLESHEET = ROOT / "static" / "style.css"
DEMO_TEXT = ROOT / "src" / "app" / "demo" / "content.rs"
WEIGHTS = {"Regular": 400, "Bold": 700}
FAMILY = "Noto Naskh Arabic"

# Donor and fallback fonts: file → (Debian package, folder under /usr/share/fonts/truetype).
SYSTEM_FONTS = {
    "NotoSans-Regular.ttf": ("fonts-noto-core", "noto"),
    "NotoSans-Bold.ttf": ("fonts-noto-core", "noto"),
    "NotoSansArabic-Regular.ttf": ("fonts-noto-core", "noto"),
    "NotoSansArabic-Bold.ttf": ("fonts-noto-core", "noto"),
    "DejaVuSans.ttf": ("fonts-dejavu-core", "dejavu"),
    "DejaVuSans-Bold.ttf": ("fonts-dejavu-core", "dejavu"),
}


def code_points():
    """What Arabic news is written with."""
    cps = set()
    cps |= set(range(0x0621, 0x063B))  # hamza … ghain
    cps |= set(range(0x0640, 0x0656))  # tatweel, fa … yeh, harakat, maddah and hamza marks
    cps |= {0x0670}  # superscript alef
    cps |= {0x067E, 0x0686, 0x0698, 0x06A4, 0x06AF}  # پ چ ژ ڤ گ (foreign names)
    cps |= set(range(0x0660, 0x066D))  # Arabic-Indic digits, ٪ ٫ ٬
    cps |= {0x060C, 0x061B, 0x061F}  # ، ؛ ؟
    cps |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F}  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    cps |= {0x2010, 0x2011, 0x25CC}  # hyphen, non-breaking hyphen, dotted circle
    latin_letters = set(range(0x41, 0x5B)) | set(range(0x61, 0x7B))
    cps |= set(range(0x20, 0x7F)) - latin_letters  # ASCII digits, punctuation, symbols
    cps |= {0x00A0, 0x00AB, 0x00BB, 0x00B7, 0x00B0}  # nbsp « » · °
    cps |= {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2212}  # – — ‘ ’ “ ” … −
    return cps


# ------------------------------------------------------------------------------------
# Source files


def system_font(name, cache):
    """A donor or fallback font file from its Debian package (see the module docstring)."""
    if os.environ.get("FONTS_DIR"):
        path = Path(os.environ["FONTS_DIR"]) / name
        if not path.exists():
            sys.exit(f"{path} not found (FONTS_DIR)")
        return path
    package, folder = SYSTEM_FONTS[name]
    for base in (Path("/usr/share/fonts/truetype") / folder, cache / package / folder):
        if (base / name).exists():
            return base / name
    target = cache / package
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # apt-get downloads as its own user
        print(f"fetching {package} (apt-get download)", file=sys.stderr)
        subprocess.run(["apt-get", "download", package], cwd=tmp, check=True)
        deb = next(Path(tmp).glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(Path(tmp) / "x")], check=True)
        found = Path(tmp) / "x" / "usr/share/fonts/truetype" / folder
        (target / folder).mkdir(parents=True, exist_ok=True)
        for f in found.glob("*.ttf"):
            if f.name in SYSTEM_FONTS:
                (target / folder / f.name).write_bytes(f.read_bytes())
    return target / folder / name


# ------------------------------------------------------------------------------------
# Adding glyphs


def contours(glyph_set, name):
    """The glyph's outline (components resolved), one recording per contour."""
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    out, current = [], []
    for op in pen.value:
        current.append(op)
        if op[0] in ("closePath", "endPath"):
            out.append(current)
            current = []
    return out


def bounds(recordings):
    pen = BoundsPen(None)
    for contour in recordings:
        replayRecording(contour, pen)
    return pen.bounds


def outline(recordings, dx=0, dy=0):
    """A TrueType glyph of these contours, moved by (dx, dy)."""
    pen = TTGlyphPen(None)
    moved = TransformPen(pen, (1, 0, 0, 1, dx, dy))
    for contour in recordings:
        replayRecording(contour, moved)
    return pen.glyph()


class Adder:
    """Puts new glyphs into the Naskh font: outline, advance, cmap, GDEF class."""

    def __init__(self, font):
        self.font = font
        self.glyf = font["glyf"]
        self.cmap_tables = [t for t in font["cmap"].tables if t.isUnicode()]
        self.added = []

    def has(self, cp):
        return any(cp in t.cmap for t in self.cmap_tables)

    def map(self, cp, name):
        for table in self.cmap_tables:
            if cp <= 0xFFFF or table.format in (12, 13):
                table.cmap[cp] = name
        self.added.append(cp)

    def glyph(self, cp, glyph, advance):
        name = f"uni{cp:04X}"
        assert name not in self.glyf.glyphs, name
        glyph.recalcBounds(self.glyf)
        self.font.setGlyphOrder(self.font.getGlyphOrder() + [name])
        self.glyf.glyphOrder = self.font.getGlyphOrder()
        self.glyf[name] = glyph
        self.font["hmtx"][name] = (advance, getattr(glyph, "xMin", 0))
        class_def = self.font["GDEF"].table.GlyphClassDef
        if class_def is not None:
            class_def.classDefs[name] = 1  # base glyph
        self.map(cp, name)


def add_missing_glyphs(naskh, sans):
    """Adds to `naskh` (a TTFont) what it lacks; returns the code points added."""
    add = Adder(naskh)
    naskh_glyphs = naskh.getGlyphSet()
    sans_glyphs = sans.getGlyphSet()
    sans_cmap = sans.getBestCmap()
    naskh_cmap = naskh.getBestCmap()

    # The hyphen-minus: the Naskh font's own hyphen.
    add.map(0x2D, naskh_cmap[0x2010])

    # – and —: Noto Sans's, lowered as the Naskh font lowers its hyphen.
    drop = bounds(contours(sans_glyphs, sans_cmap[0x2D]))[1] - bounds(
        contours(naskh_glyphs, naskh_cmap[0x2010])
    )[1]
    for cp in (0x2013, 0x2014):
        name = sans_cmap[cp]
        add.glyph(cp, outline(contours(sans_glyphs, name), dy=-drop), sans["hmtx"][name][0])

    # …: three Naskh full stops.
    stop = naskh_cmap[0x2E]
    stop_advance = naskh["hmtx"][stop][0]
    pen = TTGlyphPen(naskh_glyphs)
    for i in range(3):
        pen.addComponent(stop, (1, 0, 0, 1, i * stop_advance, 0))
    add.glyph(0x2026, pen.glyph(), 3 * stop_advance)

    # −: the lower bar of =, centred where + is.
    equal_bars = sorted(contours(sans_glyphs, sans_cmap[0x3D]), key=lambda c: bounds([c])[1])
    bar = equal_bars[0]
    _, bar_bottom, _, bar_top = bounds([bar])
    _, plus_bottom, _, plus_top = bounds(contours(sans_glyphs, sans_cmap[0x2B]))
    dy = round((plus_bottom + plus_top) / 2 - (bar_bottom + bar_top) / 2)
    add.glyph(0x2212, outline([bar], dy=dy), sans["hmtx"][sans_cmap[0x2B]][0])

    # Everything else the Naskh font lacks: Noto Sans's glyph as it is.
    for cp in sorted(code_points()):
        if add.has(cp) or cp not in sans_cmap:
            continue
        name = sans_cmap[cp]
        add.glyph(cp, outline(contours(sans_glyphs, name)), sans["hmtx"][name][0])

    missing = sorted(cp for cp in code_points() if not add.has(cp))
    assert not missing, [hex(cp) for cp in missing]
    return add.added


# ------------------------------------------------------------------------------------
# Subsetting


def subset_font(font, unicodes):
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def build(source, sans):
    """The served font: a TTFont, and the code points added."""
    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    font.flavor = None
    added = add_missing_glyphs(font, TTFont(sans))
    wanted = code_points()

    # The presentation forms whose glyphs shaping reaches anyway cost only their cmap entry:
    # keep them for text that was stored already shaped (copied from old PDFs). Not the
    # "Arabic symbols" (U+FBB2-FBC1, dots and rings): as input they let ccmp compose dozens
    # of letters that Arabic does not use.
    probe = TTFont(io.BytesIO(save(font, flavor=None)), recalcTimestamp=False)
    subset_font(probe, wanted)
    reached = set(probe.getGlyphOrder())
    for cp, name in font.getBestCmap().items():
        presentation_form = 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF
        if presentation_form and not 0xFBB2 <= cp <= 0xFBC1 and name in reached:
            wanted.add(cp)

    subset_font(font, wanted)
    return font, added


def save(font, flavor):
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


# ------------------------------------------------------------------------------------
# Fallback metrics


def demo_paragraphs():
    """The demo articles' titles, summaries and paragraphs: real-length Arabic news text."""
    text = DEMO_TEXT.read_text(encoding="utf-8")
    found = re.findall(r'r#"(.*?)"#', text, re.S)
    # Latin letters are in neither font's share of the work: drop the few there are.
    return [re.sub("[A-Za-z]", "", s) for s in found if re.search("[\u0621-\u064a]", s)]


def text_width(font_bytes, paragraphs):
    """Total advance of the paragraphs shaped by HarfBuzz, in em."""
    import uharfbuzz as hb

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    face = hb.Face(save(font, flavor=None))  # HarfBuzz reads no WOFF2
    font = hb.Font(face)
    upem = face.upem
    total = 0
    for p in paragraphs:
        buf = hb.Buffer()
        buf.add_str(p)
        buf.guess_segment_properties()
        hb.shape(font, buf, {})
        total += sum(pos.x_advance for pos in buf.glyph_positions)
    return total / upem


def vertical_metrics(font):
    """(ascent, descent, line gap) in em, as browsers read them."""
    os2, hhea = font["OS/2"], font["hhea"]
    upem = font["head"].unitsPerEm
    if os2.fsSelection & (1 << 7):  # USE_TYPO_METRICS
        a, d, g = os2.sTypoAscender, -os2.sTypoDescender, os2.sTypoLineGap
    else:
        a, d, g = hhea.ascent, -hhea.descent, hhea.lineGap
    return a / upem, d / upem, g / upem


def percent(x):
    return f"{100 * x:.2f}%"


# Local fonts a reader may have, tried in this order while the web font loads. Each gets its
# own face, so that its overrides are its own: (face family, files by weight, local names by
# weight). Noto Naskh Arabic itself (Android's Arabic font) needs no adjusting.
FALLBACKS = [
    (
        "Noto Naskh Arabic Local",
        None,
        {
            400: ["Noto Naskh Arabic Regular", "NotoNaskhArabic-Regular"],
            700: ["Noto Naskh Arabic Bold", "NotoNaskhArabic-Bold"],
        },
    ),
    (
        "Noto Sans Arabic Adjusted",
        {400: "NotoSansArabic-Regular.ttf", 700: "NotoSansArabic-Bold.ttf"},
        {
            400: ["Noto Sans Arabic Regular", "NotoSansArabic-Regular"],
            700: ["Noto Sans Arabic Bold", "NotoSansArabic-Bold"],
        },
    ),
    (
        "DejaVu Sans Adjusted",
        {400: "DejaVuSans.ttf", 700: "DejaVuSans-Bold.ttf"},
        {
            400: ["DejaVu Sans", "DejaVuSans"],
            700: ["DejaVu Sans Bold", "DejaVuSans-Bold"],
        },
    ),
]


def font_face_css(served, cache):
    """The stylesheet's font block. `served`: weight → (file name, bytes)."""
    paragraphs = demo_paragraphs()
    lines = []
    for weight, (name, data) in served.items():
        version = hashlib.sha256(data).hexdigest()[:8]
        lines += [
            "@font-face {",
            f'  font-family: "{FAMILY}";',
            f'  src: url("/static/fonts/{name}?v={version}") format("woff2");',
            f"  font-weight: {weight};",
            "  font-display: swap;",
            "}",
        ]
    for family, files, names in FALLBACKS:
        for weight, (_, data) in served.items():
            local = ", ".join(f'local("{n}")' for n in names[weight])
            lines += ["@font-face {", f'  font-family: "{family}";', f"  src: {local};"]
            lines.append(f"  font-weight: {weight};")
            if files is not None:
                target = TTFont(io.BytesIO(data))
                path = system_font(files[weight], cache)
                fallback = path.read_bytes()
                # Same width for the same text, then the web font's line metrics, given
                # in the fallback's scaled em (overrides are scaled by size-adjust too).
                size = text_width(data, paragraphs) / text_width(fallback, paragraphs)
                ascent, descent, gap = vertical_metrics(target)
                lines += [
                    f"  size-adjust: {percent(size)};",
                    f"  ascent-override: {percent(ascent / size)};",
                    f"  descent-override: {percent(descent / size)};",
                    f"  line-gap-override: {percent(gap / size)};",
                ]
            lines.append("}")
    return "\n".join(lines) + "\n"


BLOCK = re.compile(
    r"(/\* fonts: made by static/fonts/subset\.py[^\n]*\*/\n)(.*?)(/\* end of fonts \*/)", re.S
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a rebuild differs")
    args = parser.parse_args()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sahifa-fonts"

    served, changed = {}, []
    for style, weight in WEIGHTS.items():
        name = f"NotoNaskhArabic-{style}.woff2"
        source = HERE / "source" / name
        font, added = build(source, system_font(f"NotoSans-{style}.ttf", cache))
        data = save(font, flavor="woff2")
        served[weight] = (name, data)
        out = HERE / name
        if not out.exists() or out.read_bytes() != data:
            changed.append(out)
            if not args.check:
                out.write_bytes(data)
        print(
            f"{name}: {source.stat().st_size / 1024:.1f} KB → {len(data) / 1024:.1f} KB, "
            f"{len(font.getGlyphOrder())} glyphs, {len(font.getBestCmap())} code points; "
            f"added {''.join(chr(cp) for cp in added)}",
            file=sys.stderr,
        )

    css = STYLESHEET.read_text(encoding="utf-8")
    block = BLOCK.search(css)
    if block is None:
        sys.exit(f"{STYLESHEET}: no /* fonts: made by static/fonts/subset.py */ block")
    new_css = css[: block.start(2)] + font_face_css(served, cache) + css[block.end(2) :]
    if new_css != css:
        changed.append(STYLESHEET)
        if not args.check:
            STYLESHEET.write_text(new_css, encoding="utf-8")

    if args.check and changed:
        sys.exit("out of date: " + ", ".join(str(p.relative_to(ROOT)) for p in changed))
    for path in changed:
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
