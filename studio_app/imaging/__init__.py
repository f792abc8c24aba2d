"""Auto-correction and spec-exact export (Qt-free).

- :mod:`.crop` — solve scale/offset (after straightening roll) that put the head inside a spec's
  geometry ranges, and warp the photo there.
- :mod:`.matte` — person matte refined with the plain backdrop's colour (or a guided filter on
  busy backdrops), colour decontamination and compositing onto the spec colour.
- :mod:`.lighting` — white balance, exposure, left/right shadow softening, glare, as gain fields.
- :mod:`.encode` — JPEG with JFIF density, sRGB, quality/subsampling searched into the KB band.
- :mod:`.pipeline` — ``process_photo(rgb, spec, options, analysis) -> ProcessResult``;
  ``verify_output(jpeg, spec, ...)`` re-checks any exported bytes (size, DPI, KB band,
  background, compliance checks, re-measured geometry).
- :mod:`.sheets` — print layout sheets (JPEG + PDF at exact physical size).
- :mod:`.export` — ``write_outputs(result, out_dir, ...)`` atomically.
"""
