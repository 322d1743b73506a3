#!/usr/bin/env python3
"""YAML files -> exit status: fails when a YAML 1.1 reader and a YAML 1.2 reader disagree.

Each file is read twice: with PyYAML (YAML 1.1, as go-yaml and so kubectl and the API server
read it) and with ruamel.yaml in YAML 1.2 mode. Every scalar, keys included, must come out with
the same type and value from both; in particular a string under 1.2 must stay a string under
1.1 (not `on` -> True, `0777` -> 511, `1:30` -> 90). No scalar may read as a timestamp
(`2026-01-01`): the YAML 1.2 core schema has none, so it is a string left unquoted. With
`--expect JSON`, both readings must also equal the list of documents in that JSON file.

Prints each problem with its file, document and path, then exits 1; exits 0 when none.

Usage: yaml11_check.py [--expect JSON] FILE...
"""

import datetime
import json
import sys

import yaml
from ruamel.yaml import YAML


def load_yaml11(text):
    return list(yaml.safe_load_all(text))


def load_yaml12(text):
    reader = YAML(typ="safe", pure=True)
    reader.version = (1, 2)
    return list(reader.load_all(text))


def show(value):
    return f"{value!r} ({type(value).__name__})"


def same_scalar(a, b):
    # `type(...) is` keeps True apart from 1, and 1 apart from 1.0.
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def compare(left, right, where, names, problems):
    """Appends to `problems` every place where reading `left` differs from reading `right`."""
    if isinstance(left, dict) and isinstance(right, dict):
        left_items, right_items = list(left.items()), list(right.items())
        if len(left_items) != len(right_items):
            problems.append(f"{where}: {len(left_items)} keys, {len(right_items)} keys")
        for (lkey, lvalue), (rkey, rvalue) in zip(left_items, right_items):
            key_where = f"{where}.{rkey!r}"
            if not same_scalar(lkey, rkey):
                problems.append(describe(f"{key_where} (key)", lkey, rkey, names))
            compare(lvalue, rvalue, key_where, names, problems)
    elif isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            problems.append(f"{where}: {len(left)} items, {len(right)} items")
        for i, (litem, ritem) in enumerate(zip(left, right)):
            compare(litem, ritem, f"{where}[{i}]", names, problems)
    elif not same_scalar(left, right):
        problems.append(describe(where, left, right, names))
    elif isinstance(right, datetime.date):
        # ruamel.yaml keeps YAML 1.1's timestamps in 1.2 mode; 1.2's core schema has none.
        problems.append(f"{where}: reads as a timestamp {right!r}; it should be quoted")


def describe(where, left, right, names):
    note = ""
    if isinstance(right, str) and not isinstance(left, str):
        note = f" (a string to {names[1]} but not to {names[0]})"
    return f"{where}: {names[0]} reads {show(left)}, {names[1]} reads {show(right)}{note}"


def compare_streams(left, right, names, problems):
    if len(left) != len(right):
        problems.append(f"stream: {len(left)} documents, {len(right)} documents")
    for i, (ldoc, rdoc) in enumerate(zip(left, right)):
        compare(ldoc, rdoc, f"doc {i}", names, problems)


def check_file(path, expected):
    """The problems found in the YAML file at `path`, as printable lines."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        docs11, docs12 = load_yaml11(text), load_yaml12(text)
    except Exception as e:  # any reader error is a failure to report, not a crash
        return [f"unreadable: {e}"]
    problems = []
    compare_streams(docs11, docs12, ("YAML 1.1", "YAML 1.2"), problems)
    if expected is not None:
        compare_streams(docs11, expected, ("YAML 1.1", "the expected JSON"), problems)
        compare_streams(docs12, expected, ("YAML 1.2", "the expected JSON"), problems)
    return problems


def main(args):
    expected = None
    if args[:1] == ["--expect"]:
        with open(args[1], encoding="utf-8") as f:
            expected = json.load(f)
        args = args[2:]
    failed = 0
    for path in args:
        problems = check_file(path, expected)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
    if failed:
        print(f"yaml11_check: YAML readings differ in {failed} of {len(args)} files")
        return 1
    print(f"yaml11_check: YAML 1.1 and 1.2 readings agree in all {len(args)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
