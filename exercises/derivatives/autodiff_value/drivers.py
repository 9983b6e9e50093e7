"""Public driver for derivatives/autodiff_value: build a small graph with the student's Value
class and backpropagate. Shipped to the sandbox as it is (nothing here is secret)."""


def graph(module, inputs, ops, output):
    """Build the graph with the student's Value (in the sandbox) and backpropagate."""
    Value = module.Value
    env = {name: Value(value) for name, value in inputs.items()}
    leaves = dict(env)
    for op in ops:
        kind, out = op[0], op[1]
        if kind == "add":
            env[out] = env[op[2]] + env[op[3]]
        elif kind == "mul":
            env[out] = env[op[2]] * env[op[3]]
        elif kind == "tanh":
            env[out] = env[op[2]].tanh()
        elif kind == "exp":
            env[out] = env[op[2]].exp()
        elif kind == "addc":
            env[out] = env[op[2]] + op[3]
        elif kind == "mulc":
            env[out] = env[op[2]] * op[3]
        elif kind == "raddc":
            env[out] = op[3] + env[op[2]]
        elif kind == "rmulc":
            env[out] = op[3] * env[op[2]]
    env[output].backward()
    return {"data": float(env[output].data),
            "grads": {name: float(v.grad) for name, v in leaves.items()}}
