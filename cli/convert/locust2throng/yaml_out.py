"""A small YAML writer for the scenario: block mappings and lists, JSON-quoted strings, and
`Comment` entries that become `# ...` lines at their place (the converter's TODOs)."""

import json
import re


class Comment:
    """A comment line in a list or mapping (a key whose value is a Comment is written as one)."""

    def __init__(self, text):
        self.text = text


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _key(key):
    return key if _PLAIN_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _scalar(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    # The loader substitutes ${NAME} before parsing YAML; "$${" is its literal "${".
    text = str(value)
    if not getattr(value, "env_reference", False):
        text = text.replace("${", "$${")
    return json.dumps(text, ensure_ascii=False)


class EnvReference(str):
    """A string the loader must substitute (${NAME:-default}); written without escaping."""

    env_reference = True


def _comment_lines(comment, indent):
    return [" " * indent + "# " + line for line in comment.text.splitlines() or [""]]


def _is_scalar_list(value):
    return isinstance(value, list) and value and not any(
        isinstance(v, (dict, list, Comment)) for v in value)


def _is_collection(value):
    return isinstance(value, (dict, list)) and len(value) > 0


def _write(value, indent, lines):
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, Comment):
                lines.extend(_comment_lines(item, indent))
            elif _is_scalar_list(item):
                lines.append(f"{pad}{_key(key)}: [" + ", ".join(_scalar(v) for v in item) + "]")
            elif _is_collection(item):
                lines.append(f"{pad}{_key(key)}:")
                _write(item, indent + (2 if isinstance(item, dict) else 0), lines)
            else:
                lines.append(f"{pad}{_key(key)}: {_empty_or_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Comment):
                lines.extend(_comment_lines(item, indent))
            elif _is_collection(item):
                nested = []
                _write(item, indent + 2, nested)
                # The first real line of the item goes on the "- " line.
                first = next(i for i, line in enumerate(nested) if not line.lstrip().startswith("#"))
                lines.extend(nested[:first])
                lines.append(pad + "- " + nested[first][indent + 2:])
                lines.extend(nested[first + 1:])
            else:
                lines.append(f"{pad}- {_empty_or_scalar(item)}")


def _empty_or_scalar(value):
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump(document, header_comments=()):
    """The YAML text of `document` (a dict), preceded by `header_comments` lines."""
    lines = ["# " + line if line else "#" for line in header_comments]
    _write(document, 0, lines)
    return "\n".join(lines) + "\n"
