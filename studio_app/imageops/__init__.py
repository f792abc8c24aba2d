"""Small image operations on numpy arrays, with NumPy and Pillow only (Qt-free, no OpenCV).

Why not OpenCV: the app needs a handful of resizes, blurs, derivatives, colour conversions and
warps; OpenCV's wheel brings ~300 MB of native libraries (FFmpeg, OpenBLAS, its own Qt5/X11)
into the frozen bundle for them. These functions keep OpenCV's conventions (pixel centres at
integer coordinates, reflect-101 borders for filters, cv2's colour formulas) so measured values
stay comparable; tests compare them with cv2 where it is installed.

Images are (H, W) or (H, W, C) arrays; uint8 stays uint8, floats come back as float32.

One module per job: ``resize``, ``filters``, ``morphology``, ``colour``, ``geometry``, ``drawing``,
``pixels``; callers use the names from this package (``from studio_app import imageops as iops``).
"""

from __future__ import annotations

from .resize import resize, scale  # noqa: F401
from .filters import gaussian_kernel, gaussian_blur, box_blur, sobel, laplacian  # noqa: F401
from .morphology import ellipse_kernel, erode, dilate, rect_kernel  # noqa: F401
from .colour import rgb_to_grey, rgb_to_lab, lab_to_u8, rgb_to_hsv  # noqa: F401
from .geometry import rotation_matrix, invert_affine, warp_affine, remap_linear  # noqa: F401
from .drawing import fill_polygon, fill_ellipse, convex_hull  # noqa: F401
from .pixels import add_saturate, subtract_saturate  # noqa: F401
