#!/usr/bin/env python3
"""Which fields of a folder of DaemonSet manifests dsc expresses directly.

Usage: scripts/coverage.py DIR [--min-files N] [--all]

Reads every *.yaml / *.yml file in DIR (not recursive), keeps the DaemonSet documents, and
lists every field path they use (notation of the corpus feature matrix: `[]` for list items,
`{}` for the keys of free-form maps such as labels and resources) with the number of
manifests using it, marked:

  direct   dsc has a keyword for it (scripts/expressed-fields.txt)
  implied  the manifest only writes the value the API server fills in anyway
  server   written by the API server into exported manifests, not part of a spec
  HATCH    needs the escape hatch (`pod-override`, `spec-override`, `override`)

An entry `PATH = VALUE` in the list covers only that value: a manifest with another value at
that path needs the escape hatch for it. By default only fields used by at least --min-files
manifests (2) are listed; --all lists every field. The summary counts fields and manifests.

Needs PyYAML (pip install pyyaml).
"""
import argparse
import collections
import itertools
import os
import re
import sys

import yaml

FREE_FORM = {
    "labels", "annotations", "nodeSelector", "matchLabels", "limits", "requests",
    "data", "stringData", "volumeAttributes", "parameters", "overhead",
}

LIST_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expressed-fields.txt")


def expand(path):
    """`a.{b,c}.d` -> [`a.b.d`, `a.c.d`]; several braces multiply."""
    parts = re.split(r"\{([^{}]*,[^{}]*)\}", path)
    options = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*options)]


def read_list(path=LIST_FILE):
    """{path: (value or None, how)}"""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"(\S+)(?:\s+=\s+(\S+))?\s+(.*)$", line)
            if not m:
                sys.exit(f"cannot read line of {path}: {line}")
            for p in expand(m.group(1)):
                entries[p] = (m.group(2), m.group(3))
    return entries


def walk(node, path, out):
    """Adds (path, scalar value or None) for every field under `node`."""
    if isinstance(node, dict):
        for k, v in node.items():
            p = f"{path}.{k}" if path else str(k)
            if k in FREE_FORM and isinstance(v, dict):
                out.add((p + "{}", None))
                continue
            out.add((p, None if isinstance(v, (dict, list)) else str(v)))
            walk(v, p, out)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                walk(item, path + "[]", out)


def manifests(folder):
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if isinstance(doc, dict) and doc.get("kind") == "DaemonSet":
                    yield name, doc


def classify(path, values, entries):
    """direct / implied / server / HATCH for one manifest's use of a path."""
    entry = entries.get(path)
    if entry is None:
        # A list or map holding only covered fields is covered by them.
        prefix = (path + ".", path + "[]", path + "{}")
        if any(p.startswith(prefix) for p in entries):
            kinds = {classify_entry(entries[p]) for p in entries if p.startswith(prefix)}
            return "server" if kinds == {"server"} else "direct"
        return "HATCH"
    value, how = entry
    if value is not None and any(v is not None and v != value for v in values):
        return "HATCH"
    return classify_entry(entry)


def classify_entry(entry):
    how = entry[1]
    if how.startswith("server:"):
        return "server"
    if how.startswith("implied:"):
        return "implied"
    return "direct"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--min-files", type=int, default=2)
    ap.add_argument("--all", action="store_true", help="list every field, not only common ones")
    args = ap.parse_args()
    entries = read_list()
    uses = collections.defaultdict(lambda: collections.defaultdict(list))  # path -> file -> values
    files = []
    for name, doc in manifests(args.folder):
        files.append(name)
        found = set()
        walk(doc, "", found)
        for p, v in found:
            uses[p][name].append(v)
    verdicts = {}  # path -> Counter of verdicts over files
    hatch_files = collections.defaultdict(set)
    for p, by_file in uses.items():
        c = collections.Counter()
        for name, values in by_file.items():
            verdict = classify(p, values, entries)
            c[verdict] += 1
            if verdict == "HATCH":
                hatch_files[name].add(p)
        verdicts[p] = c
    min_files = 1 if args.all else args.min_files
    print(f"# dsc coverage of {len(files)} DaemonSet manifests in {os.path.basename(os.path.normpath(args.folder))}")
    print(f"# fields used by at least {min_files} manifest(s); count = manifests using the field\n")
    shown = sorted((p for p in uses if len(uses[p]) >= min_files), key=lambda p: (-len(uses[p]), p))
    for p in shown:
        c = verdicts[p]
        label = ",".join(k for k in ("direct", "implied", "server", "HATCH") if c[k])
        extra = f" (HATCH in {c['HATCH']})" if c["HATCH"] and len(c) > 1 else ""
        print(f"{len(uses[p]):4d}  {label:14s} {p}{extra}")
    common = [p for p in uses if len(uses[p]) >= args.min_files]
    spec_fields = [p for p in common if verdicts[p]["server"] < len(uses[p])]
    direct = [p for p in spec_fields if not verdicts[p]["HATCH"]]
    print(f"\nfields used by {args.min_files}+ manifests: {len(spec_fields)} "
          f"(server-written ones left out); expressed directly: {len(direct)}; "
          f"need the escape hatch: {len(spec_fields) - len(direct)}")
    all_spec = [p for p in uses if verdicts[p]["server"] < len(uses[p])]
    all_direct = [p for p in all_spec if not verdicts[p]["HATCH"]]
    print(f"all fields: {len(all_spec)}; expressed directly: {len(all_direct)}")
    clean = [f for f in files if not hatch_files.get(f)]
    print(f"manifests expressed without the escape hatch: {len(clean)} of {len(files)}")
    missing = sorted(p for p in spec_fields if verdicts[p]["HATCH"])
    if missing:
        print("\ncommon fields that need the escape hatch:")
        for p in missing:
            print(f"  {verdicts[p]['HATCH']:3d}  {p}")


if __name__ == "__main__":
    main()
