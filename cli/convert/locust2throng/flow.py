"""Task bodies (Python statements) -> scenario steps.

Each statement becomes steps, or a `# TODO(convert)` comment plus a warning naming its line when
it has no equivalent; nothing is dropped silently (print/logging calls and docstrings, which send
nothing, are the only statements left out).
"""

import ast

from . import requests_map
from .flow_assign import AssignmentsMixin
from .values import (ListRef, ResponseOf, Str, Typed, Untranslatable,
                     dotted_name, evaluate, is_call_to, safe_name)
from .yaml_out import Comment

_QUIET_CALLS = ("print", "logging.info", "logging.debug", "logging.warning", "logging.error",
                "logger.info", "logger.debug", "logger.warning", "logger.error", "log.info")
MAX_INLINE_DEPTH = 5


class Flow(AssignmentsMixin):
    """Translates the statements of one method (task, on_start, on_stop) of one user class.

    `user` carries what the class's methods share: methods to inline, session headers set with
    self.client.headers, and the self attribute bindings (in `scope.self_attrs`).
    """

    def __init__(self, module, user, scope, depth=0):
        self.module = module
        self.user = user
        self.scope = scope
        self.depth = depth
        scope.json_value = self._json_value

    def _json_value(self, node):
        """A value taken from a response inside an expression ("Bearer " + r.json()["token"])."""
        if not isinstance(node, (ast.Subscript, ast.Call)):
            return None
        source = self.scope_json(node)
        if source is None or not source.pointer:
            return None
        var = safe_name(source.pointer.rsplit("/", 1)[-1])
        source.request.setdefault("extract", []).append({"var": var, "json_pointer": source.pointer})
        self.user.extracted.append(var)
        return Str("{{" + var + "}}")

    # ---- helpers ------------------------------------------------------------------------------

    def todo(self, node, reason):
        line = getattr(node, "lineno", 0)
        self.module.warn(line, reason)
        source = ast.unparse(node).splitlines()[0] if isinstance(node, ast.AST) else ""
        return Comment(f"TODO(convert): line {line}: {reason}: {source}"[:300])

    def list_of(self, node):
        bound = self.scope.lookup(node)
        return bound if isinstance(bound, ListRef) else None

    # ---- blocks -------------------------------------------------------------------------------

    def block(self, statements):
        steps = []
        for index, statement in enumerate(statements):
            guard = self._empty_list_guard(statement)
            if guard is not None:
                rest = statements[index + 1:]
                steps.extend(self._guarded(guard, rest))
                return steps
            try:
                translated = self.statement(statement)
                steps.extend(self.scope.pre_steps)
                steps.extend(translated)
            except Untranslatable as error:
                steps.append(self.todo(statement, str(error)))
            self.scope.pre_steps = []
        return steps

    def _empty_list_guard(self, statement):
        """The list of `if not self.L: return` (or len(L) == 0), else None."""
        if not (isinstance(statement, ast.If) and not statement.orelse
                and len(statement.body) == 1 and isinstance(statement.body[0], ast.Return)):
            return None
        test = statement.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.list_of(test.operand)
        if (isinstance(test, ast.Compare) and is_call_to(test.left, "len")
                and isinstance(test.ops[0], ast.Eq) and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value == 0):
            return self.list_of(test.left.args[0])
        return None

    def _guarded(self, guard_list, statements):
        """Steps of `statements`, skipped when `guard_list` is empty."""
        steps = []
        first = statements[0] if statements else None
        picked = self._pick_target(first, guard_list)
        if picked is not None:  # x = random.choice(self.L) right after the guard
            var = safe_name(picked.id)
            self.scope.bind(picked, Str("{{" + var + "}}"))
            steps.append({"list": {"list": guard_list.name, "op": "pick_random", "var": var}})
            statements = statements[1:]
        else:
            var = safe_name(guard_list.name + "_any")
            steps.append({"list": {"list": guard_list.name, "op": "pick_random", "var": var}})
        steps.extend(skip_when_empty(var, self.block(statements)))
        return steps

    def _pick_target(self, statement, guard_list):
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and is_call_to(statement.value, "random.choice", "choice")
                and statement.value.args):
            picked_list = self.list_of(statement.value.args[0])
            if picked_list is not None and picked_list.name == guard_list.name:
                return statement.targets[0]
        return None

    # ---- statements ---------------------------------------------------------------------------

    def statement(self, node):
        if isinstance(node, ast.Expr):
            return self.expression_statement(node)
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1:
                raise Untranslatable("a chained assignment")
            return self.assign(node.targets[0], node.value, node)
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            return self.assign(node.target, node.value, node)
        if isinstance(node, ast.With):
            return self.with_block(node)
        if isinstance(node, ast.If):
            return self.if_block(node)
        if isinstance(node, ast.For):
            return self.for_loop(node)
        if isinstance(node, ast.Try):
            return self.try_block(node)
        if isinstance(node, ast.Pass):
            return []
        if isinstance(node, ast.Return) and node.value is None:
            return []
        raise Untranslatable(f"a {type(node).__name__} statement")

    def expression_statement(self, node):
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return []  # a docstring
        if isinstance(value, ast.Call) and dotted_name(value.func) in _QUIET_CALLS:
            return []
        found = requests_map.client_call(self.scope, value)
        if found is not None:
            return [self.request_step(*found)[0]]
        if is_call_to(value, "time.sleep", "sleep", "gevent.sleep"):
            if is_call_to(value.args[0], "random.uniform", "uniform"):
                low, high = (evaluate(self.scope, a) for a in value.args[0].args[:2])
                seconds = requests_map.seconds_text
                return [{"think": {"between": {"min": seconds(float(low.json_text)),
                                               "max": seconds(float(high.json_text))}}}]
            seconds = evaluate(self.scope, value.args[0])
            if not isinstance(seconds, Typed) or "{{" in seconds.json_text:
                raise Untranslatable("a sleep that is not a constant")
            return [{"think": {"constant": requests_map.seconds_text(float(seconds.json_text))}}]
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            return self.method_call(value)
        raise Untranslatable("an expression statement")

    def method_call(self, call):
        func = call.func
        owner = dotted_name(func.value)
        if owner == self.scope.self_name + ".client.headers" and func.attr == "update":
            self.user.session_headers.update(
                requests_map.string_map(evaluate(self.scope, call.args[0]), "headers"))
            return []
        target_list = self.list_of(func.value)
        if target_list is not None:
            return self.list_call(target_list, func.attr, call)
        if owner == self.scope.self_name and func.attr in self.user.methods:
            return self.inline(self.user.methods[func.attr], call)
        raise Untranslatable(f"the call {ast.unparse(func)}()")

    def inline(self, method, call):
        if self.depth >= MAX_INLINE_DEPTH:
            raise Untranslatable("helper methods nested too deeply")
        if call.args or call.keywords:
            raise Untranslatable("a helper method called with arguments")
        inner = Flow(self.module, self.user, self.scope, self.depth + 1)
        return inner.block(method.body)

    # ---- requests -----------------------------------------------------------------------------

    def request_step(self, method, call):
        request = requests_map.build_request(self.scope, method, call, self.user.session_headers)
        return {"request": request}, request

    def with_block(self, node):
        if len(node.items) != 1:
            raise Untranslatable("a with statement over several contexts")
        item = node.items[0]
        found = requests_map.client_call(self.scope, item.context_expr)
        if found is None:
            raise Untranslatable("a with statement that is not a request")
        step, request = self.request_step(*found)
        steps = [step]
        name = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
        if name is None:
            return steps + self.block(node.body)
        self.scope.locals[name] = ResponseOf(request)
        catch = requests_map.keyword(found[1], "catch_response")
        if not (isinstance(catch, ast.Constant) and catch.value is True):
            return steps + self.block(node.body)
        result = requests_map.analyse_catch(name, node.body)
        requests_map.add_expectations(request, result)
        for condition in result.untranslated:
            steps.append(self.todo(node, f"a catch_response check ({condition})"))
        steps.extend(self.block(result.follow_up))
        return steps

    # ---- control flow -------------------------------------------------------------------------

    def if_block(self, node):
        guard_list = self._nonempty_test(node.test)
        if guard_list is not None:
            steps = []
            var = safe_name(guard_list.name + "_any")
            element = self._element_used(node.body, guard_list)
            if element is not None:  # if L: ... L[0] ...: the element itself is the guard
                var = self.variable_of(element)
                steps.extend(self.scope.pre_steps)
                self.scope.pre_steps = []
                body = skip_when_empty(var, self.block(node.body))
            elif not _picks_from(node.body, guard_list, self):
                steps.append({"list": {"list": guard_list.name, "op": "pick_random", "var": var}})
                body = skip_when_empty(var, self.block(node.body))
            else:
                body = self._guarded(guard_list, node.body)
            steps.extend(body)
            if node.orelse:
                steps.append(self.todo(node.orelse[0], "the else branch of a list check"))
            return steps
        response_name = _response_status_test(node.test, self.scope)
        if response_name is not None:  # if r.status_code == 201: ... (extractions only happen then)
            # The body runs whatever the status; a value it takes from the response is only there
            # on success, so the steps after it are skipped without it.
            before = len(self.user.extracted)
            steps = self.block(node.body)
            if node.orelse:
                steps.append(self.todo(node.orelse[0], "the else branch of a status check"))
            new_vars = self.user.extracted[before:]
            return skip_when_empty(new_vars[0], steps) if new_vars and steps else steps
        chance = _random_chance(node.test)
        if chance is not None:  # if random.random() < 0.5: A else: B
            percent = max(0, min(100, round(chance * 100)))
            return [{"choice": {"branches": [
                {"weight": percent, "steps": self.block(node.body)},
                {"weight": 100 - percent, "steps": self.block(node.orelse)}]}}]
        removal = _membership_removal(node, self)
        if removal is not None:
            return removal
        raise Untranslatable("a condition the scenario cannot evaluate")

    def _element_used(self, body, guard_list):
        for statement in body:
            for node in ast.walk(statement):
                if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                        and self.list_of(node.value) is guard_list):
                    return node
        return None

    def _nonempty_test(self, test):
        if isinstance(test, ast.Compare) and is_call_to(test.left, "len"):
            if isinstance(test.ops[0], (ast.Gt, ast.NotEq)) and getattr(
                    test.comparators[0], "value", None) == 0:
                return self.list_of(test.left.args[0])
        return self.list_of(test)

    def for_loop(self, node):
        if node.orelse or not is_call_to(node.iter, "range") or len(node.iter.args) != 1:
            raise Untranslatable("a for loop that is not `for i in range(N)`")
        count = node.iter.args[0]
        if not (isinstance(count, ast.Constant) and isinstance(count.value, int)):
            raise Untranslatable("a loop count that is not a constant")
        if isinstance(node.target, ast.Name):
            self.scope.locals[node.target.id] = Typed("{{repeat_index}}")
        return [{"repeat": {"count": count.value, "steps": self.block(node.body)}}]

    def try_block(self, node):
        steps = self.block(node.body + node.orelse + node.finalbody)
        for handler in node.handlers:
            if not all(isinstance(s, ast.Pass) for s in handler.body):
                steps.append(self.todo(handler, "an exception handler"))
        return steps


def skip_when_empty(var, steps):
    """Marks `steps` to be skipped when `var` is empty; steps with a guard of their own are wrapped
    in a one-pass repeat that carries this guard."""
    if any(isinstance(s, dict) and "skip_if_empty" in s for s in steps):
        return [{"skip_if_empty": var, "repeat": {"count": 1, "steps": steps}}]
    return [dict({"skip_if_empty": var}, **s) if isinstance(s, dict) else s for s in steps]


def _response_status_test(test, scope):
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and node.attr in ("status_code", "ok"):
            if isinstance(scope.lookup(node.value), ResponseOf):
                return node.value
    return None


def _random_chance(test):
    """P for `random.random() < P` (or <=), else None."""
    if (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.Lt, ast.LtE)) and is_call_to(test.left, "random.random")
            and isinstance(test.comparators[0], ast.Constant)
            and isinstance(test.comparators[0].value, (int, float))):
        return float(test.comparators[0].value)
    return None


def _picks_from(body, guard_list, flow):
    return bool(body) and flow._pick_target(body[0], guard_list) is not None


def _membership_removal(node, flow):
    """`if x in self.L: self.L.remove(x)` -> the remove alone (it is a no-op when absent)."""
    if (isinstance(node.test, ast.Compare) and isinstance(node.test.ops[0], ast.In)
            and not node.orelse and len(node.body) == 1):
        target_list = flow.list_of(node.test.comparators[0])
        if target_list is not None:
            return flow.block(node.body)
    return None
