"""Two costs of WeasyPrint's font embedding, removed without changing a byte of the PDF.

Measured on the checklists of the mixed population (WeasyPrint 70, HarfBuzz 6): a checklist draws
text in two faces (Noto Sans CJK SC Regular and Bold) at about ten sizes.

- **The whole font file, copied per size.** WeasyPrint makes a `Font` per face *and size* in each
  document, and each one copies its face's whole file out of HarfBuzz (`get_hb_object_data`):
  ~15 copies of a 20 MB collection per checklist, used afterwards only where a font is embedded
  whole or is a variable/colour font (never for this one). The copy of a face Pango handed out is
  made once per process here and shared (bytes are immutable; the face is kept referenced, so its
  address cannot be reused by another face while it is a key).
- **Two subsetting passes.** `Font._harfbuzz_subset` subsets the 65,535-glyph face keeping glyph IDs
  (the PDF's content streams use them), then subsets the result again keeping glyphs
  0..max(used) to drop the empty glyphs after the last one used. HarfBuzz 6 already ends a
  GID-keeping subset at the last glyph used, so the second pass returns the same bytes: one pass
  does it, and the second runs only where the first left more glyphs than that (another HarfBuzz),
  exactly as WeasyPrint would.

Both are installed only on the WeasyPrint versions they were checked against (`TESTED`); elsewhere
WeasyPrint runs unchanged. tests/test_pdf.py renders with and without them and compares the bytes.
"""

from __future__ import annotations

from typing import Any

import weasyprint
from weasyprint.pdf import fonts as wp_fonts
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

TESTED = ("70.0",)
# WeasyPrint 70's list (pdf/fonts.py): tables a PDF font does not need.
_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")

_stock_face_data = wp_fonts.get_hb_object_data
_stock_pango_face = wp_fonts.get_pango_font_hb_face
_stock_subset = wp_fonts.Font._harfbuzz_subset

# Faces Pango handed out (by address, each kept referenced) → their file's bytes, copied once.
_pango_faces: dict[int, Any] = {}
_face_bytes: dict[int, bytes | None] = {}


def _pango_face(pango_font: Any) -> Any:
    face = _stock_pango_face(pango_font)
    key = int(ffi.cast("uintptr_t", face))
    if key not in _pango_faces:
        # A reference of our own: the face outlives its Pango font, so no other face can take its
        # address while the address is a key of _face_bytes.
        _pango_faces[key] = harfbuzz.hb_face_reference(face)
    return face


def _face_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> bytes | None:
    key = int(ffi.cast("uintptr_t", hb_object))
    if ot_color is not None or key not in _pango_faces:
        return _stock_face_data(hb_object, ot_color, glyph)
    if key not in _face_bytes:
        _face_bytes[key] = _stock_face_data(hb_object)
    return _face_bytes[key]


def _subset_input(gids: list[int], flags: int) -> Any:
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    gid_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    gid_array = ffi.new(f"hb_codepoint_t[{len(gids)}]", gids)
    harfbuzz.hb_set_add_sorted_array(gid_set, gid_array, len(gids))
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop_set = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    drop = [harfbuzz.hb_tag_from_string(name, -1) for name in _DROP_TABLES]
    drop_array = ffi.new(f"hb_codepoint_t[{len(drop)}]", drop)
    harfbuzz.hb_set_add_sorted_array(drop_set, drop_array, len(drop))
    return subset_input


def _one_pass_subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's second pass's flags (hinting dropped unless asked) on the first pass's GID-keeping
    subset; the second pass only where the first one kept glyphs after the last used."""
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if self.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(self.hb_face, _subset_input(sorted(to_unicode), flags)),
                  harfbuzz.hb_face_destroy)
    if not face or harfbuzz.hb_face_get_glyph_count(face) != max(to_unicode) + 1:
        _stock_subset(self, to_unicode, hinting)
        return
    content = _stock_face_data(face)
    if not content:
        _stock_subset(self, to_unicode, hinting)
        return
    self.file_content = content


def applicable() -> bool:
    """The WeasyPrint this was checked against, with HarfBuzz subsetting as WeasyPrint uses it."""
    return (weasyprint.__version__ in TESTED and bool(harfbuzz_subset)
            and bool(harfbuzz.hb_version_atleast(4, 1, 0)))


def install() -> bool:
    """Put both in place (idempotent); False where WeasyPrint is left as it is."""
    if not applicable():
        return False
    wp_fonts.get_pango_font_hb_face = _pango_face
    wp_fonts.get_hb_object_data = _face_data
    wp_fonts.Font._harfbuzz_subset = _one_pass_subset
    return True


def uninstall() -> None:
    """WeasyPrint's own code again (tests compare the bytes of both)."""
    wp_fonts.get_pango_font_hb_face = _stock_pango_face
    wp_fonts.get_hb_object_data = _stock_face_data
    wp_fonts.Font._harfbuzz_subset = _stock_subset
