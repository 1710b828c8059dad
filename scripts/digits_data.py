#!/usr/bin/env python3
"""Writes scikit-learn's 8x8 digits as .npy files with a fixed split.

The data set (1,797 images of 8x8 pixels, values 0..16, 10 classes) ships
inside the scikit-learn package, so nothing is downloaded at run time.

Split (fixed, documented in reference/digits/README.md): the images are
permuted by numpy.random.default_rng(0).permutation(1797); the first 360 of
that order are the test set, the next 240 the calibration set (the images
PQ conversion learns prototypes and scales from), the remaining 1,197 the
training set.

Each split is written as <split>_images.npy (uint8 [N, 1, 8, 8], NCHW,
values 0..16) and <split>_labels.npy (uint8 [N]).

Usage: python3 scripts/digits_data.py [--out reference/digits]
Installs numpy and scikit-learn with pip when they are missing (and says so).
"""
import argparse
import importlib
import os
import subprocess
import sys

TEST_IMAGES = 360
CALIBRATION_IMAGES = 240
SEED = 0


def require(module, package):
    """Imports `module`, installing `package` with pip first when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"{module} is missing: installing {package} with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", package])
        return importlib.import_module(module)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "reference", "digits"))
    args = parser.parse_args()
    np = require("numpy", "numpy")
    datasets = require("sklearn.datasets", "scikit-learn")
    digits = datasets.load_digits()
    images = digits.images.astype(np.uint8).reshape(-1, 1, 8, 8)
    labels = digits.target.astype(np.uint8)
    assert images.shape == (1797, 1, 8, 8) and int(images.max()) == 16
    order = np.random.default_rng(SEED).permutation(len(images))
    splits = {
        "test": order[:TEST_IMAGES],
        "calibration": order[TEST_IMAGES:TEST_IMAGES + CALIBRATION_IMAGES],
        "train": order[TEST_IMAGES + CALIBRATION_IMAGES:],
    }
    os.makedirs(args.out, exist_ok=True)
    for name, indices in splits.items():
        np.save(os.path.join(args.out, f"{name}_images.npy"), images[indices])
        np.save(os.path.join(args.out, f"{name}_labels.npy"), labels[indices])
        counts = np.bincount(labels[indices], minlength=10)
        print(f"{name}: {len(indices)} images, per class {counts.tolist()}")
    print(f"wrote {os.path.abspath(args.out)} (scikit-learn {require('sklearn', 'scikit-learn').__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
