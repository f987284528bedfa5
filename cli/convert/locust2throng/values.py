"""Python expressions -> scenario values: templates ("{{var}}", "{{randint:1:9}}"), literals,
and typed placeholders for JSON bodies.

A `Value` is one of:
  Str(template)        a string template
  Typed(json_text)     a JSON scalar (number, bool, null) as text, possibly a placeholder
  Mapping({k: Value})  a dict literal
  Sequence([Value])    a list literal
Bindings of names (locals and self attributes) live in `Scope`; the flow translator adds to it.
"""

import ast
import json
import re

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


class Untranslatable(Exception):
    """An expression or statement with no scenario equivalent; the message says what it is."""


class Str:
    def __init__(self, template):
        self.template = template


class Typed:
    def __init__(self, json_text):
        self.json_text = json_text


class Mapping:
    def __init__(self, items):
        self.items = items


class Sequence:
    def __init__(self, items):
        self.items = items


# Bindings that are not plain values.
class ResponseOf:
    """A name bound to the response of a request step (the request dict is still mutable)."""

    def __init__(self, request):
        self.request = request


class JsonOf:
    """response.json() or a part of it: extraction source `pointer` of `request`."""

    def __init__(self, request, pointer):
        self.request = request
        self.pointer = pointer


class ListRef:
    """A per-user list of the scenario (self.ids = [] or a task-local list)."""

    def __init__(self, name, local=False):
        self.name = name
        self.local = local


def safe_name(text):
    return _SAFE_NAME.sub("_", text).strip("_") or "value"


def escape_literal(text):
    """A literal string as template text: "{{" is written "{{{{"."""
    return text.replace("{{", "{{{{")


def is_call_to(node, *dotted):
    return isinstance(node, ast.Call) and dotted_name(node.func) in dotted


def dotted_name(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def literal_json(value):
    return json.dumps(value)


class Scope:
    """Name bindings visible to a flow: task locals over the user's self attributes.

    `env_var(name, default)` registers a job variable for an environment variable and returns its
    template; `self_name` is the method's first parameter ("self", or "user" for plain functions).
    """

    def __init__(self, module, self_attrs, self_name="self"):
        self.module = module
        self.self_attrs = self_attrs
        self.locals = {}
        self.self_name = self_name
        # Steps an expression needs before the statement that uses it (a random.choice draw).
        self.pre_steps = []
        # Set by the flow: node -> Str of a value taken from a response's JSON, or None.
        self.json_value = lambda node: None
        self._draws = 0
        self._elements = {}

    def list_element(self, list_ref, index):
        """A variable holding element `index` of a per-user list, taken (with pop) on first use;
        the same element is reused after that."""
        key = (list_ref.name, index)
        if key not in self._elements:
            var = safe_name(f"{list_ref.name}_{index}".replace("-", "last"))
            self._elements[key] = var
            self.pre_steps.append({"list": {"list": list_ref.name, "op": "pop", "var": var}})
        return Str("{{" + self._elements[key] + "}}")

    def draw_choice(self, options):
        """A variable set by a `choice` step to one of `options` (Values); returns its Value."""
        typed = any(isinstance(option, Typed) for option in options)
        self._draws += 1
        var = f"choice_{self._draws}"
        branches = []
        for option in options:
            if isinstance(option, Typed):
                text = option.json_text
            elif isinstance(option, Str):
                text = json.dumps(option.template, ensure_ascii=False) if typed else option.template
            else:
                raise Untranslatable("random.choice over dicts or lists")
            branches.append({"steps": [{"set": {"values": {var: text}}}]})
        self.pre_steps.append({"choice": {"branches": branches}})
        placeholder = "{{" + var + "}}"
        return Typed(placeholder) if typed else Str(placeholder)

    def lookup(self, node):
        if isinstance(node, ast.Name):
            if node.id in self.locals:
                return self.locals[node.id]
            if node.id in self.module.constants:
                return self.module.constants[node.id]
            return None
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == self.self_name):
            return self.self_attrs.get(node.attr)
        return None

    def bind(self, target, value):
        if isinstance(target, ast.Name):
            self.locals[target.id] = value
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id == self.self_name):
            self.self_attrs[target.attr] = value
        else:
            raise Untranslatable("assignment to " + ast.unparse(target))


def env_reference(module, node):
    """os.getenv("X", "d") / os.environ.get("X", "d") / os.environ["X"] -> Str("{{x}}"), or None."""
    name_node, default_node = None, None
    if is_call_to(node, "os.getenv", "getenv", "os.environ.get", "environ.get"):
        if not node.args:
            return None
        name_node = node.args[0]
        default_node = node.args[1] if len(node.args) > 1 else None
    elif isinstance(node, ast.Subscript) and dotted_name(node.value) in ("os.environ", "environ"):
        name_node = node.slice
    else:
        return None
    if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
        raise Untranslatable("an environment variable whose name is not a constant")
    default = None
    if default_node is not None:
        if not isinstance(default_node, ast.Constant):
            raise Untranslatable("an environment variable default that is not a constant")
        default = "" if default_node.value is None else str(default_node.value)
    return Str("{{" + module.add_env_variable(name_node.value, default) + "}}")


def evaluate(scope, node):
    """The Value of expression `node`; raises Untranslatable."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return Str(escape_literal(node.value))
        if node.value is None or isinstance(node.value, (bool, int, float)):
            return Typed(literal_json(node.value))
        raise Untranslatable(f"the constant {node.value!r}")
    from_json = scope.json_value(node)
    if from_json is not None:
        return from_json
    env = env_reference(scope.module, node)
    if env is not None:
        return env
    bound = scope.lookup(node)
    if bound is not None:
        if isinstance(bound, (Str, Typed, Mapping, Sequence)):
            return bound
        raise Untranslatable(f"{ast.unparse(node)} used as a value")
    if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
            and isinstance(scope.lookup(node.value), Mapping)):  # CONFIG["key"]
        items = scope.lookup(node.value).items
        if node.slice.value in items:
            return items[node.slice.value]
    if isinstance(node, ast.Subscript) and isinstance(scope.lookup(node.value), ListRef):
        return scope.list_element(scope.lookup(node.value), _int_constant(node.slice))
    if isinstance(node, ast.JoinedStr):
        return Str("".join(_fstring_part(scope, part) for part in node.values))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = evaluate(scope, node.left), evaluate(scope, node.right)
        if isinstance(left, Str) and isinstance(right, Str):
            return Str(left.template + right.template)
        raise Untranslatable(f"arithmetic {ast.unparse(node)}")
    if isinstance(node, ast.Dict):
        items = {}
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise Untranslatable("a dict key that is not a constant string")
            items[key.value] = evaluate(scope, value)
        return Mapping(items)
    if isinstance(node, (ast.List, ast.Tuple)):
        return Sequence([evaluate(scope, item) for item in node.elts])
    if is_call_to(node, "random.randint", "randint"):
        low, high = (_int_constant(arg) for arg in node.args[:2])
        return Typed("{{randint:%d:%d}}" % (low, high))
    if is_call_to(node, "random.choice", "choice") and node.args:
        options = evaluate(scope, node.args[0])
        if not isinstance(options, Sequence) or len(options.items) < 2:
            raise Untranslatable("random.choice over something that is not a literal list")
        return scope.draw_choice(options.items)
    if is_call_to(node, "uuid.uuid4", "uuid4"):
        return Str("{{uuid}}")
    if is_call_to(node, "str") and len(node.args) == 1:
        inner = evaluate(scope, node.args[0])
        return Str(inner.json_text) if isinstance(inner, Typed) else inner
    if is_call_to(node, "int") and len(node.args) == 1:
        inner = evaluate(scope, node.args[0])
        return Typed(inner.template) if isinstance(inner, Str) else inner
    raise Untranslatable(f"the expression {ast.unparse(node)}")


def _int_constant(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_int_constant(node.operand)
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Pow)):
        left, right = _int_constant(node.left), _int_constant(node.right)
        if isinstance(node.op, ast.Pow) and (right > 64 or abs(left) > 10**6):
            raise Untranslatable("a constant too large")
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(
            type(node.op)) if not isinstance(node.op, ast.Pow) else left ** right
    raise Untranslatable(f"random.randint with a bound that is not a constant: {ast.unparse(node)}")


def _fstring_part(scope, part):
    if isinstance(part, ast.Constant):
        return escape_literal(str(part.value))
    if isinstance(part, ast.FormattedValue):
        if part.format_spec is not None:
            raise Untranslatable("an f-string format spec")
        return as_template(evaluate(scope, part.value))
    raise Untranslatable("an f-string part")


def as_template(value):
    """A Value as string template text (for paths, headers, form fields, query parameters)."""
    if isinstance(value, Str):
        return value.template
    if isinstance(value, Typed):
        # requests sends Python's str(): True -> "True".
        return {"true": "True", "false": "False", "null": "None"}.get(value.json_text,
                                                                      value.json_text)
    raise Untranslatable("a dict or list where a string is needed")


def is_static(value):
    """True when the value holds no typed placeholder (so it can be written as YAML JSON)."""
    if isinstance(value, Typed):
        return "{{" not in value.json_text
    if isinstance(value, Mapping):
        return all(is_static(v) for v in value.items.values())
    if isinstance(value, Sequence):
        return all(is_static(v) for v in value.items)
    return True


def to_plain(value):
    """A static Value as plain Python data (strings stay templates)."""
    if isinstance(value, Str):
        return value.template
    if isinstance(value, Typed):
        return json.loads(value.json_text)
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items.items()}
    return [to_plain(v) for v in value.items]


def to_json_template(value):
    """JSON text of a Value whose typed placeholders stay unquoted (a raw JSON body template)."""
    if isinstance(value, Str):
        return json.dumps(value.template, ensure_ascii=False)
    if isinstance(value, Typed):
        return value.json_text
    if isinstance(value, Mapping):
        return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + to_json_template(v)
                               for k, v in value.items.items()) + "}"
    return "[" + ", ".join(to_json_template(v) for v in value.items) + "]"


def string_map(value, what):
    """A Mapping of string templates (headers, params, form data)."""
    if not isinstance(value, Mapping):
        raise Untranslatable(f"{what} that is not a dict")
    return {k: as_template(v) for k, v in value.items.items()}
