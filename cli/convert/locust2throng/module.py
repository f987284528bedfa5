"""A locustfile module: its classes, functions, constants and environment variables, and the
scenario document built from them."""

import ast
import os
import re

from .users import TASKSET_BASES, USER_BASES, UserConverter
from .values import Mapping, Scope, Str, Typed, Untranslatable, evaluate, to_plain
from .yaml_out import Comment, EnvReference

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
SHAPE_BASES = ("LoadTestShape",)


class Module:
    """One parsed locustfile. `warnings` collects (line, message) for every TODO."""

    def __init__(self, source, filename):
        self.filename = filename
        self.tree = ast.parse(source, filename)
        self.warnings = []
        self.env_variables = {}
        self.classes = {n.name: n for n in self.tree.body if isinstance(n, ast.ClassDef)}
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.constants = {}
        self.module_todos = []
        self._read_constants()

    # ---- diagnostics --------------------------------------------------------------------------

    def warn(self, line, message):
        self.warnings.append((line, message))

    def todo_text(self, node, reason):
        line = getattr(node, "lineno", 0)
        self.warn(line, reason)
        return f"TODO(convert): line {line}: {reason}"

    # ---- symbols ------------------------------------------------------------------------------

    def add_env_variable(self, env_name, default):
        """Registers a job variable filled from environment variable `env_name` when throngctl
        loads the file; returns the variable's name."""
        var = re.sub(r"[^a-z0-9_]", "_", env_name.lower())
        if default is not None and ("}" in default or "\n" in default):
            raise Untranslatable("an environment variable default with '}' or a newline")
        self.env_variables[var] = "${" + env_name + ":-" + (default or "") + "}"
        return var

    def _read_constants(self):
        scope = Scope(self, {})
        for node in self.tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)):
                try:
                    value = evaluate(scope, node.value)
                except Untranslatable:
                    continue  # not a value the flows can use; reported where it is used
                # A random draw must stay per use, not become one shared value.
                random = isinstance(value, (Str, Typed)) and any(
                    f in _text(value) for f in ("{{randint", "{{uuid", "{{choice"))
                if isinstance(value, (Mapping, Str, Typed)) and not random:
                    self.constants[node.targets[0].id] = value

    def base_names(self, node):
        names = []
        for base in node.bases:
            text = ast.unparse(base)
            names.append(text.split(".")[-1])
        return names

    def is_kind(self, node, kind, depth=0):
        if depth > 10:
            return False
        for base in self.base_names(node):
            if base == kind or (base in self.classes
                                and self.is_kind(self.classes[base], kind, depth + 1)):
                return True
        return False

    def kind_of(self, node):
        if any(self.is_kind(node, base) for base in USER_BASES):
            return "user"
        if any(self.is_kind(node, base) for base in TASKSET_BASES):
            return "taskset"
        if any(self.is_kind(node, base) for base in SHAPE_BASES):
            return "shape"
        return None

    def lineage(self, node, depth=0):
        """The class and its bases defined in this file, nearest first."""
        chain = [node]
        for base in self.base_names(node):
            if base in self.classes and depth < 10:
                chain += self.lineage(self.classes[base], depth + 1)
        return chain

    def methods_of(self, node):
        methods = {}
        for owner in reversed(self.lineage(node)):
            for item in owner.body:
                if isinstance(item, ast.FunctionDef):
                    methods[item.name] = item
        return methods

    def owner_of(self, function):
        """The class (at any depth) whose body defines `function`, or None."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ClassDef) and function in node.body:
                return node
        return None

    def class_assignments(self, node):
        values = {}
        for owner in reversed(self.lineage(node)):
            for item in owner.body:
                if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(
                        item.targets[0], ast.Name):
                    values[item.targets[0].id] = item.value
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    values[item.target.id] = item.value
        return values

    def class_attribute(self, node, name):
        return self.class_assignments(node).get(name)

    # ---- the document -------------------------------------------------------------------------

    def users(self):
        found = []
        for node in self.classes.values():
            if self.kind_of(node) != "user":
                continue
            abstract = next((item.value for item in node.body if isinstance(item, ast.Assign)
                             and ast.unparse(item.targets[0]) == "abstract"), None)
            if isinstance(abstract, ast.Constant) and abstract.value is True:
                continue
            found.append(node)
        return found

    def document(self, name):
        users = self.users()
        if not users:
            raise Untranslatable("no HttpUser or FastHttpUser class")
        user_classes = []
        hosts = []
        for node in users:
            try:
                user_classes.append(UserConverter(self, node).convert())
            except Untranslatable as error:
                user_classes.append(Comment(self.todo_text(node, f"class {node.name}: {error}")))
            host = self.class_attribute(node, "host")
            if host is not None:
                hosts.append((node, host))
        document = {"name": name, "base_url": self.base_url(hosts)}
        if self.env_variables:
            document["variables"] = {k: EnvReference(v) for k, v in self.env_variables.items()}
        for todo in self.event_listener_todos():
            document[f"events_todo_{len(document)}"] = todo
        document["user_classes"] = user_classes
        document.update(self.load())
        return document

    def event_listener_todos(self):
        todos = []
        for function in self.functions.values():
            for decorator in function.decorator_list:
                text = ast.unparse(decorator)
                if text.startswith("events.") and text.endswith(".add_listener"):
                    hint = (" (write it as the scenario's setup/teardown steps)"
                            if ".test_start." in text or ".test_stop." in text else "")
                    todos.append(Comment(self.todo_text(
                        function, f"the event listener {function.name} ({text[:-13]}) is not "
                        f"translated{hint}")))
        return todos

    def base_url(self, hosts):
        values = []
        for node, host in hosts:
            try:
                values.append(to_plain(evaluate(Scope(self, {}), host)))
            except Untranslatable as error:
                self.warn(node.lineno, f"host of {node.name}: {error}")
        distinct = sorted(set(v for v in values if isinstance(v, str) and v))
        if len(distinct) > 1:
            self.warn(hosts[0][0].lineno, "user classes with different hosts: the scenario has "
                      f"one base_url ({distinct[0]} kept; the others: {', '.join(distinct[1:])})")
        if not distinct:
            return DEFAULT_BASE_URL
        env = re.fullmatch(r"\{\{([a-z0-9_]+)\}\}", distinct[0])
        if env and env.group(1) in self.env_variables:  # host = os.getenv("HOST", "...")
            return EnvReference(self.env_variables.pop(env.group(1)))
        return distinct[0]

    def load(self):
        shapes = [n for n in self.classes.values() if self.kind_of(n) == "shape"]
        if not shapes:
            return {"load_comment": Comment(
                        "Locust takes the load on its command line; give the same flags to "
                        "throngctl run: -u USERS -r SPAWN_RATE -t RUN_TIME"),
                    "load": {"closed": {"users": 1, "spawn_rate": 1}, "duration": "1m"}}
        shape = shapes[0]
        stages_node = self.class_attribute(shape, "stages")
        if stages_node is None:
            return {"load_comment": Comment(self.todo_text(
                        shape, f"LoadTestShape {shape.name} computes its shape in tick(); "
                        "write its stages as load.closed.stages")),
                    "load": {"closed": {"users": 1, "spawn_rate": 1}, "duration": "1m"}}
        return {"load": {"closed": {"stages": self.stages(shape, stages_node)}}}

    def stages(self, shape, node):
        from .requests_map import seconds_text
        try:
            stages = to_plain(evaluate(Scope(self, {}), node))
        except Untranslatable as error:
            raise Untranslatable(f"the stages of {shape.name}: {error}")
        result = []
        previous_end = 0
        for stage in stages:
            # Locust's stage "duration" is the time since the start at which the stage ends.
            end = stage.get("duration", 0)
            entry = {"duration": seconds_text(max(end - previous_end, 0)),
                     "users": int(stage.get("users", 0))}
            if stage.get("spawn_rate"):
                entry["spawn_rate"] = stage["spawn_rate"]
            result.append(entry)
            previous_end = end
        return result


def _text(value):
    return value.template if isinstance(value, Str) else value.json_text


def convert_source(source, filename):
    """(YAML text, warnings) of a locustfile's source."""
    module = Module(source, filename)
    name = re.sub(r"[^A-Za-z0-9_-]", "-", os.path.splitext(os.path.basename(filename))[0])
    document = module.document(name or "converted")
    return document, module.warnings
