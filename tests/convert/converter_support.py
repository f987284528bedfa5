"""Helpers of the converter tests: convert a snippet, find classes, tasks and TODO comments."""

import json
import os
import subprocess
import tempfile
import textwrap
import unittest


def convert(source):
    from locust2throng.module import convert_source
    return convert_source(textwrap.dedent(source), "case.py")


def first_class(document):
    return document["user_classes"][0]


def comments(value):
    from locust2throng.yaml_out import Comment
    found = []
    if isinstance(value, Comment):
        found.append(value.text)
    elif isinstance(value, dict):
        for item in value.values():
            found += comments(item)
    elif isinstance(value, list):
        for item in value:
            found += comments(item)
    return found


HEADER = "from locust import *\nimport os, random, time\n"


class PatternCase(unittest.TestCase):
    """Base of the pattern tests: written() converts and, when `throngctl` is set, loads the
    scenario back with `throngctl validate --print`."""

    throngctl = None

    def written(self, source):
        """Converts, writes the YAML and (with --throngctl) loads it back as a job spec."""
        from locust2throng import yaml_out
        document, warnings = convert(HEADER + textwrap.dedent(source))
        text = yaml_out.dump(document, ["test"])
        if self.throngctl:
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                f.write(text)
            result = subprocess.run([self.throngctl, "validate", f.name, "--print"],
                                    capture_output=True, text=True, timeout=30)
            os.unlink(f.name)
            self.assertEqual(result.returncode, 0, result.stderr + "\n" + text)
            json.loads(result.stdout)
        return document, warnings
