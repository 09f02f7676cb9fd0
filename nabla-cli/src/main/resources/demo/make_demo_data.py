#!/usr/bin/env python3
"""Builds the offline data set of `nabla demo`: a small slice of Fashion-MNIST as PNG files in class folders.

Takes the first TRAIN_PER_CLASS training and TEST_PER_CLASS test images of every class from the Fashion-MNIST IDX
files (gzipped) and writes them as 8-bit grayscale PNGs

    train/<class>/<index>.png      test/<class>/<index>.png

into one zip file, fashion-demo.zip, next to this script (one jar entry instead of thousands of small ones). The
demo extracts it to a temporary folder and trains on it with the image-folder loader, like `nabla train --data DIR`.

Only the Python standard library is used (the PNGs are written by hand: zlib + CRC32), so the output is byte for byte
reproducible. Run it once after changing it:

    python3 nabla-cli/src/main/resources/demo/make_demo_data.py [/work/shared/data/fashion-mnist]

Fashion-MNIST is Copyright (c) 2017 Zalando SE, MIT licensed; see FASHION-MNIST-COPYRIGHT next to this script.
"""
import gzip
import os
import struct
import sys
import zipfile
import zlib

TRAIN_PER_CLASS = 300
TEST_PER_CLASS = 50
CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def read_idx(path, rank):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    if magic != 0x0800 | rank:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file of rank {rank}")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def png(width, height, pixels):
    """An 8-bit grayscale PNG of the given row-major bytes."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def add_split(archive, source, prefix, split, per_class):
    (n, rows, cols), images = read_idx(os.path.join(source, prefix + "-images-idx3-ubyte.gz"), 3)
    (n_labels,), labels = read_idx(os.path.join(source, prefix + "-labels-idx1-ubyte.gz"), 1)
    if n != n_labels:
        raise SystemExit(f"{prefix}: {n} images but {n_labels} labels")
    taken = [0] * len(CLASSES)
    size = rows * cols
    for i in range(n):
        c = labels[i]
        if taken[c] >= per_class:
            continue
        taken[c] += 1
        name = f"{split}/{CLASSES[c]}/{i:05d}.png"
        info = zipfile.ZipInfo(name, date_time=(2017, 8, 25, 0, 0, 0))   # fixed time: reproducible zip
        info.compress_type = zipfile.ZIP_STORED                          # PNGs are compressed already
        archive.writestr(info, png(cols, rows, images[i * size:(i + 1) * size]))
        if min(taken) >= per_class:
            break
    return taken


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/fashion-mnist"
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "fashion-demo.zip")
    with zipfile.ZipFile(target, "w") as archive:
        train = add_split(archive, source, "train", "train", TRAIN_PER_CLASS)
        test = add_split(archive, source, "t10k", "test", TEST_PER_CLASS)
    print(f"{target}: {sum(train)} training and {sum(test)} test images, {os.path.getsize(target):,} bytes")


if __name__ == "__main__":
    main()
