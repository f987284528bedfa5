"""Assignments and list operations of a task body: values taken from responses (extract), per-user
lists (append, remove, pick, pop) and local bindings. Mixed into flow.Flow."""

import ast

from . import requests_map
from .values import (JsonOf, ListRef, Mapping, ResponseOf, Sequence, Str, Typed, Untranslatable,
                     evaluate, is_call_to, safe_name)


class AssignmentsMixin:
    """Needs self.scope, self.user and self.request_step (see flow.Flow)."""

    def scope_json(self, node):
        """A JsonOf for response.json()[...] or a name bound to one, else None."""
        bound = self.scope.lookup(node)
        if isinstance(bound, JsonOf):
            return bound
        for name, value in list(self.scope.locals.items()):
            if isinstance(value, ResponseOf):
                pointer = requests_map.json_pointer(name, node)
                if pointer is not None:
                    return JsonOf(value.request, pointer)
            if isinstance(value, JsonOf):
                pointer = _subscript_pointer(name, node)
                if pointer is not None:
                    return JsonOf(value.request, value.pointer + pointer)
        return None

    def variable_of(self, node):
        value = evaluate(self.scope, node)
        template = getattr(value, "template", getattr(value, "json_text", ""))
        if template.startswith("{{") and template.endswith("}}") and template.count("{{") == 1:
            return template[2:-2]
        raise Untranslatable("a value that is not a variable")

    def list_call(self, target_list, method, call):
        if method == "append" and call.args:
            source = self.scope_json(call.args[0])
            if source is not None:
                source.request.setdefault("extract", []).append(
                    {"var": target_list.name, "json_pointer": source.pointer or "",
                     "action": "append"})
                return []
            raise Untranslatable("appending a value that is not taken from a response's JSON")
        if method == "remove" and call.args:
            return [{"list": {"list": target_list.name, "op": "remove",
                              "var": self.variable_of(call.args[0])}}]
        if method == "clear":
            return [{"list": {"list": target_list.name, "op": "clear"}}]
        raise Untranslatable(f"the list operation {method}()")

    def assign(self, target, value, node):
        found = requests_map.client_call(self.scope, value)
        if found is not None:
            step, request = self.request_step(*found)
            if isinstance(target, ast.Name):
                self.scope.locals[target.id] = ResponseOf(request)
            return [step]
        json_source = self.scope_json(value)
        if json_source is None and isinstance(value, ast.Call) and _is_json_call(value):
            response = self.scope.lookup(value.func.value)
            if isinstance(response, ResponseOf):
                self.scope.bind(target, JsonOf(response.request, ""))
                return []
        if json_source is not None:
            return self.assign_from_json(target, json_source)
        if isinstance(value, (ast.List, ast.Tuple)) and not value.elts:
            return self.assign_empty_list(target)
        if is_call_to(value, "random.choice", "choice") and value.args:
            return self.assign_choice(target, value.args[0])
        picked = self.list_element(value)
        if picked is not None:
            return self.assign_list_element(target, picked)
        evaluated = evaluate(self.scope, value)
        return self.assign_value(target, evaluated)

    def assign_from_json(self, target, source):
        if not source.pointer:
            self.scope.bind(target, source)
            return []
        var = safe_name(_target_name(target))
        source.request.setdefault("extract", []).append(
            {"var": var, "json_pointer": source.pointer})
        self.user.extracted.append(var)
        self.scope.bind(target, Str("{{" + var + "}}"))
        return []

    def assign_empty_list(self, target):
        if isinstance(target, ast.Name):
            name = safe_name(self.user.name + "_" + target.id)
            self.scope.bind(target, ListRef(name, local=True))
            return [{"list": {"list": name, "op": "clear"}}]
        self.scope.bind(target, ListRef(safe_name(target.attr)))
        return []  # a user's own list starts empty

    def assign_choice(self, target, options_node):
        var = safe_name(_target_name(target))
        options_list = self.list_of(options_node)
        if options_list is not None:
            self.scope.bind(target, Str("{{" + var + "}}"))
            return [{"list": {"list": options_list.name, "op": "pick_random", "var": var}}]
        options = evaluate(self.scope, options_node)
        if not isinstance(options, Sequence) or len(options.items) < 2:
            raise Untranslatable("random.choice over something that is not a literal list")
        self.scope.bind(target, self.scope.draw_choice(options.items))
        return []

    def list_element(self, node):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, (ast.Constant, ast.UnaryOp)):
            return self.list_of(node.value)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "pop" and not node.args):
            return self.list_of(node.func.value)
        return None

    def assign_list_element(self, target, picked):
        var = safe_name(_target_name(target))
        self.scope.bind(target, Str("{{" + var + "}}"))
        # The scenario's lists give their last element (pop) or a random one: a task-local list's
        # element is taken with pop (which element does not change the load).
        return [{"list": {"list": picked.name, "op": "pop", "var": var}}]

    def assign_value(self, target, value):
        if isinstance(value, (Mapping, Sequence)):
            self.scope.bind(target, value)
            return []
        text = value.template if isinstance(value, Str) else value.json_text
        if "{{randint:" in text or "{{uuid}}" in text:  # one random draw, however often used
            var = safe_name(_target_name(target))
            self.scope.bind(target, Typed("{{" + var + "}}") if isinstance(value, Typed)
                            else Str("{{" + var + "}}"))
            return [{"set": {"values": {var: text}}}]
        if (isinstance(target, ast.Attribute) and isinstance(value, Str)
                and "{{" in text):  # self.x = f"...{token}": a user variable the next tasks see
            var = safe_name(target.attr)
            self.scope.bind(target, Str("{{" + var + "}}"))
            return [{"set": {"values": {var: text}}}]
        self.scope.bind(target, value)
        return []


def _subscript_pointer(name, node):
    parts = []
    while isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        parts.append(str(node.slice.value))
        node = node.value
    if isinstance(node, ast.Name) and node.id == name and parts:
        return "".join("/" + p for p in reversed(parts))
    return None


def _is_json_call(node):
    return isinstance(node.func, ast.Attribute) and node.func.attr == "json" and not node.args


def _target_name(target):
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    raise Untranslatable("an assignment to " + ast.unparse(target))
