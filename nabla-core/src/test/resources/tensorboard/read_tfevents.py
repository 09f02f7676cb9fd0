#!/usr/bin/python3
"""Reads TensorBoard event files and prints what they hold as one JSON object, for Nabla's tests.

Written from the formats' specifications (TFRecord framing; TensorFlow's event.proto and summary.proto), with the
Python standard library only and sharing no code with Nabla's writer: its own CRC-32C table, its own protobuf
decoder. TensorBoard itself is not installable where the tests run.

    /usr/bin/python3 read_tfevents.py FILE...

prints {"files": [{"path": ..., "records": N, "partial_tail": BYTES, "events": [...]}]}, each event
{"wall_time": S, "step": N, "file_version": "..."} or {"wall_time": S, "step": N, "values": [{"tag": ...,
"simple_value": X} or {"tag": ..., "histo": {"min", "max", "num", "sum", "sum_squares", "bucket_limit", "bucket"}}]}.
Non-finite numbers are the strings "NaN", "Infinity", "-Infinity". A record whose length or data CRC does not match,
or a message that does not decode, is an error: a message on stderr and exit status 1. Bytes after the last whole
record (a record being written) are counted in "partial_tail", as TensorBoard waits for the rest.
"""
import json
import math
import struct
import sys


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283, "CRC-32C check value"


class DecodeError(Exception):
    pass


def varint(buf, pos):
    shift = 0
    result = 0
    while True:
        if pos >= len(buf):
            raise DecodeError("varint runs past the end")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise DecodeError("varint longer than 10 bytes")


def fields(buf):
    """The fields of one message: a list of (number, wire type, value), value an int or bytes."""
    out = []
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise DecodeError("wire type %d of field %d" % (wire, number))
        if pos > len(buf):
            raise DecodeError("field %d runs past the end of its message" % number)
        out.append((number, wire, value))
    return out


def num(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def f64(b):
    return struct.unpack("<d", b)[0]


def f32(b):
    return struct.unpack("<f", b)[0]


def packed_doubles(b):
    if len(b) % 8:
        raise DecodeError("packed doubles of %d bytes" % len(b))
    return [num(v) for v in struct.unpack("<%dd" % (len(b) // 8), b)]


def histogram(buf):
    h = {"bucket_limit": [], "bucket": []}
    names = {1: "min", 2: "max", 3: "num", 4: "sum", 5: "sum_squares"}
    for number, wire, value in fields(buf):
        if number in names and wire == 1:
            h[names[number]] = num(f64(value))
        elif number in (6, 7):
            key = "bucket_limit" if number == 6 else "bucket"
            h[key] += packed_doubles(value) if wire == 2 else [num(f64(value))]
        else:
            raise DecodeError("HistogramProto field %d (wire %d)" % (number, wire))
    return h


def summary_value(buf):
    v = {}
    for number, wire, value in fields(buf):
        if number == 1 and wire == 2:
            v["tag"] = value.decode("utf-8")
        elif number == 2 and wire == 5:
            v["simple_value"] = num(f32(value))
        elif number == 5 and wire == 2:
            v["histo"] = histogram(value)
        else:
            v.setdefault("other_fields", []).append(number)
    return v


def event(buf):
    e = {}
    for number, wire, value in fields(buf):
        if number == 1 and wire == 1:
            e["wall_time"] = num(f64(value))
        elif number == 2 and wire == 0:
            e["step"] = value - (1 << 64) if value >= 1 << 63 else value
        elif number == 3 and wire == 2:
            e["file_version"] = value.decode("utf-8")
        elif number == 5 and wire == 2:
            e["values"] = [summary_value(v) for n, w, v in fields(value) if n == 1 and w == 2]
        else:
            e.setdefault("other_fields", []).append(number)
    return e


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    events = []
    while len(data) - pos >= 12:
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked(crc32c(header)) != length_crc:
            raise DecodeError("%s: record %d at byte %d: the length's CRC does not match" % (path, len(events), pos))
        if len(data) - pos < 12 + length + 4:
            break
        payload = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if masked(crc32c(payload)) != data_crc:
            raise DecodeError("%s: record %d at byte %d: the data's CRC does not match" % (path, len(events), pos))
        try:
            events.append(event(payload))
        except DecodeError as e:
            raise DecodeError("%s: record %d: %s" % (path, len(events), e))
        pos += 16 + length
    return {"path": path, "records": len(events), "partial_tail": len(data) - pos, "events": events}


def main(paths):
    try:
        files = [read(p) for p in paths]
    except (DecodeError, OSError, UnicodeDecodeError) as e:
        print("read_tfevents: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps({"files": files}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
