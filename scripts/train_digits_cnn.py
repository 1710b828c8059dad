#!/usr/bin/env python3
"""Trains the small digits CNN with JAX on the CPU and writes it as a pqa network folder.

The network (15,338 parameters), input 1x8x8 with pixels 0..16 scaled by 1/16:

    conv1  3x3, 1 -> 16, padding 1, ReLU         (float: the first conv)
    conv2  3x3, 16 -> 32, padding 1, ReLU        (PQ: D = 144, Ls 9 -> Ns 16)
    pool2  2x2 max
    conv3  3x3, 32 -> 32, padding 1, ReLU        (PQ: D = 288, Ls 9 -> Ns 32)
    pool3  2x2 max
    flatten, fc 128 -> 10                        (float: the classifier)

Training is deterministic: parameters from jax.random.PRNGKey(0) (He-normal
weights, zero bias), Adam (learning rate 3e-3, 40 epochs, batches of 64 in
an order drawn from numpy.random.default_rng(1) per run), softmax cross
entropy plus 1e-4 x the squared weights. It reads the training split that
scripts/digits_data.py wrote and prints the test accuracy.

Output (the folder `pqa network convert` reads): network.json and
<layer>.weight.npy / <layer>.bias.npy in float32 (conv weights [Cout, Cin, kH, kW],
linear weights [out, in], PyTorch's layouts).

Usage: python3 scripts/train_digits_cnn.py [--data reference/digits] [--out reference/digits/cnn]
Installs numpy and jax (CPU) with pip when they are missing (and says so).
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

EPOCHS = 40
BATCH = 64
LEARNING_RATE = 3e-3
WEIGHT_DECAY = 1e-4
INPUT_SCALE = 1.0 / 16.0

LAYERS = [
    {"name": "conv1", "kind": "conv", "outChannels": 16, "kernel": 3, "stride": 1, "padding": 1},
    {"name": "relu1", "kind": "relu"},
    {"name": "conv2", "kind": "conv", "outChannels": 32, "kernel": 3, "stride": 1, "padding": 1},
    {"name": "relu2", "kind": "relu"},
    {"name": "pool2", "kind": "maxpool", "size": 2},
    {"name": "conv3", "kind": "conv", "outChannels": 32, "kernel": 3, "stride": 1, "padding": 1},
    {"name": "relu3", "kind": "relu"},
    {"name": "pool3", "kind": "maxpool", "size": 2},
    {"name": "flatten", "kind": "flatten"},
    {"name": "fc", "kind": "linear", "outFeatures": 10},
]


def require(module, package):
    """Imports `module`, installing `package` with pip first when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"{module} is missing: installing {package} with pip", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", package])
        return importlib.import_module(module)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(here, "..", "reference", "digits"))
    parser.add_argument("--out", default=os.path.join(here, "..", "reference", "digits", "cnn"))
    args = parser.parse_args()
    np = require("numpy", "numpy")
    jax = require("jax", "jax[cpu]")
    jnp = jax.numpy

    def load(split):
        images = np.load(os.path.join(args.data, f"{split}_images.npy")).astype(np.float32) * INPUT_SCALE
        labels = np.load(os.path.join(args.data, f"{split}_labels.npy")).astype(np.int32)
        return images, labels

    train_x, train_y = load("train")
    test_x, test_y = load("test")

    def conv(x, w, b):
        y = jax.lax.conv_general_dilated(x, w, (1, 1), ((1, 1), (1, 1)), dimension_numbers=("NCHW", "OIHW", "NCHW"))
        return y + b[None, :, None, None]

    def maxpool(x):
        n, c, h, w = x.shape
        return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))

    def forward(params, x):
        x = jax.nn.relu(conv(x, params["conv1.weight"], params["conv1.bias"]))
        x = jax.nn.relu(conv(x, params["conv2.weight"], params["conv2.bias"]))
        x = maxpool(x)
        x = jax.nn.relu(conv(x, params["conv3.weight"], params["conv3.bias"]))
        x = maxpool(x)
        x = x.reshape(x.shape[0], -1)
        return x @ params["fc.weight"].T + params["fc.bias"]

    shapes = {"conv1.weight": (16, 1, 3, 3), "conv2.weight": (32, 16, 3, 3), "conv3.weight": (32, 32, 3, 3), "fc.weight": (10, 128)}
    keys = jax.random.split(jax.random.PRNGKey(0), len(shapes))
    params = {}
    for key, (name, shape) in zip(keys, shapes.items()):
        fan_in = int(np.prod(shape[1:]))
        params[name] = jax.random.normal(key, shape, jnp.float32) * np.sqrt(2.0 / fan_in)
        params[name.replace("weight", "bias")] = jnp.zeros((shape[0],), jnp.float32)

    def loss(params, x, y):
        logits = forward(params, x)
        nll = -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))
        decay = sum(jnp.sum(v * v) for k, v in params.items() if k.endswith("weight"))
        return nll + WEIGHT_DECAY * decay

    @jax.jit
    def step(params, moments, t, x, y):
        grads = jax.grad(loss)(params, x, y)
        first, second = moments
        first = {k: 0.9 * first[k] + 0.1 * grads[k] for k in params}
        second = {k: 0.999 * second[k] + 0.001 * grads[k] ** 2 for k in params}
        scale = LEARNING_RATE * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        params = {k: params[k] - scale * first[k] / (jnp.sqrt(second[k]) + 1e-8) for k in params}
        return params, (first, second)

    accuracy = jax.jit(lambda params, x, y: jnp.mean(jnp.argmax(forward(params, x), axis=1) == y))
    moments = ({k: jnp.zeros_like(v) for k, v in params.items()}, {k: jnp.zeros_like(v) for k, v in params.items()})
    order = np.random.default_rng(1)
    start = time.time()
    t = 0
    for epoch in range(EPOCHS):
        permutation = order.permutation(len(train_x))
        for begin in range(0, len(train_x) - BATCH + 1, BATCH):
            batch = permutation[begin:begin + BATCH]
            t += 1
            params, moments = step(params, moments, t, train_x[batch], train_y[batch])
        if epoch % 10 == 9 or epoch == EPOCHS - 1:
            print(f"epoch {epoch + 1}: train {float(accuracy(params, train_x, train_y)):.4f}, "
                  f"test {float(accuracy(params, test_x, test_y)):.4f}")
    seconds = time.time() - start
    os.makedirs(args.out, exist_ok=True)
    for name, value in params.items():
        np.save(os.path.join(args.out, f"{name}.npy"), np.asarray(value, dtype=np.float32))
    network = {
        "format": "pqa-network", "version": 1, "name": "digits-cnn",
        "input": {"channels": 1, "height": 8, "width": 8, "scale": INPUT_SCALE},
        "layers": LAYERS,
    }
    with open(os.path.join(args.out, "network.json"), "w") as f:
        json.dump(network, f, indent=2)
        f.write("\n")
    count = sum(int(np.prod(v.shape)) for v in params.values())
    test = float(accuracy(params, test_x, test_y))
    print(f"{count} parameters, test accuracy {test:.4f} ({round(test * len(test_x))}/{len(test_x)}), "
          f"trained in {seconds:.1f} s with jax {jax.__version__}; wrote {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
