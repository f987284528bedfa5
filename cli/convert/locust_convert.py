#!/usr/bin/python3
"""throngctl convert: turns a Locust locustfile into a Throng scenario file.

Usage: locust_convert.py LOCUSTFILE [-o SCENARIO.yaml] [--strict]

Writes the scenario to -o (or standard output) and one warning per untranslated piece to standard
error ("LOCUSTFILE:LINE: warning: ..."); each also stands as a `# TODO(convert)` comment at its
place in the scenario. Exit status: 0 converted, 1 converted with TODOs under --strict, 2 the file
cannot be read or has no user class.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # the package may sit in a read-only or source directory
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from locust2throng import yaml_out  # noqa: E402
from locust2throng.module import convert_source  # noqa: E402
from locust2throng.values import Untranslatable  # noqa: E402

MAX_SOURCE_BYTES = 4 * 1024 * 1024


def main(argv):
    parser = argparse.ArgumentParser(prog="throngctl convert",
                                     description="Convert a locustfile into a Throng scenario.")
    parser.add_argument("locustfile")
    parser.add_argument("-o", "--output", help="scenario file to write (default: standard output)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when anything could not be translated")
    args = parser.parse_args(argv)
    try:
        with open(args.locustfile, "rb") as f:
            source = f.read(MAX_SOURCE_BYTES + 1)
        if len(source) > MAX_SOURCE_BYTES:
            raise ValueError(f"larger than {MAX_SOURCE_BYTES} bytes")
        document, warnings = convert_source(source.decode("utf-8"), args.locustfile)
    except (OSError, ValueError, SyntaxError, RecursionError, Untranslatable) as error:
        print(f"{args.locustfile}: error: {error}", file=sys.stderr)
        return 2
    header = [f"Converted from {os.path.basename(args.locustfile)} by throngctl convert.",
              f"{len(warnings)} TODO(convert) item(s) below." if warnings else
              "Everything was translated; review the expectations before relying on them.", ""]
    text = yaml_out.dump(document, header)
    for line, message in warnings:
        print(f"{args.locustfile}:{line}: warning: {message}", file=sys.stderr)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 1 if args.strict and warnings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
