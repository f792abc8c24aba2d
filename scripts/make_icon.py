"""Draw the application icon (a head-and-shoulders silhouette in a photo frame).

    .venv/bin/python scripts/make_icon.py
        -> resources/icons/studio_app.ico (Windows executables, installer)
           resources/icons/studio_app.png and app.png (window icon: studio_app.ui.app loads app.png)
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 1024) -> Image.Image:
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    s = size / 256
    d.rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=44 * s, fill=(29, 99, 196, 255))
    # white "photo" card with a pale backdrop
    d.rounded_rectangle([52 * s, 30 * s, 204 * s, 226 * s], radius=14 * s, fill=(255, 255, 255, 255))
    d.rectangle([64 * s, 42 * s, 192 * s, 214 * s], fill=(222, 236, 252, 255))
    # shoulders and head
    d.pieslice([70 * s, 150 * s, 186 * s, 270 * s], 180, 360, fill=(29, 99, 196, 255))
    d.rectangle([64 * s, 209 * s, 192 * s, 214 * s], fill=(29, 99, 196, 255))
    d.ellipse([100 * s, 70 * s, 156 * s, 140 * s], fill=(29, 99, 196, 255))
    # guide marks (the crown and chin lines of the on-screen guide)
    for y in (62, 150):
        d.line([74 * s, y * s, 92 * s, y * s], fill=(233, 84, 32, 255), width=int(5 * s))
        d.line([164 * s, y * s, 182 * s, y * s], fill=(233, 84, 32, 255), width=int(5 * s))
    return im


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    icon = big.resize((256, 256), Image.LANCZOS)
    icon.save(OUT / "studio_app.ico", sizes=SIZES)
    icon.save(OUT / "studio_app.png")
    icon.save(OUT / "app.png")
    print(OUT / "studio_app.ico")


if __name__ == "__main__":
    main()
