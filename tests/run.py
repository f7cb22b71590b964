#!/usr/bin/env python3
"""Runs every hoctap test that needs no human and prints 'N passed, N failed'.

Suites, each run against the normal build and again under ASan+UBSan:
  unit     the C unit tests (build/unit_tests, build/asan/unit_tests)
  cli      tests/cli/test_*.py: the hoctap command as a user runs it
  api      tests/api/test_*.py: a real server on a loopback port, real HTTP
and once, against the normal build:
  browser  tests/browser/*.test.mjs: headless chromium through playwright-core
  lint     clang-format on every C file

Usage: tests/run.py [--only SUITE[,SUITE]] [--no-asan] [-k SUBSTRING]
"""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import harness  # noqa: E402


def run_unit(binary, label, results):
    proc = subprocess.run([binary], cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    m = re.search(r"unit: (\d+) passed, (\d+) failed", proc.stdout)
    if not m:
        results.fail(f"{label}: unit test binary crashed or printed no summary (exit {proc.returncode})")
        return
    results.add(int(m.group(1)), int(m.group(2)))
    if proc.returncode != 0 and int(m.group(2)) == 0:
        results.fail(f"{label}: unit tests exited {proc.returncode}")


def load_tests(folder):
    tests = []
    for name in sorted(os.listdir(os.path.join(ROOT, "tests", folder))):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        path = os.path.join(ROOT, "tests", folder, name)
        spec = importlib.util.spec_from_file_location(f"{folder}_{name[:-3]}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for attr in sorted(dir(mod)):
            if attr.startswith("test_") and callable(getattr(mod, attr)):
                tests.append((f"{folder}/{name[:-3]}.{attr}", getattr(mod, attr)))
    return tests


def run_python_suite(folder, ctx, results, keyword):
    for name, fn in load_tests(folder):
        if keyword and keyword not in name:
            continue
        start = time.time()
        try:
            fn(ctx)
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            results.add(0, 1)
            where = traceback.extract_tb(e.__traceback__)[-1]
            if os.environ.get("HOCTAP_TRACEBACK"):
                traceback.print_exc()
            print(f"FAIL {name} [{ctx.label}] at {os.path.basename(where.filename)}:"
                  f"{where.lineno}: {type(e).__name__}: {e}")
            continue
        results.add(1, 0)
        print(f"ok   {name} [{ctx.label}] ({time.time() - start:.1f}s)")


def run_browser(ctx, results):
    env = dict(os.environ, HOCTAP_URL=ctx.server_url(), HOCTAP_ADMIN_USER=harness.ADMIN_USER,
               HOCTAP_ADMIN_PASSWORD=harness.ADMIN_PASSWORD, HOCTAP_BIN=ctx.binary,
               HOCTAP_DB=ctx.demo_db())
    proc = subprocess.run(["node", "--test", "--test-reporter=tap", "tests/browser/"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout
    sys.stdout.write("\n".join(line for line in out.splitlines()
                               if re.match(r"^(not )?ok |^# (pass|fail)", line.strip())) + "\n")
    if proc.returncode != 0:
        # each failed test with its diagnostic block (error, expected, actual, stack)
        lines = out.splitlines()
        for i, line in enumerate(lines):
            if not re.match(r"^\s*not ok ", line):
                continue
            block = [line]
            for follow in lines[i + 1:i + 80]:
                if re.match(r"^\s*(not )?ok |^# ", follow):
                    break
                block.append(follow)
            sys.stdout.write("\n".join(block) + "\n")
        sys.stderr.write(proc.stderr[-4000:])
    p = re.search(r"^# pass (\d+)", out, re.M)
    f = re.search(r"^# fail (\d+)", out, re.M)
    if not p or not f:
        results.fail(f"browser tests printed no summary (exit {proc.returncode})")
        return
    results.add(int(p.group(1)), int(f.group(1)))
    if int(p.group(1)) == 0:
        results.fail("browser tests ran no test")


def run_lint(results):
    files = subprocess.run(["git", "ls-files", "*.c", "*.h"], cwd=ROOT, capture_output=True,
                           text=True).stdout.split()
    if not files:
        files = [os.path.relpath(os.path.join(d, f), ROOT)
                 for base in ("src", "tests", "tools", "fuzz")
                 for d, _, fs in os.walk(os.path.join(ROOT, base)) for f in fs
                 if f.endswith((".c", ".h"))]
    proc = subprocess.run(["clang-format", "--dry-run", "-Werror"] + files, cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode == 0:
        print("ok   lint/clang-format")
        results.add(1, 0)
    else:
        print("FAIL lint/clang-format: run 'make format'\n" + proc.stderr[:3000])
        results.add(0, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="unit,cli,api,browser,lint")
    ap.add_argument("--no-asan", action="store_true")
    ap.add_argument("-k", dest="keyword", default=None)
    args = ap.parse_args()
    suites = set(args.only.split(","))
    results = harness.Results()
    variants = [("normal", os.path.join(ROOT, "build"))]
    if not args.no_asan:
        variants.append(("asan", os.path.join(ROOT, "build", "asan")))
    os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    # leaks inside system libraries that are not ours to fix (see the file)
    os.environ.setdefault("LSAN_OPTIONS", "print_suppressions=0:suppressions="
                          + os.path.join(ROOT, "tests", "lsan.supp"))
    tmp = tempfile.mkdtemp(prefix="hoctap-tests-")
    try:
        for label, folder in variants:
            print(f"== {label} build ==")
            if "unit" in suites:
                run_unit(os.path.join(folder, "unit_tests"), label, results)
            ctx = harness.Context(label, os.path.join(folder, "hoctap"),
                                  os.path.join(tmp, label))
            try:
                if "cli" in suites:
                    run_python_suite("cli", ctx, results, args.keyword)
                if "api" in suites:
                    run_python_suite("api", ctx, results, args.keyword)
                if "browser" in suites and label == "normal":
                    run_browser(ctx, results)
            finally:
                ctx.close()
        if "lint" in suites:
            run_lint(results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for msg in results.messages:
        print("FAIL " + msg)
    print(f"{results.passed} passed, {results.failed} failed")
    sys.exit(1 if results.failed or results.passed == 0 else 0)


if __name__ == "__main__":
    main()
