"""User classes, TaskSets and their tasks -> the scenario's user_classes."""

import ast
import math

from . import requests_map
from .flow import Flow
from .values import ListRef, Scope, Untranslatable, dotted_name, evaluate, to_plain
from .yaml_out import Comment

USER_BASES = ("HttpUser", "FastHttpUser", "User")
TASKSET_BASES = ("TaskSet", "SequentialTaskSet")


class UserBuild:
    """What the methods of one user class share while they are translated."""

    def __init__(self, name, methods):
        self.name = name
        self.methods = methods
        self.session_headers = {}
        self.extracted = []
        self.self_attrs = {}


def _decorator_task_weight(module, function):
    """The @task weight of a method (1 for a bare @task), or None when it is not a task. A weight
    from a module constant (TASK_WEIGHTS["health"], a config dict) is resolved; one that cannot be
    is a warning and weight 1."""
    for decorator in function.decorator_list:
        name = dotted_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name in ("task", "locust.task"):
            if isinstance(decorator, ast.Call) and decorator.args:
                return _weight_value(module, decorator.args[0], function)
            return 1
    return None


def _weight_value(module, node, where):
    try:
        weight = to_plain(evaluate(Scope(module, {}), node))
    except Untranslatable:
        weight = None
    if isinstance(weight, int) and not isinstance(weight, bool) and weight >= 0:
        return weight
    module.warn(where.lineno, f"the weight {ast.unparse(node)} of {where.name} is not a constant "
                "the converter can read: weight 1 used, set it by hand")
    return 1


def decorator_tags(node):
    tags = []
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call) and dotted_name(decorator.func) in ("tag", "locust.tag"):
            tags += [a.value for a in decorator.args if isinstance(a, ast.Constant)]
    return tags


class UserConverter:
    """Converts one HttpUser/FastHttpUser class of `module` (a module.Module)."""

    def __init__(self, module, node):
        self.module = module
        self.node = node
        self.methods = module.methods_of(node)
        self.build = UserBuild(node.name, self.methods)

    def attribute(self, name):
        return self.module.class_attribute(self.node, name)

    def convert(self):
        user = {"name": self.node.name}
        weight = self.attribute("weight")
        if weight is not None:
            user["weight"] = int(to_plain(evaluate(Scope(self.module, {}), weight)))
        if self.attribute("fixed_count") is not None:
            user["fixed_count_todo"] = Comment(
                self.module.todo_text(self.attribute("fixed_count"), "fixed_count (a fixed "
                                      "number of users of this class): the scenario has weights"))
        for name, value in self.module.class_assignments(self.node).items():
            if isinstance(value, ast.List) and not value.elts:
                self.build.self_attrs[name] = ListRef(name)
        entries = self.task_entries(self.node, self.methods)
        single_set = entries[0][0] if len(entries) == 1 and isinstance(entries[0][0],
                                                                       ast.ClassDef) else None
        wait_node = self.attribute("wait_time")
        if single_set is not None and self.module.class_attribute(single_set, "wait_time"):
            wait_node = self.module.class_attribute(single_set, "wait_time")
        if "wait_time" in self.methods:
            user["wait_todo"] = Comment(self.module.todo_text(
                self.methods["wait_time"], "a wait_time method: write the wait by hand"))
        elif wait_node is not None:
            try:
                user["wait"] = self.wait(wait_node)
            except Untranslatable as error:
                user["wait_todo"] = Comment(self.module.todo_text(wait_node, str(error)))
        on_start = self.lifecycle(self.node, self.methods, "on_start")
        tasks, sequential, set_stop = self.tasks(entries, single_set, on_start)
        if on_start:
            user["on_start"] = on_start
        on_stop = set_stop + self.lifecycle(self.node, self.methods, "on_stop")
        if on_stop:
            user["on_stop"] = on_stop
        if sequential:
            user["task_order"] = "sequential"
        user["tasks"] = tasks
        return user

    def lifecycle(self, owner, methods, name):
        method = methods.get(name)
        if method is None:
            return []
        scope = Scope(self.module, self.build.self_attrs, _self_name(method))
        return Flow(self.module, self.build, scope).block(method.body)

    # ---- tasks --------------------------------------------------------------------------------

    def task_entries(self, owner, methods):
        """[(function or TaskSet class node, weight, tags)] of a user or TaskSet class."""
        entries = []
        tasks_node = self.module.class_attribute(owner, "tasks")
        if isinstance(tasks_node, (ast.List, ast.Tuple)):
            for element in tasks_node.elts:
                entries.append((self.resolve(element, methods), 1, []))
        elif isinstance(tasks_node, ast.Dict):
            for key, value in zip(tasks_node.keys, tasks_node.values):
                weight = _weight_value(self.module, value, owner)
                entries.append((self.resolve(key, methods), weight, []))
        for name, function in methods.items():
            weight = _decorator_task_weight(self.module, function)
            if weight is not None:
                entries.append((function, weight, decorator_tags(function)))
        for item in owner.body:  # @task class Inner(TaskSet): ... defined inline
            weight = (_decorator_task_weight(self.module, item) if isinstance(item, ast.ClassDef)
                      else None)
            if weight is not None:
                entries.append((item, weight, decorator_tags(item)))
        if not entries:
            raise Untranslatable(f"{owner.name} has no tasks")
        return entries

    def resolve(self, node, methods):
        name = dotted_name(node)
        if name in self.module.classes:
            return self.module.classes[name]
        if name and name.startswith("self."):
            name = name[5:]
        if name in methods:
            return methods[name]
        if name in self.module.functions:
            return self.module.functions[name]
        raise Untranslatable(f"the task {ast.unparse(node)}")

    def tasks(self, entries, single_set, on_start):
        """(tasks, sequential, on_stop steps of a single TaskSet)."""
        if single_set is not None:  # the user runs this TaskSet for its whole life: exact
            set_methods = self.module.methods_of(single_set)
            self.build.methods = set_methods
            on_start.extend(self.lifecycle(single_set, set_methods, "on_start"))
            set_stop = self.lifecycle(single_set, set_methods, "on_stop")
            inner = self.task_entries(single_set, set_methods)
            sequential = self.module.is_kind(single_set, "SequentialTaskSet")
            tags = decorator_tags(single_set)
            tasks = self.task_list(inner, sequential, tags)
            return tasks, sequential, set_stop
        return self.task_list(entries, False, []), False, []

    def task_list(self, entries, sequential, inherited_tags):
        tasks = []
        flattened = []
        merged = {}  # tasks = [index, index, about]: one task "index" of weight 2
        for target, weight, tags in entries:
            key = id(target)
            merged[key] = (target, merged.get(key, (None, 0, []))[1] + weight, tags)
        if not sequential:
            entries = list(merged.values())
        for target, weight, tags in entries:
            if isinstance(target, ast.ClassDef):
                flattened.append((target, weight))
                continue
            tasks.append(self.task(target, weight, tags + inherited_tags, sequential))
        for task_set, weight in flattened:  # a TaskSet among other tasks: its tasks, weighted
            self.module.warn(task_set.lineno, f"TaskSet {task_set.name} is flattened into the "
                             "user's tasks (its share is kept; self.interrupt() is not modelled)")
            inner = self.task_entries(task_set, self.module.methods_of(task_set))
            inner_total = sum(w for _, w, _ in inner)
            for task in tasks:
                if isinstance(task, dict):
                    task["weight"] = task.get("weight", 1) * inner_total
            for target, inner_weight, tags in inner:
                if isinstance(target, ast.ClassDef):
                    tasks.append(Comment(self.module.todo_text(target, "a TaskSet nested in a "
                                                               "flattened TaskSet")))
                    continue
                tasks.append(self.task(target, weight * inner_weight,
                                       tags + decorator_tags(task_set), False))
        _reduce_weights(tasks)
        return tasks

    def task(self, function, weight, tags, sequential):
        owner = self.module.owner_of(function)
        if owner is not None:  # a TaskSet's task calls the TaskSet's helpers
            self.build.methods = self.module.methods_of(owner)
        scope = Scope(self.module, self.build.self_attrs, _self_name(function))
        steps = Flow(self.module, self.build, scope).block(function.body)
        task = {"name": function.name}
        if weight != 1 and not sequential:
            task["weight"] = weight
        if tags:
            task["tags"] = sorted(set(tags))
        if not any(isinstance(step, dict) for step in steps):
            steps.append({"think": {"constant": "0s"}})
            steps.append(Comment("TODO(convert): nothing of this task could be translated; "
                                 "the pause above only keeps the file valid"))
            self.module.warn(function.lineno, f"task {function.name} has no translated step")
        task["steps"] = steps
        return task

    def wait(self, node):
        scope = Scope(self.module, {})
        name = dotted_name(node.func) if isinstance(node, ast.Call) else None
        args = [to_plain(evaluate(scope, a)) for a in getattr(node, "args", [])]
        seconds = requests_map.seconds_text
        if name in ("between", "locust.between") and len(args) == 2:
            return {"between": {"min": seconds(args[0]), "max": seconds(args[1])}}
        if name in ("constant", "locust.constant") and len(args) == 1:
            return {"constant": seconds(args[0])}
        if name in ("constant_pacing", "locust.constant_pacing") and len(args) == 1:
            return {"pacing": seconds(args[0])}
        if name in ("constant_throughput", "locust.constant_throughput") and len(args) == 1:
            return {"pacing": seconds(1.0 / args[0])}
        raise Untranslatable(f"the wait_time {ast.unparse(node)}")


def _self_name(function):
    args = function.args.args
    return args[0].arg if args else "self"


def _reduce_weights(tasks):
    weights = [t.get("weight", 1) for t in tasks if isinstance(t, dict)]
    divisor = math.gcd(*weights) if weights else 1
    for task in tasks:
        if isinstance(task, dict) and divisor > 1:
            task["weight"] = task.get("weight", 1) // divisor
        if isinstance(task, dict) and task.get("weight") == 1:
            del task["weight"]
        if isinstance(task, dict):  # keep "steps" last, after a weight set while flattening
            task["steps"] = task.pop("steps")
