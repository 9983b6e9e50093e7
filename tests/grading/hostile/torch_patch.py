"""Tries to patch the oracle: statically refused."""
import torch

torch.softmax = lambda z, dim=-1: z


def softmax(z, axis=-1):
    return z
