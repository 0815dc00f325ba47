#!/usr/bin/env python3
"""Polynomial regression side by side: SuperSpace.Simd vs the anchors (scikit-learn pipeline and numpy
normal equations, single thread) on identical data, with a coefficient check.

For each shape N x D x DEG:
  1. runs ../shared/anchors/polyfit_sklearn.py N D DEG (its own timings, unchanged);
  2. regenerates the anchor's data exactly (numpy default_rng(7): X uniform in [-1, 1], y = sin(sum X)
     + 0.01 N(0, 1)), fits scikit-learn's PolynomialFeatures + LinearRegression once more for the
     reference coefficients, and writes X, y and those coefficients as raw float64 files;
  3. runs `SuperSpace.Simd.Benchmarks polyfit-compare ...`, which times SuperPlane.Fit (best of 3; QR
     best of 2) per method and thread count and reports max |c - c_sklearn| / max |c_sklearn|;
  4. writes a markdown table (default bench/results/polyfit-comparison.md).

Usage (from the repository root, after `dotnet build -c Release`):
    /usr/bin/python3 bench/polyfit_compare.py [--shapes 1000000x8x3,200000x8x4] [--out FILE]
The shared folder is ../shared next to the repository root, or $SUPERSPACE_SHARED.
"""
import argparse, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_folder():
    env = os.environ.get("SUPERSPACE_SHARED")
    if env and os.path.isdir(env):
        return env
    candidate = os.path.normpath(os.path.join(ROOT, "..", "shared"))
    return candidate if os.path.isdir(candidate) else None


def run_anchor(script, n, d, deg):
    out = subprocess.run(["/usr/bin/python3", script, str(n), str(d), str(deg)], check=True,
                         capture_output=True, text=True).stdout
    m = re.search(r"sklearn_pipeline=([0-9.]+)s numpy_normal_equations=([0-9.]+)s", out)
    if not m:
        raise RuntimeError("unexpected anchor output: " + out)
    return float(m.group(1)), float(m.group(2))


def write_data(folder, n, d, deg):
    # Single thread, as the anchor.
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(v, "1")
    import numpy as np
    from sklearn.preprocessing import PolynomialFeatures
    from sklearn.linear_model import LinearRegression
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, (n, d))
    y = np.sin(X.sum(axis=1)) + 0.01 * rng.standard_normal(n)
    phi = PolynomialFeatures(degree=deg).fit_transform(X)
    coef = LinearRegression(fit_intercept=False).fit(phi, y).coef_
    del phi
    paths = [os.path.join(folder, name) for name in ("points.bin", "targets.bin", "sklearn.bin")]
    for path, array in zip(paths, (X, y, coef)):
        np.ascontiguousarray(array, dtype="<f8").tofile(path)
    return paths


def run_ours(paths, n, d, deg):
    dll = os.path.join(ROOT, "bench", "SuperSpace.Simd.Benchmarks", "bin", "Release", "net10.0", "SuperSpace.Simd.Benchmarks.dll")
    if not os.path.exists(dll):
        raise RuntimeError("build first: dotnet build SuperSpace.Simd.sln -c Release (missing " + dll + ")")
    out = subprocess.run(["dotnet", dll, "polyfit-compare", *paths, str(n), str(d), str(deg)], check=True,
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        if line.startswith("result "):
            rows.append(dict(kv.split("=", 1) for kv in line[len("result "):].split()))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="1000000x8x3,200000x8x4")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "polyfit-comparison.md"))
    args = parser.parse_args()
    shared = shared_folder()
    if shared is None:
        sys.exit("shared folder not found: expected ../shared next to the repository root, or set SUPERSPACE_SHARED")
    anchor = os.path.join(shared, "anchors", "polyfit_sklearn.py")

    lines = ["# Polynomial regression: SuperSpace.Simd vs scikit-learn and numpy", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} logical cores by bench/polyfit_compare.py. "
             "Peers single-threaded (OPENBLAS/OMP = 1) as in ../shared/anchors/polyfit_sklearn.py; ours best of 3 "
             "(QR best of 2), after a warm-up. Coefficient check: max |c − c_sklearn| / max |c_sklearn| on identical data.", "",
             "| shape (samples × vars × degree) | terms | method | threads | time (s) | vs sklearn pipeline | vs numpy normal eq. | max coef. diff vs sklearn |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]
    for shape in args.shapes.split(","):
        n, d, deg = (int(s) for s in shape.split("x"))
        from math import comb
        terms = comb(d + deg, deg)
        t_sk, t_ne = run_anchor(anchor, n, d, deg)
        print(f"{shape}: sklearn pipeline {t_sk:.3f} s, numpy normal equations {t_ne:.3f} s", flush=True)
        lines.append(f"| {shape} | {terms} | scikit-learn PolynomialFeatures + LinearRegression | 1 | {t_sk:.3f} | 1× | | reference |")
        lines.append(f"| {shape} | {terms} | numpy normal equations (Φᵀ Φ, solve) | 1 | {t_ne:.3f} | {t_sk / t_ne:.1f}× | 1× | |")
        with tempfile.TemporaryDirectory() as folder:
            paths = write_data(folder, n, d, deg)
            for row in run_ours(paths, n, d, deg):
                seconds = float(row["seconds"])
                label = "SuperPlane.Fit " + (f"Auto → {row['method']}" if row["requested"] == "Auto" else row["method"])
                print(f"  {label}, {row['threads']} threads: {seconds:.3f} s, max coef diff {row['maxreldiff']}", flush=True)
                lines.append(f"| {shape} | {terms} | {label} | {row['threads']} | {seconds:.3f} | {t_sk / seconds:.0f}× | "
                             f"{t_ne / seconds:.1f}× | {row['maxreldiff']} |")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote " + args.out)


if __name__ == "__main__":
    main()
