"""The reference store's fast npz reader and writer agree with NumPy's, and decline what they
cannot handle."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest

from modl_tutor.grading import references as R
from modl_tutor.grading.npz_fast import read_npz, write_npz

ARRAYS = {
    "float": np.arange(6.0).reshape(2, 3),
    "fortran": np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4)),
    "scalar": np.array(np.float32(1.5)),
    "bool": np.array([True, False]),
    "complex": np.array([1 + 2j, -0.5j]),
    "unicode": np.array(["ab", "ç"]),
    "bytes": np.array([b"x", b"yz"]),
    "empty": np.zeros((0, 3)),
    "half": np.ones((2, 2, 2), dtype=np.float16),
    "big-endian": np.arange(3, dtype=">f8"),
    "nan-inf": np.array([np.nan, np.inf, -0.0]),
}


def _savez(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _np_load(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def test_reads_what_np_load_reads_bit_for_bit():
    data = _savez(**ARRAYS)
    fast = read_npz(data)
    assert fast is not None and fast.keys() == _np_load(data).keys()
    for name, want in _np_load(data).items():
        got = fast[name]
        assert got.dtype == want.dtype and got.shape == want.shape, name
        assert got.tobytes() == want.tobytes() and got.flags.writeable, name
    assert fast["fortran"][2, 1] == 9  # the layout, not just the bytes


def test_a_stored_reference_round_trips_through_the_fast_reader():
    value = {"x": np.arange(4.0), "s": np.float64(2.5), "t": (1, [2.0, "a"]), "n": None}
    data = R.encode(value)
    assert read_npz(data) is not None  # the store's own files take the fast path
    assert R.same_value(R.decode(data), value)


@pytest.mark.parametrize("case", ["compressed", "structured", "object"])
def test_declines_what_it_does_not_handle_and_np_load_decides(case):
    buffer = io.BytesIO()
    if case == "compressed":
        np.savez_compressed(buffer, a=np.arange(3.0))
    elif case == "structured":
        np.savez(buffer, a=np.zeros(2, dtype=[("x", "<f8"), ("y", "<i4")]))
    else:
        np.savez(buffer, a=np.array([{"a": 1}], dtype=object))
    assert read_npz(buffer.getvalue()) is None


@pytest.mark.parametrize("damage", ["flipped bit", "truncated", "cut before the end record",
                                    "garbage", "empty", "huge size", "no such dtype"])
def test_damage_is_never_read_as_data(damage):
    data = bytearray(_savez(a=np.arange(8.0)))
    if damage == "flipped bit":
        data[data.find(np.arange(8.0).tobytes()) + 3] ^= 0x10
    elif damage == "truncated":
        data = data[:100]
    elif damage == "cut before the end record":
        data = data[:-10]
    elif damage == "garbage":
        data = bytearray(b"PK\x03\x04" + b"\xff" * 40)
    elif damage == "empty":
        data = bytearray()
    elif damage == "no such dtype":  # a valid zip whose header names a dtype NumPy refuses
        data = bytearray(write_npz({"a": np.arange(2.0)}))
        at = data.find(b"'<f8'")
        data[at:at + 5] = b"'<f0'"
        crc = zlib.crc32(bytes(data[data.find(b"\x93NUMPY"):data.find(b"PK\x01\x02")]))
        for header in (data.find(b"PK\x03\x04") + 14, data.find(b"PK\x01\x02") + 16):
            data[header:header + 4] = crc.to_bytes(4, "little")
    else:  # a local header that claims more bytes than the file has
        data[18:22] = (1 << 31).to_bytes(4, "little")
    assert read_npz(bytes(data)) is None


def test_what_the_fast_writer_writes_numpy_reads_bit_for_bit():
    import zipfile

    arrays = {**ARRAYS, "strided": np.arange(24.0).reshape(2, 3, 4)[:, ::2]}
    data = write_npz(arrays)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None  # every CRC right
    for reader in (_np_load, read_npz):
        got = reader(data)
        assert got is not None and got.keys() == arrays.keys()
        for name, value in arrays.items():
            want = np.asarray(value)
            assert got[name].dtype == want.dtype and got[name].shape == want.shape, name
            assert got[name].tobytes() == want.tobytes(), name


@pytest.mark.parametrize("value", [np.array([{"a": 1}], dtype=object),
                                   np.zeros(2, dtype=[("x", "<f8")])], ids=["object", "struct"])
def test_the_fast_writer_refuses_what_it_cannot_write(value):
    with pytest.raises(ValueError):
        write_npz({"a": value})
