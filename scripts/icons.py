"""Draw the add-ons' icons (static/description/icon.png, 128x128) with Pillow.

The core: a blue rounded square with "€!" in white. Each bridge: the core's
icon with a round badge at the bottom right (a bag for Sales, a speech
bubble for SMS, a card for online payment, stacked jobs for the job queue).
Run from the project root: ``python3 scripts/icons.py`` (needs Pillow; not a
dependency of the add-ons).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 128
SCALE = 4  # drawn 4 times larger, then reduced: smooth edges
S = SIZE * SCALE
BLUE = (31, 78, 121, 255)
WHITE = (255, 255, 255, 255)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
ROOT = Path(__file__).resolve().parent.parent


def _core():
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, S - 1, S - 1), radius=26 * SCALE, fill=BLUE)
    font = ImageFont.truetype(FONT, 62 * SCALE)
    draw.text((S // 2, S // 2), "€!", font=font, fill=WHITE, anchor="mm")
    return img


def _badge(img, colour, glyph):
    draw = ImageDraw.Draw(img)
    r = 25 * SCALE
    cx = cy = S - r - 2 * SCALE
    draw.ellipse(
        (cx - r - 4 * SCALE, cy - r - 4 * SCALE, cx + r + 4 * SCALE, cy + r + 4 * SCALE), fill=WHITE
    )
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    glyph(draw, cx, cy, 1 * SCALE)
    return img


def _bag(draw, cx, cy, u):
    draw.rounded_rectangle(
        (cx - 12 * u, cy - 6 * u, cx + 12 * u, cy + 14 * u), radius=3 * u, fill=WHITE
    )
    draw.arc((cx - 7 * u, cy - 16 * u, cx + 7 * u, cy + 2 * u), 180, 360, fill=WHITE, width=3 * u)


def _bubble(draw, cx, cy, u):
    draw.rounded_rectangle(
        (cx - 15 * u, cy - 12 * u, cx + 15 * u, cy + 8 * u), radius=6 * u, fill=WHITE
    )
    draw.polygon(
        [(cx - 8 * u, cy + 6 * u), (cx - 11 * u, cy + 15 * u), (cx + 1 * u, cy + 6 * u)], fill=WHITE
    )
    for dx in (-8, 0, 8):
        x = cx + dx * u
        draw.ellipse(
            (x - 2.5 * u, cy - 4.5 * u, x + 2.5 * u, cy + 0.5 * u), fill=(46, 125, 50, 255)
        )


def _card(draw, cx, cy, u):
    draw.rounded_rectangle(
        (cx - 16 * u, cy - 11 * u, cx + 16 * u, cy + 11 * u), radius=3 * u, fill=WHITE
    )
    draw.rectangle((cx - 16 * u, cy - 6 * u, cx + 16 * u, cy - 1 * u), fill=(106, 27, 154, 255))
    draw.rectangle((cx - 12 * u, cy + 4 * u, cx - 2 * u, cy + 7 * u), fill=(106, 27, 154, 255))


def _queue(draw, cx, cy, u):
    for dy in (-10, 0, 10):
        draw.rounded_rectangle(
            (cx - 14 * u, cy + (dy - 3.5) * u, cx + 14 * u, cy + (dy + 3.5) * u),
            radius=2 * u,
            fill=WHITE,
        )


ICONS = {
    "account_dunning_fr": None,
    "account_dunning_fr_sale": ((230, 120, 0, 255), _bag),
    "account_dunning_fr_sms": ((46, 125, 50, 255), _bubble),
    "account_dunning_fr_payment": ((106, 27, 154, 255), _card),
    "account_dunning_fr_queue": ((0, 121, 107, 255), _queue),
}


def main():
    for addon, badge in ICONS.items():
        img = _core()
        if badge:
            img = _badge(img, *badge)
        path = ROOT / addon / "static" / "description" / "icon.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        img.resize((SIZE, SIZE), Image.LANCZOS).save(path, optimize=True)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
