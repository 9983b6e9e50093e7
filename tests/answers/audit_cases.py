"""Held-out audit of the math bank: every answer below was solved independently of the bank's
`expected` values (computed here from the prompts), with right forms written differently and
plausible wrong ones (slips seen in class, on slides and in earlier audits)."""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np


class Case(NamedTuple):
    exercise: str
    part: str
    right: tuple[str, ...]
    wrong: tuple[str, ...]
    seed: str = ""


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def g(x: float, digits: int = 10) -> str:
    """A decimal rendering of x with `digits` significant figures."""
    return f"{x:.{digits}g}"


def fp16(x: float) -> float:
    return float(np.float16(x))


def _softmax(z: list[float]) -> list[float]:
    e = [math.exp(v - max(z)) for v in z]
    return [v / sum(e) for v in e]


def vec(values: list[float], digits: int = 10) -> str:
    return "[" + ", ".join(g(v, digits) for v in values) + "]"


def _master(steps: int) -> float:
    m = np.float32(1)
    for _ in range(steps):
        m = np.float32(m + np.float32(0.0004))
    return float(m)


S5 = sig(5)
DZ = S5 - 1
H1 = sig(1)
YHAT = -1.5 * H1 + 0.5
D_YHAT = YHAT - 1
D_H = D_YHAT * -1.5
D_Z1 = D_H * H1 * (1 - H1)
P_CE = _softmax([1, 3, -2, 0])
P_SM = _softmax([5, 2, -1, 3])

FIXED: list[Case] = [
    # derivatives
    Case("derivatives/elu_prime", "answer",
         ("alpha*exp(x)", "α·eˣ", "alpha*e^x", "alpha*(exp(x) - 1) + alpha", "exp(x + log(alpha))"),
         ("exp(x)", "alpha*(exp(x) - 1)", "alpha*x*exp(x)", "1", "alpha*exp(-x)")),
    Case("derivatives/power_rule_slope", "answer", ("10", "2*5", "10.0", "10.000000"),
         ("10.0001", "27", "25", "5", "20", "10.01")),
    Case("derivatives/relu_slopes", "relu_pos", ("1", "1.0"), ("0", "3", "0.5")),
    Case("derivatives/relu_slopes", "relu_neg", ("0", "0.0"), ("1", "-2", "0.1")),
    Case("derivatives/relu_slopes", "leaky_neg", ("0.1", "1/10"), ("1", "-0.2", "0.01", "0")),
    Case("derivatives/sigmoid_prime", "answer",
         ("sigmoid(x)*(1 - sigmoid(x))", "σ(x)(1−σ(x))", "exp(-x)/(1 + exp(-x))^2",
          "e⁻ˣ/(1 + e⁻ˣ)²", "sigmoid(x)*sigmoid(-x)", "1/(4*cosh(x/2)^2)",
          "exp(x)/(1 + exp(x))^2", "sigmoid(x) - sigmoid(x)^2"),
         ("sigmoid(x)", "sigmoid(x)*(1 + sigmoid(x))", "-exp(-x)/(1 + exp(-x))^2",
          "1/(1 + exp(-x))^2", "sigmoid(x)*(1 - sigmoid(x)) + relu(x - 8)",
          "exp(-x)/(1 + exp(-x))")),
    Case("derivatives/softplus_prime", "answer",
         ("sigmoid(x)", "1/(1 + exp(-x))", "exp(x)/(1 + exp(x))", "1 - sigmoid(-x)", "eˣ/(1+eˣ)"),
         ("sigmoid(x)*(1 - sigmoid(x))", "exp(x)", "1/(1 + exp(x))", "log(1 + exp(x))",
          "min(sigmoid(x), 0.999)")),
    Case("derivatives/tanh_prime", "answer",
         ("1 - tanh(x)^2", "sech(x)^2", "1/cosh(x)^2", "4/(exp(x) + exp(-x))^2",
          "(1 - tanh(x))*(1 + tanh(x))", "1 - tanh(x)²", "4*sigmoid(2x)*(1 - sigmoid(2x))"),
         ("1 - tanh(x)^2 + relu(x - 7)", "1 + tanh(x)^2", "sech(x)", "1 - tanh(x)",
          "tanh(x)^2", "cosh(x)^-1", "1 - tanh(x)^2 + relu(-x - 30)")),
    Case("derivatives/chain_rule_neuron", "answer",
         ("x*(1 - tanh(w*x + b)^2)", "x*sech(w*x + b)^2", "x/cosh(w x + b)^2",
          "x - x*tanh(b + w*x)^2"),
         ("1 - tanh(w*x + b)^2", "w*(1 - tanh(w*x + b)^2)", "x*(1 - tanh(w*x + b))",
          "x*(1 + tanh(w*x + b)^2)", "tanh(w*x + b)*x")),
    Case("derivatives/difference_quotients", "forward",
         (g((1.1 ** 3 - 1) / 0.1, 3), "(1.1^3 - 1)/0.1", "3.310"), ("3", "0.331", "3.3", "3.21")),
    Case("derivatives/difference_quotients", "central",
         (g((1.1 ** 3 - 0.9 ** 3) / 0.2, 3), "(1.1^3 - 0.9^3)/0.2"), ("3", "6.02", "3.1")),
    Case("derivatives/sigmoid_slope_bound", "max_slope", ("0.25", "1/4", "sigmoid(0)*(1 - sigmoid(0))"),
         ("0.5", "1", "0.2", "sigmoid(0)")),
    Case("derivatives/sigmoid_slope_bound", "ten_layers", ("0.25^10", "2^-20", g(0.25 ** 10, 4)),
         ("2.5", "0.25*10", "0.5^10", "0.25^9")),
    # backprop
    Case("backprop/logistic_worked_example", "z", ("5", "5.00", "0.5*5 + 0.5*3 + 1"), ("4", "6", "0.5")),
    Case("backprop/logistic_worked_example", "a", (g(S5, 3), g(S5, 6), "sigmoid(5)", "1/(1+e^-5)"),
         (g(1 - S5, 3), "0.5", "5", "0.731")),
    Case("backprop/logistic_worked_example", "dz", (g(DZ, 3), g(DZ, 6), "sigmoid(5) - 1"),
         ("-0.00693", g(-DZ, 3), g(S5, 3), "-1")),
    Case("backprop/logistic_worked_example", "dw1", (g(5 * DZ, 3), "5*(sigmoid(5) - 1)"),
         ("-0.0347", g(DZ, 3), g(-5 * DZ, 3), g(3 * DZ, 3))),
    Case("backprop/logistic_worked_example", "dw2", (g(3 * DZ, 3), "3*(sigmoid(5) - 1)"),
         ("-0.0208", g(DZ, 3), g(-3 * DZ, 3), g(5 * DZ, 3))),
    Case("backprop/logistic_worked_example", "db", (g(DZ, 3), "sigmoid(5) - 1"),
         ("-0.00693", g(-DZ, 3), g(5 * DZ, 3))),
    Case("backprop/logistic_worked_example", "w1_new",
         (f"{0.5 - 0.01 * 5 * DZ:.6f}", f"{0.5 - 0.01 * 5 * DZ:.5f}", "0.5 - 0.01*5*(sigmoid(5) - 1)"),
         ("0.5", "0.500", f"{0.5 + 0.01 * 5 * DZ:.6f}", f"{0.5 - 0.1 * 5 * DZ:.6f}",
          f"{0.5 - 0.01 * DZ:.6f}", "0.503475", "1.000693")),
    Case("backprop/logistic_worked_example", "w2_new",
         (f"{0.5 - 0.01 * 3 * DZ:.6f}", "0.5 - 0.03*(sigmoid(5) - 1)"),
         ("0.5", f"{0.5 + 0.01 * 3 * DZ:.6f}", f"{0.5 - 0.1 * 3 * DZ:.6f}", "0.502085")),
    Case("backprop/logistic_worked_example", "b_new", (f"{1 - 0.01 * DZ:.6f}", "1 - 0.01*(sigmoid(5) - 1)"),
         ("1", "1.000", f"{1 + 0.01 * DZ:.6f}", f"{1 - 0.1 * DZ:.6f}", "1.000693")),
    Case("backprop/tanh_local_gradient", "answer",
         ("g*(1 - h^2)", "g*(1 - h)*(1 + h)", "g - g*h^2", "g(1-h²)"),
         ("1 - h^2", "g*(1 - h)", "g*(1 - tanh(h)^2)", "g*h*(1 - h)", "g*(1 + h^2)",
          "g*(1 - h^2) + relu(h - 0.9)")),
    Case("backprop/chain_two_layers", "h", (g(H1, 3), "sigmoid(1)"), ("0.5", g(sig(2), 3), "1")),
    Case("backprop/chain_two_layers", "y_hat", (g(YHAT, 3), "-1.5*sigmoid(1) + 0.5"),
         (g(-1.5 * H1, 3), g(-YHAT, 3))),
    Case("backprop/chain_two_layers", "dL_dyhat", (g(D_YHAT, 3),), (g(-D_YHAT, 3), g(YHAT, 3))),
    Case("backprop/chain_two_layers", "dL_dw2", (g(D_YHAT * H1, 3),), (g(D_YHAT, 3), g(-D_YHAT * H1, 3))),
    Case("backprop/chain_two_layers", "dL_dh", (g(D_H, 3),), (g(D_YHAT, 3), g(-D_H, 3))),
    Case("backprop/chain_two_layers", "dL_dz1", (g(D_Z1, 3),), (g(D_H, 3), g(D_Z1 * 2, 3))),
    Case("backprop/chain_two_layers", "dL_dw1", (g(2 * D_Z1, 3),), (g(D_Z1, 3), g(2 * D_H, 3))),
    Case("backprop/l2_weight_decay", "answer",
         ("w - alpha*(dw + lamda/m*w)", "(1 - alpha*lamda/m)*w - alpha*dw",
          "w - α*dw - α*λ*w/m"),
         ("w - alpha*(dw + lamda/(2*m)*w)", "w - alpha*dw - lamda/m*w", "w - alpha*(dw + lamda*w)",
          "w - alpha*dw", "w - alpha*(dw + lamda/m)", "w - alpha*(dw + lamda*w/(m - 1))")),
    Case("backprop/sigmoid_bce_dz", "answer",
         ("sigmoid(z) - y", "1/(1 + exp(-z)) - y", "σ(z) − y", "(1 - y)*sigmoid(z) - y*sigmoid(-z)"),
         ("y - sigmoid(z)", "sigmoid(z)*(1 - sigmoid(z))", "(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))",
          "sigmoid(z) - y + relu(-z - 10)", "sigmoid(z)")),
    Case("backprop/softmax_ce_gradient", "answer",
         (vec([p - (i == 0) for i, p in enumerate(P_CE)], 3),
          vec([p - (i == 0) for i, p in enumerate(P_CE)], 8)),
         (vec(P_CE, 3), vec([(i == 0) - p for i, p in enumerate(P_CE)], 3),
          vec([p - (i == 1) for i, p in enumerate(P_CE)], 3))),
    # losses
    Case("losses/bce_derivative", "answer",
         ("(a - y)/(a*(1 - a))", "-y/a + (1 - y)/(1 - a)", "(a - y)/(a - a^2)", "(1-y)/(1-a) - y/a"),
         ("y/a", "-y/a - (1 - y)/(1 - a)", "(y - a)/(a*(1 - a))", "a - y", "-y/a")),
    Case("losses/onehot_cross_entropy", "answer",
         (g(-(math.log(0.7) + math.log(0.3)) / 2, 3), "-(ln(0.7) + ln(0.3))/2"),
         (g(-(math.log(0.7) + math.log(0.3)), 3), g(-(math.log(0.7) + math.log(0.6)) / 2, 3),
          g(-(math.log10(0.7) + math.log10(0.3)) / 2, 3))),
    Case("losses/softmax_example", "answer", (vec(P_SM, 3), vec(P_SM, 6)),
         (vec([math.exp(v) for v in (5, 2, -1, 3)], 3), vec([v / 9 for v in (5, 2, -1, 3)], 3),
          vec(P_SM[::-1], 3))),
    Case("losses/hinge_loss", "loss1", ("0",), ("-1.5", "1.5")),
    Case("losses/hinge_loss", "loss2", ("0.6", "1 - 0.4"), ("0.4", "1.4", "0")),
    Case("losses/hinge_loss", "loss3", ("1.4", "1 + 0.4"), ("0.6", "0", "0.4")),
    Case("losses/hinge_loss", "slope1", ("0",), ("-1", "1")),
    Case("losses/hinge_loss", "slope3", ("1",), ("-1", "0", "0.4")),
    Case("losses/mse_sigmoid_dz", "answer",
         ("2*(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))", "2(σ(z)-y)σ(z)σ(-z)",
          "2*(sigmoid(z) - y)*exp(-z)/(1 + exp(-z))^2"),
         ("sigmoid(z) - y", "2*(sigmoid(z) - y)", "(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))",
          "2*(y - sigmoid(z))*sigmoid(z)*(1 - sigmoid(z))")),
    Case("losses/perplexity", "answer", (g(2 ** 1.75, 3), "2^(7/4)", "exp(7*ln(2)/4)"),
         (g(7 * math.log(2) / 4, 3), "128", g(32 / 11, 3), "2^7")),
    # precision
    Case("precision/bf16_epsilon", "answer", ("2^-7", "0.0078125", "1/128"), ("2^-8", "2^-10", "2^-23", "0.0078")),
    Case("precision/dynamic_range_decades", "answer",
         (g(math.log10(65504 * 2 ** 14), 3), "log10(65504*2^14)", "log₁₀(65504·2¹⁴)", "9.031"),
         ("9.04", g(math.log10(65504 * 2 ** 24), 4), g(math.log10(65504), 3), "9")),
    Case("precision/fp16_exp_overflow", "answer", (g(math.log(65504), 4), "ln(65504)", "log(65504)"),
         ("11.1", g(math.log10(65504), 4), "16", "11")),
    Case("precision/fp16_landmarks", "eps", ("2^-10", g(2 ** -10, 3)), ("2^-11", "2^-23", "2^-7")),
    Case("precision/fp16_landmarks", "min_normal", ("2^-14", g(2 ** -14, 3)), ("2^-15", "2^-24")),
    Case("precision/fp16_landmarks", "min_subnormal", ("2^-24", g(2 ** -24, 3)), ("2^-14", "2^-25")),
    Case("precision/fp16_max", "answer", ("65504", "(2 - 2^-10)*2^15", "65504.0"), ("65535", "65536", "2^15")),
    Case("precision/int8_by_hand", "scale", (g(5.1 / 255, 3), "5.1/255"), ("5.1/256", "0.2")),
    Case("precision/int8_by_hand", "zero_point", ("-53",), ("53", "-128", "-52")),
    Case("precision/int8_by_hand", "q", ("-18",), ("35", "-17", "17")),
    Case("precision/decode_bf16_bits", "answer", ("-123.5", "-(1 + 119/128)*2^6"), ("123.5", "-61.75", "-247")),
    Case("precision/decode_fp16_bits", "a", ("1", "1.0"), ("0", "-1")),
    Case("precision/decode_fp16_bits", "b", ("-2",), ("2", "-1")),
    Case("precision/decode_fp16_bits", "c", ("3.140625", "(1 + 584/1024)*2"), ("3.14", "3.1416", "pi")),
    Case("precision/decode_fp16_bits", "d", ("2^-24", g(2 ** -24, 6)), ("2^-14", "2^-10", "0")),
    Case("precision/fp16_cancellation", "diff", ("2^-10", g(2 ** -10, 6)), ("0.001", "2^-11")),
    Case("precision/fp16_cancellation", "rel_error", (g(abs(2 ** -10 - 0.001) / 0.001, 2),),
         ("0.02", "0.0234375e1", "0.024")),
    Case("precision/fp16_neighbours", "answer",
         ("[1638*2^-14, 1639*2^-14]", vec([1638 * 2 ** -14, 1639 * 2 ** -14], 6)),
         ("[0.0999755859375, 0.1]", "0.1", "[102*2^-10, 103*2^-10]", "[1639*2^-14, 1638*2^-14]",
          "[0.1, 0.1]")),
    Case("precision/fp16_sgd_trace", "plain_5", ("1",), (g(1.002, 6), "1.001953125")),
    Case("precision/fp16_sgd_trace", "master_5",
         (g(_master(5), 6),), ("1", "1.001953125", "1.0004")),
    Case("precision/fp16_sgd_trace", "copy_5", ("1 + 2^-9", "1.001953125"), ("1", "1 + 2^-10", "1.002")),
    Case("precision/fp16_sgd_trace", "first_move", ("2",), ("1", "3", "5")),
    Case("precision/fp16_sgd_trace", "lost", ("5",), ("0", "4", "3")),
    Case("precision/fp8_formats", "e4m3_max", ("448", "1.75*2^8"), ("480", "240", "256")),
    Case("precision/fp8_formats", "e5m2_max", ("57344", "1.75*2^15"), ("65536", "61440", "49152")),
    Case("precision/fp8_formats", "e4m3_eps", ("2^-3", "0.125"), ("2^-4", "2^-2")),
    Case("precision/fp8_formats", "e5m2_eps", ("2^-2", "0.25"), ("2^-3", "2^-1")),
    Case("precision/loss_scale_factor", "answer", ("8192", "2^13"), ("4096", "2^14", "6104", "6103.515625")),
    Case("precision/stochastic_rounding_probability", "answer", (g(0.00025 / 2 ** -10, 3), "0.00025/2^-10"),
         ("0.744", "0.25", "0.5", "0.512")),
    Case("precision/swamping_learning_rate", "lr_down", ("2^-11",), ("2^-10", "2^-12")),
    Case("precision/swamping_learning_rate", "lr_up", ("2^-10",), ("2^-11", "2^-9")),
    Case("precision/swamping_learning_rate", "lr_1000", ("0.5", "2^-1"), ("1", "0.25", "2^-10")),
    # optimization
    Case("optimization/gd_parabola_steps", "x1", ("4", "5 - 0.1*2*5"), ("4.5", "-5", "6")),
    Case("optimization/gd_parabola_steps", "x2", ("3.2", "4 - 0.1*8"), ("3", "4", "3.6")),
    Case("optimization/gd_parabola_steps", "f_x2", ("12.24", "3.2^2 + 2"), ("10.24", "18")),
    Case("optimization/gd_step_2d", "answer", ("[2.6, 0.2]", "[3 - 0.1*4, 1 - 0.1*8]"),
         ("[3.4, 1.8]", "[2.6, 0.6]", "[0.4, 0.8]", "[2.8, 0.2]")),
    Case("optimization/least_squares_update", "answer",
         ("w - alpha*x*(w*x - y)", "w + alpha*x*(y - w*x)", "w*(1 - alpha*x^2) + alpha*x*y"),
         ("w - alpha*(w*x - y)", "w + alpha*x*(w*x - y)", "w - 2*alpha*x*(w*x - y)",
          "w - alpha*x*(w*x - y)^2", "w - alpha*w*(w*x - y)")),
    Case("optimization/step_decay", "answer", ("0.025", "0.1*0.5^2"), ("0.0125", "0.05", "0.1")),
    Case("optimization/adam_first_step", "answer", ("0.001", "1e-3", g(0.001 * 0.003 / (0.003 + 1e-8), 6)),
         ("0.000003", "0.0001", "0.01", "3e-6")),
    Case("optimization/momentum_effective_lr", "answer", ("10", "1/(1 - 0.9)"), ("0.9", "1.9", "9", "0.1")),
    Case("optimization/nesterov_by_hand", "v_new", ("2.45", "0.9*0.5 + 2"), ("2.5", "0.45", "2.05")),
    Case("optimization/nesterov_by_hand", "theta_new", (g(1 - 0.1 * (2 + 0.9 * 2.45)),),
         ("0.755", "0.8", "0.5")),
    Case("optimization/quadratic_learning_rates", "best", ("1/a", "a^-1", "2/(2a)"), ("2/a", "a", "1/(2a)")),
    Case("optimization/quadratic_learning_rates", "limit", ("2/a", "2*a^-1"), ("1/a", "a/2", "2a")),
    Case("optimization/gd_condition_rate", "lr", ("2/101", g(2 / 101, 3), g(2 / 101, 6)),
         ("0.01", "0.02", "1/101")),
    Case("optimization/gd_condition_rate", "rate", ("99/101", "0.980", g(99 / 101, 3), g(99 / 101, 5)),
         ("0.99", "1/101", "0.97", "1")),
]


_E = 4 / 255
_A_ADV = 1 / (1 + math.exp(0.7))
_HP = -(0.5 * math.log(0.5) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2))
_HPQ = -(0.5 * math.log(0.4) + 0.3 * math.log(0.4) + 0.2 * math.log(0.2))
_HXY = -(0.8 * math.log2(0.4) + 0.2 * math.log2(0.1))
_XHAT = [(v - 3) / math.sqrt(3.5) for v in (1, 2, 3, 6)]

NEW_TOPICS: list[Case] = [
    Case("regularization/batchnorm_inference", "y",
         (vec([2 * 2 / math.sqrt(4 + 1e-5) + 0.1, 0.5 / math.sqrt(0.25 + 1e-5) - 0.2], 4), "[2.1, 0.8]"),
         ("[1.1, 1.8]", "[2, 1]", "[1.1, 0.8]")),
    Case("regularization/inverted_dropout_scaling", "scale", ("1.25", "1/0.8"), ("0.8", "0.2", "1")),
    Case("regularization/inverted_dropout_scaling", "output", ("[2.5, 0, 0.625, 5, 0]",),
         ("[2, 0, 0.5, 4, 0]", "[2.5, -1.25, 0.625, 5, 1.875]", "[1.6, 0, 0.4, 3.2, 0]")),
    Case("regularization/inverted_dropout_scaling", "test_factor", ("1",), ("0.8", "1.25")),
    Case("regularization/inverted_dropout_scaling", "expectation", ("4",), ("5", "3.2")),
    Case("regularization/l1_l2_penalties", "l1_value", ("0.25",), ("0.025", "2.5")),
    Case("regularization/l1_l2_penalties", "l1_grad", ("[0.1, -0.1, 0]",), ("[0.1, -0.1, 0.1]", "[0.05, -0.2, 0]")),
    Case("regularization/l1_l2_penalties", "l2_value", ("0.425",), ("0.85", "0.2125")),
    Case("regularization/l1_l2_penalties", "l2_grad", ("[0.1, -0.4, 0]",), ("[0.2, -0.8, 0]", "[0.05, -0.2, 0]")),
    Case("regularization/layer_norm_by_hand", "mean", ("3",), ("2", "3.5")),
    Case("regularization/layer_norm_by_hand", "var", ("3.5",), (g(14 / 3, 4), g(math.sqrt(3.5), 4))),
    Case("regularization/layer_norm_by_hand", "xhat", (vec(_XHAT, 4),),
         (vec([(v - 3) / 3.5 for v in (1, 2, 3, 6)], 4), vec([(v - 3) / math.sqrt(14 / 3) for v in (1, 2, 3, 6)], 4))),
    Case("regularization/adam_l2_vs_adamw", "theta_adam_l2", ("1.9",), ("1.88", "2", "1.8")),
    Case("regularization/adam_l2_vs_adamw", "theta_adamw", ("1.88", "2*(1 - 0.01) - 0.1"), ("1.9", "1.98")),
    Case("information/entropy_by_hand", "bits", ("1.75", "7/4"), (g(1.75 * math.log(2), 4), "2")),
    Case("information/entropy_by_hand", "nats", (g(1.75 * math.log(2), 4), "1.75*ln(2)"), ("1.75", "1.2")),
    Case("information/entropy_by_hand", "max_bits", ("2", "log2(4)"), ("4", g(math.log(4), 4), "1")),
    Case("information/softmax_temperature", "p_half", (g(math.exp(4) / (math.exp(4) + math.exp(2) + 1), 4),),
         (g(math.exp(2) / (math.exp(2) + math.e + 1), 4), g(math.e / (math.e + math.exp(0.5) + 1), 4))),
    Case("information/softmax_temperature", "p_two", (g(math.e / (math.e + math.exp(0.5) + 1), 4),),
         (g(math.exp(4) / (math.exp(4) + math.exp(2) + 1), 4), "0.333")),
    Case("information/cross_entropy_decomposition", "h_p", (g(_HP, 3), g(_HP, 8)), (g(_HP / math.log(2), 3), g(_HPQ, 3))),
    Case("information/cross_entropy_decomposition", "h_pq", (g(_HPQ, 3),), (g(_HP, 3), g(_HPQ / math.log(2), 3))),
    Case("information/cross_entropy_decomposition", "kl", (g(_HPQ - _HP, 3),),
         (g(0.4 * math.log(0.4 / 0.5) + 0.4 * math.log(0.4 / 0.3), 3), g(_HPQ + _HP, 3))),
    Case("information/kl_two_gaussians", "kl_pq", (g(math.log(0.5) + 2 / 0.5 - 0.5, 3),),
         (g(math.log(2) + 1.25 / 2 - 0.5, 3), g(2 / 0.5 - 0.5, 3))),
    Case("information/kl_two_gaussians", "kl_qp", (g(math.log(2) + 1.25 / 2 - 0.5, 3),),
         (g(math.log(0.5) + 2 / 0.5 - 0.5, 3), g(1.25 / 2 - 0.5, 3))),
    Case("information/mutual_information_table", "hx", ("1",), ("0.5", "2")),
    Case("information/mutual_information_table", "hxy", (g(_HXY, 4),), ("2", g(_HXY * math.log(2), 4))),
    Case("information/mutual_information_table", "mi", (g(2 - _HXY, 4),), (g((2 - _HXY) * math.log(2), 4), "0")),
    Case("adversarial/fgsm_by_hand", "x_adv", ("[0.25, 1, 0]",), ("[0.75, 0.55, 0.45]", "[0.25, 1.05, -0.05]")),
    Case("adversarial/fgsm_by_hand", "z_adv", ("-1.5",), ("-0.7", "-1.425")),
    Case("adversarial/fgsm_by_hand", "loss_adv", (g(math.log(1 + math.exp(1.5)), 3), "-ln(sigmoid(-1.5))"),
         (g(-math.log(1 - 1 / (1 + math.exp(1.5))), 3), "1.103")),
    Case("adversarial/fgsm_by_hand", "linf", ("0.25",), ("0.2", "0.3")),
    Case("adversarial/input_gradient_by_hand", "z", ("-0.7",), ("0.3", "-1.7")),
    Case("adversarial/input_gradient_by_hand", "dz", (g(_A_ADV - 1, 3), "sigmoid(-0.7) - 1"), (g(1 - _A_ADV, 3), g(_A_ADV, 3))),
    Case("adversarial/input_gradient_by_hand", "grad_x", (vec([(_A_ADV - 1) * w for w in (2, -1, 0.5)], 4),),
         (vec([(1 - _A_ADV) * w for w in (2, -1, 0.5)], 4), vec([(_A_ADV - 1) * x for x in (0.5, 0.8, 0.2)], 4))),
    Case("adversarial/input_gradient_by_hand", "direction", ("[-1, 1, -1]",), ("[1, -1, 1]", "[-1, -1, -1]")),
    Case("adversarial/pgd_by_hand", "x1", ("[0.58, 0.98]",), ("[0.6, 1]", "[0.42, 0.82]")),
    Case("adversarial/pgd_by_hand", "x2", ("[0.6, 1]", "[0.600, 1.000]"), ("[0.66, 1.06]", "[0.66, 1]")),
    Case("adversarial/pgd_by_hand", "x3", ("[0.52, 1]",), ("[0.58, 1]", "[0.6, 1]", "[0.44, 1]")),
    Case("explainability/saliency_by_hand", "s", ("3",), ("6", "2", "1.5")),
    Case("explainability/saliency_by_hand", "grad", ("[3, -1.5]",), ("[1, -7.5]", "[2, -1]", "[-1.5, 3]")),
    Case("explainability/saliency_by_hand", "gxi", ("[3, -0.75]",), ("[3, -1.5]", "[1, -3.75]")),
    Case("explainability/gradcam_by_hand", "alpha1", ("0.3", "1.2/4"), ("1.2", "0.25")),
    Case("explainability/gradcam_by_hand", "alpha2", ("-0.2",), ("-0.8", "0.2", "0")),
    Case("explainability/gradcam_by_hand", "cam", ("[0.3, 0, 0.4, 0.7]",),
         ("[0.3, -0.8, 0.4, 0.7]", "[0.3, 0.8, 0.4, 0.7]", "[1.2, 0, 1.6, 2.8]")),
    Case("explainability/integrated_gradients", "ig1", ("8", "2*4"), ("24", "12", "4")),
    Case("explainability/integrated_gradients", "ig2", ("4", "3*4/3"), ("12", "8", "4/3")),
    Case("explainability/integrated_gradients", "gxi_sum", ("36",), ("12", "24")),
    Case("generative/vae_kl_by_hand", "kl1", ("0.125", "1/8"), ("0.25", "0")),
    Case("generative/vae_kl_by_hand", "kl2", (g(0.5 * (0.25 - math.log(0.25)), 4), "0.5*(0.25 + ln(4))"),
         (g(0.5 * (0.5 - math.log(0.5)), 4), "0.125", g(0.25 - math.log(0.25), 4))),
    Case("generative/vae_kl_by_hand", "kl", (g(0.125 + 0.5 * (0.25 - math.log(0.25)), 4),),
         (g(0.5 * (0.25 - math.log(0.25)), 4), g(2 * (0.125 + 0.5 * (0.25 - math.log(0.25))), 4))),
    Case("generative/elbo_terms", "elbo", ("-103.5", "-98.2 - 5.3"), ("-92.9", "-101", "103.5")),
    Case("generative/elbo_terms", "gap", ("2.5",), ("-2.5", "5.3", "2.8")),
    Case("generative/elbo_terms", "loss", ("103.5",), ("-103.5", "98.2")),
    Case("generative/gan_saturation", "d", (g(sig(-5), 3), "sigmoid(-5)"), (g(sig(5), 3), "0")),
    Case("generative/gan_saturation", "g_minimax_grad", (g(-sig(-5), 3), "-sigmoid(-5)"),
         (g(sig(-5), 3), g(-sig(5), 3))),
    Case("generative/gan_saturation", "g_nonsat_grad", (g(-sig(5), 3), "sigmoid(-5) - 1"),
         (g(sig(5), 3), g(-sig(-5), 3))),
    Case("generative/gan_saturation", "ratio", (g(math.exp(5), 3), "exp(5)"), (g(math.exp(-5), 3), "1", "5")),
    Case("generative/optimal_discriminator", "dstar", ("0.75", "0.3/0.4"), ("0.25", "3", "0.5")),
    Case("generative/optimal_discriminator", "value", (g(-math.log(4), 3), "-ln(4)", "-2*ln(2)"),
         (g(math.log(4), 3), g(-math.log(2), 3), "0.5", "0")),
    Case("generative/reparameterization_gradient", "dmu", ("2*(mu + s*eps)", "2mu + 2s*eps"),
         ("2*mu", "2*(mu + s*eps)*eps", "mu + s*eps", "2*s*eps")),
    Case("generative/reparameterization_gradient", "ds", ("2*eps*(mu + s*eps)", "2*mu*eps + 2*s*eps^2"),
         ("2*(mu + s*eps)", "2*s*eps", "2*s", "2*eps")),
    Case("generative/reparameterization_gradient", "expected_ds", ("2*s", "2s"),
         ("0", "2*s + 2*mu", "2*mu", "s")),
    Case("federated/fedavg_by_hand", "share3", ("0.6", "600/1000"), ("1/3", "0.9", "0.54")),
    Case("federated/fedavg_by_hand", "w_avg", ("0.71", "0.1*0.2 + 0.3*0.5 + 0.6*0.9"), (g(1.6 / 3, 4), "0.555")),
    Case("federated/fedavg_by_hand", "w_half", ("0.555", "0.4 + 0.5*(0.71 - 0.4)"), ("0.355", "0.71", "0.155")),
    Case("federated/effective_batch", "batch", ("256", "8*32"), ("32", "8")),
    Case("federated/effective_batch", "lr", ("0.8", "8*0.1"), ("0.1", "0.0125", "0.4")),
    Case("federated/effective_batch", "lr_sum", ("0.1", "0.8/8"), ("0.8", "0.0125", "6.4")),
    Case("federated/round_bytes", "copy_fp32", ("10000000", "2500000*4", "1e7"), ("2500000", "2e7")),
    Case("federated/round_bytes", "round_fp32", ("2e8", "10*2*2500000*4"), ("1e8", "2e7", "4e8")),
    Case("federated/round_bytes", "round_mixed", ("7.5e7", "10*(2500000*2 + 2500000)"), ("5e7", "1e8", "2.5e7")),
    Case("federated/round_bytes", "saving", (g(8 / 3, 3), "8/3"), ("4", "2", "2.5")),
    Case("federated/allreduce_bytes", "server_in", ("8e8", "8*25000000*4"), ("1e8", "1.6e9")),
    Case("federated/allreduce_bytes", "ring_per_worker", ("1.75e8", "2*7/8*25000000*4"), ("1e8", "2e8", "8e8")),
    Case("federated/allreduce_bytes", "ring_fp16", ("8.75e7", "2*7/8*25000000*2"), ("1.75e8", "5e7", "1e8")),
    Case("information/maximum_likelihood_losses", "gauss_nll",
         ("(y - y_hat)^2/(2*sigma^2) + ln(sigma) + ln(2*pi)/2", "(y_hat - y)^2/(2σ^2) + ln(sqrt(2*pi*sigma^2))",
          "-ln(exp(-(y - y_hat)^2/(2*sigma^2))/sqrt(2*pi*sigma^2))"),
         ("(y - y_hat)^2/2", "(y - y_hat)^2/(2*sigma^2) + ln(sigma^2) + ln(2*pi)/2",
          "(y - y_hat)^2/(2*sigma^2)", "(y - y_hat)^2/(2*sigma^2) + ln(sigma) + ln(2*pi)")),
    Case("information/maximum_likelihood_losses", "bernoulli_nll",
         ("-(y*ln(a) + (1 - y)*ln(1 - a))", "-y*log(a) - (1-y)*log(1-a)", "-ln(a^y*(1 - a)^(1 - y))"),
         ("-(y*ln(a) + (1 - y)*ln(a))", "y*ln(a) + (1 - y)*ln(1 - a)", "-ln(a)", "-(y*ln(a) + y*ln(1 - a))")),
    Case("adversarial/linear_explanation", "delta_z", (g(_E * 3072 * 0.02, 3),), (g(_E * 0.02, 3), g(_E * math.sqrt(3072) * 0.02, 3))),
    Case("adversarial/linear_explanation", "eta_l2", (g(_E * math.sqrt(3072), 3),), (g(_E, 3), g(_E * 3072, 3))),
    Case("adversarial/linear_explanation", "delta_z_large", (g(_E * 224 * 224 * 3 * 0.02, 3),),
         (g(_E * 3072 * 0.02, 3), g(_E * math.sqrt(224 * 224 * 3) * 0.02, 3))),
]


def _variant(exercise: str, seed: str, solve: Callable[[dict], list[Case]]) -> list[Case]:
    from modl_tutor.bank.loader import default_bank
    from modl_tutor.bank.variants import draw_params

    params = draw_params(default_bank().get(exercise), seed)
    return [c._replace(seed=seed) for c in solve(params)]


def _finite_difference(p: dict) -> list[Case]:
    a, h = p["a"], p["h"]
    ex = "derivatives/finite_difference_slope"
    return [Case(ex, "forward", (g(2 * a + h), f"(({a} + {h})^2 - {a}^2)/{h}"),
                 (str(2 * a), g((a + h) ** 2 - a ** 2), g(2 * a + 2 * h))),
            Case(ex, "central", (str(2 * a), f"(({a} + {h})^2 - ({a} - {h})^2)/(2*{h})"),
                 (str(4 * a), g(2 * a + h)))]


def _squared_error(p: dict) -> list[Case]:
    w, b, x, y = p["w"], p["b"], p["x"], p["y"]
    r = w * x + b - y
    ex = "derivatives/squared_error_gradient"
    return [Case(ex, "answer", (vec([2 * r * x, 2 * r]), f"[2*({w}*{x} + {b} - ({y}))*{x}, 2*({r})]"),
                 (vec([r * x, r]), vec([2 * r, 2 * r * x]), vec([-2 * r * x, -2 * r]), vec([2 * r * x, 0])))]


def _graph(p: dict) -> list[Case]:
    x, y, z = p["x"], p["y"], p["z"]
    ex = "backprop/computational_graph"
    q = x + y
    return [Case(ex, "q", (str(q),), (str(x - y), str(x * y))),
            Case(ex, "f", (str(q * z),), (str(x + y * z), str(-q * z))),
            Case(ex, "df_dz", (str(q),), (str(z), "1")),
            Case(ex, "df_dq", (str(z),), (str(q), "1")),
            Case(ex, "df_dx", (str(z),), ("1", str(q), str(x * z))),
            Case(ex, "df_dy", (str(z),), ("1", str(-z)))]


def _vanishing(p: dict) -> list[Case]:
    n = p["n"]
    return [Case("backprop/vanishing_sigmoid", "answer", (f"0.25^{n}", f"2^-{2 * n}", g(0.25 ** n, 3)),
                 (f"0.5^{n}", "0.25", g(0.25 * n, 3), f"0.25^{n - 1}"))]


def _bce_value(p: dict) -> list[Case]:
    q = p["p"]
    return [Case("losses/bce_value", "answer", (g(-math.log(1 - q), 3), f"-ln(1 - {q})", f"ln(1/(1-{q}))"),
                 (g(-math.log(q), 3), g(math.log(1 - q), 3), g(-math.log10(1 - q), 3)))]


def _smoothed(p: dict) -> list[Case]:
    s = p["s"]
    right = [s / 5, s / 5, 1 - s + s / 5, s / 5, s / 5]
    return [Case("losses/smoothed_targets", "answer", (vec(right, 4), vec(right)),
                 (vec([s / 4, s / 4, 1 - s, s / 4, s / 4], 4), vec([0, 0, 1 - s, 0, 0], 4),
                  vec([s / 5, s / 5, 1 - s, s / 5, s / 5], 4)))]


def _kl(p: dict) -> list[Case]:
    q = p["q"]
    kl = 0.75 * math.log(0.75 / q) + 0.25 * math.log(0.25 / (1 - q))
    rev = q * math.log(q / 0.75) + (1 - q) * math.log((1 - q) / 0.25)
    return [Case("losses/kl_divergence", "answer", (g(kl, 3), g(kl, 8)),
                 (g(rev, 3), g(kl / math.log(2), 3), g(-kl, 3)))]


def _q_format(p: dict) -> list[Case]:
    m, f = p["m"], p["f"]
    ex = "precision/q_format_range"
    return [Case(ex, "resolution", (f"2^-{f}", g(2.0 ** -f)), (f"2^-{f + 1}", f"2^-{m + f}")),
            Case(ex, "max", (f"2^{m - 1} - 2^-{f}", g(2.0 ** (m - 1) - 2.0 ** -f)),
                 (f"2^{m - 1}", f"2^{m} - 2^-{f}")),
            Case(ex, "min", (f"-2^{m - 1}",), (f"-2^{m - 1} + 2^-{f}", f"-2^{m}"))]


def _swamping(p: dict) -> list[Case]:
    w = p["w"]
    ex = "precision/fp16_swamping"
    return [Case(ex, "spacing", (f"{w}/1024", g(w / 1024)), (f"{w}/2048", "1/1024")),
            Case(ex, "lost", (f"{w}/2048", g(w / 2048)), (f"{w}/1024", f"{w}/4096"))]


def _cosine(p: dict) -> list[Case]:
    t = p["t"]
    lr = 0.01 + 0.5 * 0.09 * (1 + math.cos(math.pi * t / 100))
    return [Case("optimization/cosine_schedule", "answer", (g(lr, 3), g(lr, 8)),
                 (g(0.05 * (1 + math.cos(math.pi * t / 100)), 3), g(0.01 + 0.045 * (1 + math.cos(t / 100)), 3),
                  g(0.01 + 0.09 * (1 - t / 100), 3)))]


def _contraction(p: dict) -> list[Case]:
    a, lr = p["a"], p["lr"]
    return [Case("optimization/gd_contraction_factor", "answer", (g(1 - lr * a), f"1 - {lr}*{a}"),
                 (g(1 + lr * a), g(lr * a), g(1 - lr)))]


SOLVERS = {"derivatives/finite_difference_slope": _finite_difference,
           "derivatives/squared_error_gradient": _squared_error,
           "backprop/computational_graph": _graph, "backprop/vanishing_sigmoid": _vanishing,
           "losses/bce_value": _bce_value, "losses/smoothed_targets": _smoothed,
           "losses/kl_divergence": _kl, "precision/q_format_range": _q_format,
           "precision/fp16_swamping": _swamping, "optimization/cosine_schedule": _cosine,
           "optimization/gd_contraction_factor": _contraction}
SEEDS = ("", "alice", "s3", "b17")


def all_cases() -> list[Case]:
    cases = list(FIXED) + NEW_TOPICS
    for exercise, solve in SOLVERS.items():
        for seed in SEEDS:
            cases += _variant(exercise, seed, solve)
    return cases


# single-choice and multiple-choice parts: the indices of the right options (from the prompts)
CHOICES = {
    ("derivatives/activation_choice", "answer"): {1, 2},
    ("derivatives/difference_quotients", "shrink"): {0},
    ("derivatives/relu_slopes", "at_zero"): {1},
    ("backprop/gate_patterns", "answer"): {0, 1, 2},
    ("backprop/linear_layer_shapes", "dW_shape"): {0},
    ("backprop/linear_layer_shapes", "db_shape"): {0},
    ("backprop/linear_layer_shapes", "dX_shape"): {0},
    ("backprop/linear_layer_shapes", "dW_formula"): {0},
    ("backprop/vectorized_dw", "answer"): {0},
    ("losses/why_cross_entropy", "answer"): {0},
    ("losses/loss_convexity", "answer"): {0, 1, 4},
    ("precision/bf16_vs_fp16", "answer"): {0, 1},
    ("precision/fixed_vs_floating", "answer"): {0, 1, 2},
    ("optimization/minibatch_noise", "answer"): {1},
    ("adversarial/linear_explanation", "growth"): {0},
    ("explainability/black_box_choice", "answer"): {0},
    ("federated/unequal_clients", "answer"): {0},
    ("information/maximum_likelihood_losses", "mse_equivalent"): {0},
    ("information/maximum_likelihood_losses", "bce_equivalent"): {0},
    ("information/softmax_temperature", "high_t"): {0},
    ("information/softmax_temperature", "low_t"): {0},
    ("regularization/l1_l2_penalties", "sparsity"): {0},
    ("regularization/batchnorm_inference", "why"): {0},
    ("regularization/adam_l2_vs_adamw", "effect"): {0},
    ("regularization/adam_l2_vs_adamw", "why_adamw"): {0},
}
