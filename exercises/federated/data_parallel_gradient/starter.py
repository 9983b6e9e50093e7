"""federated/data_parallel_gradient — the global-batch MSE gradient from per-shard gradients."""

import numpy as np


def data_parallel_gradient(X_shards, y_shards, w):
    """∂/∂w of mean (x·w − y)² over every example of every shard; shape (D,)."""
    # TODO: let every worker compute something from its own shard, then combine.
    raise NotImplementedError("data_parallel_gradient is not written yet")
