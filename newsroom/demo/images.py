"""Pictures for the demo content, drawn with Pillow so that no file has to be shipped."""

import io
import random

from PIL import Image, ImageDraw

PALETTES = [
    ((31, 58, 96), (93, 142, 196)),
    ((34, 94, 64), (140, 196, 120)),
    ((120, 52, 32), (232, 168, 96)),
    ((70, 40, 110), (170, 140, 220)),
    ((20, 90, 110), (120, 200, 210)),
]


def landscape_jpeg(seed, size=(1200, 800)):
    """A simple landscape: sky gradient, sun, hills; different for every seed."""
    rnd = random.Random(seed)
    dark, light = PALETTES[seed % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + dark[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    sun_x, sun_y, radius = rnd.randint(150, width - 150), rnd.randint(80, 260), rnd.randint(40, 90)
    draw.ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(250, 230, 160)
    )
    for layer in range(3):
        base = int(height * (0.55 + 0.13 * layer))
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base + rnd.randint(-60, 60)))
        points.append((width, height))
        shade = tuple(max(0, c - 30 * (layer + 1)) for c in dark)
        draw.polygon(points, fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
