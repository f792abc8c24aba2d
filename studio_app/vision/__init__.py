"""Face analysis (Qt-free): bundled models, landmarks, pose, segmentation, image measures."""
