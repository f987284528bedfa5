"""self.client.get/post/... calls -> request steps, and catch_response blocks -> expectations."""

import ast

from .values import (Mapping, Untranslatable, as_template, dotted_name, evaluate,
                     is_static, string_map, to_json_template, to_plain)

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_IGNORED_KEYWORDS = ("catch_response", "allow_redirects", "stream")
DEFAULT_OK = set(range(200, 400))
# Statuses left undecided by a catch_response check stay successes; these stand for Locust's
# "anything below 400" (redirects are followed, so a final 3xx is rare).
UNDECIDED_OK = set(range(200, 207))
ALL_STATUSES = range(100, 600)


def client_call(scope, node):
    """(method, call node) when `node` is self.client.<method>(...) or .request(...), else None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    owner = dotted_name(node.func.value)
    if owner not in (scope.self_name + ".client", scope.self_name + ".user.client"):
        return None
    method = node.func.attr
    if method in METHODS or method == "request":
        return method, node
    return None


def keyword(node, name):
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    return None


def build_request(scope, method, call, session_headers):
    """The request dict of a client call; raises Untranslatable with the reason."""
    args = list(call.args)
    if method == "request":
        method_node = args.pop(0) if args else keyword(call, "method")
        if not (isinstance(method_node, ast.Constant) and isinstance(method_node.value, str)):
            raise Untranslatable("self.client.request with a method that is not a constant")
        method = method_node.value.lower()
    url_node = args[0] if args else keyword(call, "url")
    if url_node is None:
        raise Untranslatable("a request without a URL")
    request = {}
    name = keyword(call, "name")
    if name is not None:
        request["name"] = as_template(evaluate(scope, name))
    if method != "get":
        request["method"] = method.upper()
    path = as_template(evaluate(scope, url_node))
    if "://" in path:
        raise Untranslatable("an absolute URL (requests go to base_url; give --host)")
    request["path"] = path
    headers = dict(session_headers)
    if keyword(call, "headers") is not None:
        headers.update(string_map(evaluate(scope, keyword(call, "headers")), "headers="))
    if headers:
        request["headers"] = headers
    if keyword(call, "params") is not None:
        request["query"] = string_map(evaluate(scope, keyword(call, "params")), "params=")
    _add_body(scope, call, request)
    timeout = keyword(call, "timeout")
    if timeout is not None:
        seconds = to_plain(evaluate(scope, timeout))
        if not isinstance(seconds, (int, float)):
            raise Untranslatable("a timeout that is not a number")
        request["timeout"] = seconds_text(seconds)
    for kw in call.keywords:
        if kw.arg not in ("name", "headers", "params", "json", "data", "timeout", "url",
                          "method") + _IGNORED_KEYWORDS:
            raise Untranslatable(f"the request option {kw.arg}=")
    return request


def _add_body(scope, call, request):
    json_node, data_node = keyword(call, "json"), keyword(call, "data")
    if json_node is not None:
        body = evaluate(scope, json_node)
        if is_static(body):
            request["json"] = to_plain(body)
        else:  # a typed placeholder (a random number, a chosen bool) must stay unquoted
            request["raw"] = to_json_template(body)
            request["content_type"] = "application/json"
    elif data_node is not None:
        body = evaluate(scope, data_node)
        if isinstance(body, Mapping):
            request["form"] = {"fields": string_map(body, "data=")}
        else:
            request["raw"] = as_template(body)


def seconds_text(seconds):
    """A duration for the scenario: whole seconds as "5s", else milliseconds ("1500ms")."""
    if float(seconds).is_integer():
        return f"{int(seconds)}s"
    return f"{round(seconds * 1000)}ms"


# ---- catch_response -------------------------------------------------------------------------


def _status_predicate(response_name, test):
    """A set of statuses for a condition on <response>.status_code / .ok, or None."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _status_predicate(response_name, test.operand)
        return None if inner is None else set(ALL_STATUSES) - inner
    if isinstance(test, ast.BoolOp):
        parts = [_status_predicate(response_name, value) for value in test.values]
        if any(p is None for p in parts):
            return None
        result = parts[0]
        for part in parts[1:]:
            result = result & part if isinstance(test.op, ast.And) else result | part
        return result
    if dotted_name(test) == response_name + ".ok":
        return set(range(100, 400))
    if isinstance(test, ast.Compare):
        return _compare_statuses(response_name, test)
    return None


def _compare_statuses(response_name, test):
    operands = [test.left] + list(test.comparators)
    result = set(ALL_STATUSES)
    for left, op, right in zip(operands, test.ops, operands[1:]):
        flipped = dotted_name(right) == response_name + ".status_code"
        subject, other = (right, left) if flipped else (left, right)
        if dotted_name(subject) != response_name + ".status_code":
            return None
        values = _constant_ints(other)
        if values is None:
            return None
        if isinstance(op, (ast.In, ast.NotIn)):
            matched = set(values)
            result &= matched if isinstance(op, ast.In) else set(ALL_STATUSES) - matched
            continue
        if len(values) != 1:
            return None
        value = values[0]
        checks = {ast.Eq: lambda s: s == value, ast.NotEq: lambda s: s != value,
                  ast.Lt: lambda s: s < value, ast.LtE: lambda s: s <= value,
                  ast.Gt: lambda s: s > value, ast.GtE: lambda s: s >= value}
        if flipped:
            checks.update({ast.Lt: lambda s: s > value, ast.LtE: lambda s: s >= value,
                           ast.Gt: lambda s: s < value, ast.GtE: lambda s: s <= value})
        check = checks.get(type(op))
        if check is None:
            return None
        result &= {s for s in ALL_STATUSES if check(s)}
    return result


def _constant_ints(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if len(values) == len(node.elts) and all(isinstance(v, int) for v in values):
            return values
    return None


def _marks(response_name, statements):
    """'success', 'failure' or None for the response.success()/failure() calls in a branch."""
    found = None
    for statement in ast.walk(ast.Module(body=list(statements), type_ignores=[])):
        if isinstance(statement, ast.Call):
            called = dotted_name(statement.func)
            if called == response_name + ".success":
                found = "success"
            elif called == response_name + ".failure":
                found = "failure"
    return found


class CatchResult:
    """What a catch_response block decides: expected statuses (None: the default 200-399), JSON
    equalities, a body substring, the other statements to run after the request, and the
    conditions it could not translate (source snippets)."""

    def __init__(self):
        self.statuses = None
        self.json_equals = []
        self.body_contains = None
        self.follow_up = []
        self.untranslated = []


def analyse_catch(response_name, body):
    """Reads the if/elif/else chains on the response in a `with ... catch_response=True` body."""
    result = CatchResult()
    success = set()
    decided = set()
    for statement in body:
        if isinstance(statement, ast.If) and _mentions(statement.test, response_name):
            _read_chain(response_name, statement, success, decided, result)
        elif _marks(response_name, [statement]) is not None:
            result.untranslated.append(ast.unparse(statement))
        else:
            result.follow_up.append(statement)
    if decided:
        ok = success | (UNDECIDED_OK - decided)
        if ok != DEFAULT_OK:
            result.statuses = sorted(ok)
    return result


def _mentions(node, name):
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _read_chain(response_name, statement, success, decided, result):
    remaining = set(ALL_STATUSES) - decided
    while statement is not None:
        statuses = _status_predicate(response_name, statement.test)
        mark = _marks(response_name, statement.body)
        if statuses is None:
            if not _read_content_check(response_name, statement, result):
                result.untranslated.append("if " + ast.unparse(statement.test))
            result.follow_up.extend(s for s in statement.body if _marks(response_name, [s]) is None)
            return
        matched = statuses & remaining
        remaining -= matched
        if mark is not None:
            decided.update(matched)
            if mark == "success":
                success.update(matched)
        result.follow_up.extend(s for s in statement.body if _marks(response_name, [s]) is None)
        orelse = statement.orelse
        if len(orelse) == 1 and isinstance(orelse[0], ast.If):
            statement = orelse[0]
            continue
        if orelse:
            mark = _marks(response_name, orelse)
            if mark is not None:
                decided.update(remaining)
                if mark == "success":
                    success.update(remaining)
            result.follow_up.extend(s for s in orelse if _marks(response_name, [s]) is None)
        statement = None


def _read_content_check(response_name, statement, result):
    """`if r.json()["k"] != V: r.failure()` or `if "text" not in r.text: r.failure()` (and the
    == / in forms with success() and an else failure())."""
    test = statement.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    op, left, right = test.ops[0], test.left, test.comparators[0]
    fails_when_true = _marks(response_name, statement.body) == "failure"
    fails_when_false = (_marks(response_name, statement.body) == "success"
                        and _marks(response_name, statement.orelse) == "failure")
    if isinstance(op, (ast.Eq, ast.NotEq)):
        pointer = json_pointer(response_name, left)
        if pointer is None or not isinstance(right, ast.Constant):
            return False
        if (isinstance(op, ast.NotEq) and fails_when_true) or (
                isinstance(op, ast.Eq) and fails_when_false):
            result.json_equals.append({"pointer": pointer, "equals": right.value})
            return True
        return False
    if isinstance(op, (ast.In, ast.NotIn)) and dotted_name(right) == response_name + ".text":
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            if (isinstance(op, ast.NotIn) and fails_when_true) or (
                    isinstance(op, ast.In) and fails_when_false):
                result.body_contains = left.value
                return True
    return False


def json_pointer(response_name, node):
    """"/a/0/b" for response.json()["a"][0]["b"] (or .get("a")), None for anything else."""
    parts = []
    while True:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            parts.append(str(node.slice.value))
            node = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "get" and node.args
              and isinstance(node.args[0], ast.Constant)):
            parts.append(str(node.args[0].value))
            node = node.func.value
        else:
            break
    if dotted_name(getattr(node, "func", None)) == response_name + ".json" and not node.args:
        escaped = [p.replace("~", "~0").replace("/", "~1") for p in reversed(parts)]
        return "".join("/" + p for p in escaped)
    return None


def add_expectations(request, result):
    expect = {}
    if result.statuses is not None:
        expect["status"] = result.statuses
    if result.json_equals:
        expect["json"] = result.json_equals
    if result.body_contains is not None:
        expect["body_contains"] = result.body_contains
    if expect:
        request["expect"] = expect



