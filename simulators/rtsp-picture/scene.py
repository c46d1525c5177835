# The wide "room" the simulated camera looks at: drawn once, cached as a PNG, then frozen in the
# pipeline (imagefreeze), so a bigger scene costs memory, not CPU per frame.
# Every area looks different (hue left to right, brightness top to bottom, labelled grid cells),
# so pan, tilt and zoom are plain to see and to measure.
import colorsys
import os
import subprocess

COLS = 'ABCDEFGHIJKLMNOP'
VERSION = 2  # bump when the drawing changes, so cached files are redrawn


def scene_path(width, height):
    return os.path.join('/tmp', f'rtsp-picture-scene-v{VERSION}-{width}x{height}.png')


def ensure_scene(width, height):
    path = scene_path(width, height)
    if os.path.exists(path):
        return path
    tmp = f'{path}.{os.getpid()}.tmp'
    try:
        _draw_cairo(width, height, tmp)
    except ImportError:
        # No pycairo: a plain test card still shows where the camera points.
        subprocess.run(['gst-launch-1.0', '-q', 'videotestsrc', 'pattern=smpte', 'num-buffers=1', '!',
                        f'video/x-raw,width={width},height={height}', '!', 'videoconvert', '!',
                        'pngenc', '!', 'filesink', f'location={tmp}'], check=True)
    os.replace(tmp, path)  # atomic, so concurrent servers never read half a file
    return path


def _draw_cairo(width, height, out):
    import cairo
    s = cairo.ImageSurface(cairo.FORMAT_RGB24, width, height)
    c = cairo.Context(s)
    cell = height // 6
    cols, rows = -(-width // cell), 6
    for i in range(cols):
        for j in range(rows):
            r, g, b = colorsys.hsv_to_rgb(i / cols, 0.75, 1.0 - 0.12 * j)
            c.set_source_rgb(r, g, b)
            c.rectangle(i * cell, j * cell, cell, cell)
            c.fill()
            # A diagonal per cell: zooming in shows edges growing, not just a flat colour.
            c.set_source_rgb(0.1, 0.1, 0.1)
            c.set_line_width(max(2, cell // 60))
            c.move_to(i * cell, j * cell + (cell if (i + j) % 2 else 0))
            c.line_to((i + 1) * cell, j * cell + (0 if (i + j) % 2 else cell))
            c.stroke()
            c.rectangle(i * cell, j * cell, cell, cell)
            c.stroke()
            label = f'{COLS[i % len(COLS)]}{j + 1}'
            c.select_font_face('Sans', cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_BOLD)
            c.set_font_size(cell * 0.3)
            ext = c.text_extents(label)
            c.move_to(i * cell + (cell - ext.width) / 2 - ext.x_bearing, j * cell + (cell - ext.height) / 2 - ext.y_bearing)
            c.set_source_rgb(1, 1, 1)
            c.text_path(label)
            c.fill_preserve()
            c.set_source_rgb(0, 0, 0)
            c.set_line_width(max(1, cell // 120))
            c.stroke()
    s.write_to_png(out)
