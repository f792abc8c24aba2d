"""The kiosk's face guide: where the head must be for the chosen document, in camera-frame px.

The kiosk draws the same head as the operator overlay — the head model's target head
(:func:`studio_app.headmodel.head_target`) in the spec's photo frame centred in the camera
picture — as one large *head* oval for people who get no help: its top is the spec's crown
target, its bottom the chin target and its width the face-width target. Whoever fills the oval,
in the frame the spec's crop would cut from the picture, has the spec's head height (or face
width), crown margin and eye line. Only the frame's size differs: larger here, with room to sit a
little high or low before the crop would leave the picture.
"""

from __future__ import annotations

from ...headmodel import GuideShapes, guide_shapes

#: the spec's crop frame takes this fraction of the camera picture's height (or width)
KIOSK_FILL = 0.86

#: All in camera-frame px (x right, y down; not mirrored); ``to_output`` maps into the photo.
KioskGuide = GuideShapes


def kiosk_guide(spec, frame_w: int, frame_h: int, fill: float = KIOSK_FILL) -> KioskGuide:
    return guide_shapes(spec, frame_w, frame_h, fill)
