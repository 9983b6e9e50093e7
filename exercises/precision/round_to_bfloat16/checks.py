"""Checks for precision/round_to_bfloat16: torch's float32 -> bfloat16 cast is the reference."""

import numpy as np

from modl_tutor.grading.toolkit import Check, inputs
from modl_tutor.kernels import precision as K

EXACT = {"rtol": 0.0, "atol": 0.0}
TIE_HINT = ("these are exact ties (the dropped bits are exactly 0x8000): each goes to the "
            "neighbour whose last kept bit is 0 — adding 0x8000 rounds every tie up")


def _bits(*patterns: int) -> np.ndarray:
    """float32 values with the given bit patterns."""
    return np.array(patterns, dtype=np.uint32).view(np.float32)


def checks(rng):
    yield Check("values that are already bfloat16", args=(_bits(0x3F800000, 0xC0490000,
                                                                 0x42F70000, 0x3E2A0000),),
                reference=K.round_to_bfloat16, **EXACT)
    yield Check("random values (nearest, not truncated)",
                args=(inputs.normal(rng, (4, 6), 3.0, np.float32),),
                reference=K.round_to_bfloat16, points=2, **EXACT,
                hint="masking the low 16 bits truncates toward zero: the nearest bfloat16 is "
                     "wanted")
    yield Check("exact ties whose kept last bit is even (round down)",
                args=(_bits(0x3F808000, 0x40408000, 0xBF808000, 0x42F68000),),
                reference=K.round_to_bfloat16, points=2, **EXACT, hint=TIE_HINT)
    yield Check("exact ties whose kept last bit is odd (round up)",
                args=(_bits(0x3F818000, 0x40418000, 0xBF818000, 0x42F78000),),
                reference=K.round_to_bfloat16, points=2, **EXACT, hint=TIE_HINT)
    yield Check("one bit either side of a tie",
                args=(_bits(0x3F808001, 0x3F807FFF, 0xC0418001, 0xC0417FFF),),
                reference=K.round_to_bfloat16, **EXACT)
    yield Check("rounding up into the next binade",
                args=(_bits(0x3FFF8000, 0x3FFFFFFF, 0xBFFFC000, 0x407FFFFF),),
                reference=K.round_to_bfloat16, **EXACT,
                hint="when the kept fraction bits are all 1, rounding up carries into the "
                     "exponent: 1.99999 becomes 2.0 — integer addition on the bits does this "
                     "by itself")
    yield Check("overflow near the largest value goes to ±inf",
                args=(_bits(0x7F7F7FFF, 0x7F7F8000, 0x7F7FFFFF, 0xFF7F8000, 0xFF7F7FFF),),
                reference=K.round_to_bfloat16, points=2, **EXACT,
                hint="the largest bfloat16 is 0x7F7F0000; anything at or past the halfway point "
                     "to the next binade (0x7F7F8000) rounds to inf, as the cast does")
    yield Check("subnormals and ±0",
                args=(_bits(0x00000000, 0x80000000, 0x00000001, 0x00008000, 0x00018000,
                            0x0000C000, 0x807FFFFF, 0x00123456),),
                reference=K.round_to_bfloat16, **EXACT,
                hint="subnormals need no special case: the same bit arithmetic rounds them, ties "
                     "included (0x00008000 is halfway between 0 and 0x00010000 and goes to 0)")
    yield Check("±inf and nan are kept",
                args=(_bits(0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000),),
                reference=K.round_to_bfloat16, **EXACT)
    yield Check("nan payloads stay nan (never inf or −0)",
                args=(_bits(0x7F800001, 0x7FFFFFFF, 0xFF800001, 0x7FBFFFFF),),
                reference=K.round_to_bfloat16, points=2, **EXACT,
                hint="the bits of a nan can carry into the exponent (0x7F800001 → inf) or the "
                     "sign (0x7FFFFFFF → −0.0), yet a nan must come back as a nan")
    yield Check("huge and tiny magnitudes",
                args=(np.concatenate([inputs.large(rng, 6, 1e38, np.float32),
                                      inputs.tiny(rng, 6, 1e-38, np.float32)]),),
                reference=K.round_to_bfloat16, **EXACT)
    yield Check("random bit patterns, 3-D",
                args=(rng.integers(0, 2**32, (3, 4, 50), dtype=np.uint64)
                      .astype(np.uint32).view(np.float32),),
                reference=K.round_to_bfloat16, points=2, hidden=True, **EXACT)
